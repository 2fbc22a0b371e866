import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { cutEnd, cutStart } from '@reform-ledger/calendar';
import type { Database } from '@reform-ledger/ledger';
import { DATABASE, underLock } from '../database.module';

/** A refused attempt: a key missing, bad or revoked (401), or not allowed to do what it asked (403). */
export type Refusal = {
  id: number;
  at: string;
  status: number;
  code: string;
  method: string;
  path: string;
  address: string;
  requestId: string;
  keyId?: string;
  role?: string;
  unitId?: string;
};

export type RefusalRetention = { days: number; entries: number };

/** 30 days or 100,000 entries, whichever comes first (REFUSALS_RETENTION_DAYS, REFUSALS_RETENTION_ENTRIES). */
export const retentionFromEnv = (env: NodeJS.ProcessEnv = process.env): RefusalRetention => ({
  days: Number(env.REFUSALS_RETENTION_DAYS || 30),
  entries: Number(env.REFUSALS_RETENTION_ENTRIES || 100_000),
});

type Row = { id: string; at: string; status: number; code: string; method: string; path: string; address: string; request_id: string; key_id: string | null; role: string | null; unit_id: string | null };

/** Pruned at most this often (or every PRUNE_EVERY inserts), not on every insert. */
const PRUNE_EVERY = 1_000;
const PRUNE_MS = 60_000;

/**
 * Refused 401/403 attempts, where inspectors can list them (GET /api/v1/audit/refusals). Kept in a
 * table of the API's own (`refusals`, beside `api_keys` and `marks`), outside the event ledger on
 * purpose: a refusal recorded nothing, is not a fact of the history, and is not hashed or exported.
 * Retention is bounded both ways (days and entries). A refusal that cannot be stored (the database is
 * down) is still in the log, with its request id.
 */
@Injectable()
export class Refusals implements OnModuleInit {
  private readonly logger = new Logger('Refusals');
  private inserted = 0;
  private prunedAt = 0;
  private last: Promise<void> = Promise.resolve();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject('REFUSAL_RETENTION') private readonly retention: RefusalRetention,
  ) {}

  onModuleInit() {
    return underLock(this.db, 'refusals schema', async (client) => {
      await client.query(`CREATE TABLE IF NOT EXISTS refusals (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        status smallint NOT NULL,
        code text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        address text NOT NULL,
        request_id text NOT NULL,
        key_id text,
        role text,
        unit_id text)`);
      await client.query('CREATE INDEX IF NOT EXISTS refusals_at ON refusals (at)');
    });
  }

  /** Keeps a refusal, in the order they were answered (one insert after another); never throws (it is answered and logged whatever happens here). */
  record(r: Omit<Refusal, 'id' | 'at'>): void {
    this.last = this.last.then(() => this.insert(r));
  }

  private insert(r: Omit<Refusal, 'id' | 'at'>): Promise<void> {
    return this.db.pool.query(
      'INSERT INTO refusals (status, code, method, path, address, request_id, key_id, role, unit_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [r.status, r.code, r.method, r.path.slice(0, 2000), r.address, r.requestId, r.keyId ?? null, r.role ?? null, r.unitId ?? null],
    ).then(() => this.pruneSometimes())
      .catch((error: Error) => this.logger.warn({ requestId: r.requestId, err: error.message }, 'refusal not stored'));
  }

  private async pruneSometimes() {
    if (++this.inserted % PRUNE_EVERY !== 0 && Date.now() - this.prunedAt < PRUNE_MS) return;
    await this.prune();
  }

  /** Drops what is older than the retention, then all but the newest `entries`. */
  async prune(): Promise<void> {
    this.prunedAt = Date.now();
    await this.db.pool.query(`DELETE FROM refusals WHERE at < now() - make_interval(days => $1)`, [this.retention.days]);
    await this.db.pool.query(`DELETE FROM refusals WHERE id <= (SELECT id FROM refusals ORDER BY id DESC OFFSET $1 LIMIT 1)`, [this.retention.entries]);
  }

  /** Newest first, paged by id (`after`: the `next` of the previous page), optionally within a time range. */
  async list(options: { after?: number; limit: number; from?: string; to?: string }): Promise<Refusal[]> {
    const { rows } = await this.db.pool.query<Row>(
      `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, status, code, method, path, address, request_id, key_id, role, unit_id
         FROM refusals
        WHERE ($1::bigint IS NULL OR id < $1) AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at <= $3)
        ORDER BY id DESC LIMIT $4`,
      // A date is the whole day in the ledger's time zone: `from` its start, `to` its end.
      [options.after ?? null, options.from ? cutStart(options.from) : null, options.to ? cutEnd(options.to) : null, options.limit],
    );
    return rows.map((row) => ({
      id: Number(row.id), at: row.at, status: row.status, code: row.code, method: row.method, path: row.path, address: row.address, requestId: row.request_id,
      ...(row.key_id !== null && { keyId: row.key_id }), ...(row.role !== null && { role: row.role }), ...(row.unit_id !== null && { unitId: row.unit_id }),
    }));
  }
}
