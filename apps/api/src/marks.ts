import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Database } from '@reform-ledger/ledger';
import { DATABASE, underLock } from './database.module';

/** A named moment of this install's ledger, usable as a cut both ways. */
export type Mark = { label: string; position: number; knownAt: string };

/**
 * Named moments of this install's ledger, such as the end of the seed's phase 1: a label, the
 * position the moment ends at (a `position` cut) and when this install recorded that position (a
 * `knownAt` cut). Kept in a small table of the API's own (`marks`, beside `api_keys`), outside the
 * ledger's tables on purpose: a mark is this install's note about its ledger, not a fact in it — it is
 * not hashed or exported, and two installs of the same history record it at different moments. A mark
 * is written once and never moves, so it survives restarts and means the same cut forever.
 */
@Injectable()
export class Marks implements OnModuleInit {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  onModuleInit() {
    return underLock(this.db, 'marks schema', (client) => client.query(`CREATE TABLE IF NOT EXISTS marks (
      label text PRIMARY KEY, position bigint NOT NULL, known_at timestamptz NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`).then(() => undefined));
  }

  /** Records a mark; one already recorded under the label is kept as it was. */
  async put(mark: Mark): Promise<void> {
    await this.db.pool.query('INSERT INTO marks (label, position, known_at) VALUES ($1, $2, $3) ON CONFLICT (label) DO NOTHING',
      [mark.label, mark.position, mark.knownAt]);
  }

  async list(): Promise<Mark[]> {
    const { rows } = await this.db.pool.query<{ label: string; position: string; known_at: string }>(
      `SELECT label, position, to_char(known_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS known_at FROM marks ORDER BY position, label`);
    return rows.map((r) => ({ label: r.label, position: Number(r.position), knownAt: r.known_at }));
  }
}

/** Whether the app is still loading what it loads on first start (the seed district): /health says `loading` (503) until it is done. */
@Injectable()
export class Readiness {
  private loading?: string;

  /** Marks the app as loading `what` until `done()`. */
  start(what: string): void {
    this.loading = what;
  }

  done(): void {
    this.loading = undefined;
  }

  get state(): { loading: boolean; what?: string } {
    return this.loading === undefined ? { loading: false } : { loading: true, what: this.loading };
  }
}
