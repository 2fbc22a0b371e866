import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AUTHOR_ROLES, streamIdOf } from '@reform-ledger/domain';
import { Database, Ledger, uuidv7 } from '@reform-ledger/ledger';
import { DATABASE, underLock } from '../database.module';
import { invalid, Problem } from '../problem';

export const ROLES = AUTHOR_ROLES;
export type Role = (typeof ROLES)[number];

/** Who is calling: the key, its unit and its role. Goes into every event's metadata. */
export type Actor = { keyId: string; role: Role; unitId?: string };

export type ApiKey = Actor & { label?: string; createdAt: string; revokedAt?: string };

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Demo keys are their own tokens: documented, fixed, and never provisioned in production. */
export const DEMO_ROLE_KEYS: Record<string, Role> = { 'demo-admin': 'admin', 'demo-manager': 'manager', 'demo-inspector': 'inspector' };
const DEMO_DEPARTMENT = /^demo-dept-([A-Za-z0-9][A-Za-z0-9._~-]{0,127})$/;

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** How long a process trusts a token it verified: the bound on a revocation made by another process (this one's take effect at once). */
export const KEY_CACHE_MS = 2000;
const KEY_CACHE_LIMIT = 10_000;

/**
 * The tokens this process verified in the last `ttlMs`, by their hash, with their actor: a write then
 * needs no round trip for its key. Revoking here drops the key at once; a revocation by another process
 * is seen when the entry expires. Unknown and revoked tokens are never kept.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { actor: Actor; until: number }>();
  private drops = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(tokenHash: string): Actor | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry && entry.until > this.now()) return entry.actor;
    if (entry) this.entries.delete(tokenHash);
    return undefined;
  }

  /** What `set` is given: a token verified before a revocation here (read before it) is not kept. */
  stamp(): number {
    return this.drops;
  }

  set(tokenHash: string, actor: Actor, stamp: number): void {
    if (this.ttlMs <= 0 || stamp !== this.drops) return;
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, { actor, until: this.now() + this.ttlMs });
    if (this.entries.size > KEY_CACHE_LIMIT) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets every token of `keyId` (revoked). */
  drop(keyId: string): void {
    this.drops++;
    for (const [tokenHash, { actor }] of this.entries) if (actor.keyId === keyId) this.entries.delete(tokenHash);
  }
}

type Row = { key_id: string; role: Role; unit_id: string | null; label: string | null; created_at: string; revoked_at: string | null };
const toKey = (row: Row): ApiKey => ({
  keyId: row.key_id,
  role: row.role,
  ...(row.unit_id !== null && { unitId: row.unit_id }),
  ...(row.label !== null && { label: row.label }),
  createdAt: row.created_at,
  ...(row.revoked_at !== null && { revokedAt: row.revoked_at }),
});
const COLUMNS = `key_id, role, unit_id, label, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
  to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS revoked_at`;

/**
 * Bearer API keys bound to a role and, for departments, a unit. Only a SHA-256 of each token is
 * stored (tokens are 256 random bits, so a plain hash is enough); a token is shown once, at issue.
 */
@Injectable()
export class ApiKeys implements OnModuleInit {
  private readonly verified: VerifiedTokens;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly ledger: Ledger,
    @Inject('DEMO_MODE') private readonly demo: boolean,
    @Inject('KEY_CACHE_MS') keyCacheMs: number,
  ) {
    this.verified = new VerifiedTokens(keyCacheMs);
  }

  onModuleInit() {
    return underLock(this.db, 'api_keys schema', async (client) => {
      await client.query(`CREATE TABLE IF NOT EXISTS api_keys (
        key_id text PRIMARY KEY,
        token_hash bytea NOT NULL UNIQUE,
        role text NOT NULL CHECK (role IN ('department', 'inspector', 'manager', 'admin')),
        unit_id text CHECK (role <> 'department' OR unit_id IS NOT NULL),
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz)`);
      if (this.demo) {
        for (const [token, role] of Object.entries(DEMO_ROLE_KEYS)) await this.insert(client, token, token, role, null, 'demo');
      }
    });
  }

  private insert(client: { query: Database['pool']['query'] }, keyId: string, token: string, role: Role, unitId: string | null, label: string | null) {
    return client.query(
      `INSERT INTO api_keys (key_id, token_hash, role, unit_id, label) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [keyId, hash(token), role, unitId, label],
    );
  }

  /** The actor behind a bearer token; 401 when it is unknown or revoked. Verified once per KEY_CACHE_MS (VerifiedTokens). */
  async authenticate(token: string): Promise<Actor> {
    const tokenHash = hash(token);
    const kept = this.verified.get(tokenHash.toString('base64'));
    if (kept) return kept;
    const stamp = this.verified.stamp();
    const { rows } = await this.db.pool.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE token_hash = $1`, [tokenHash]);
    let row = rows[0];
    const department = DEMO_DEPARTMENT.exec(token);
    if (!row && this.demo && department && (await this.ledger.streamVersion(streamIdOf('unit', department[1]))) > 0) {
      // Demo mode: demo-dept-<unitId> exists for every registered unit, provisioned on first use.
      await this.insert(this.db.pool, token, token, 'department', department[1], 'demo');
      row = (await this.db.pool.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE token_hash = $1`, [tokenHash])).rows[0];
    }
    if (!row) throw new Problem(401, 'auth.invalid_key');
    if (row.revoked_at !== null) throw new Problem(401, 'auth.revoked_key', { keyId: row.key_id, revokedAt: row.revoked_at });
    const { keyId, role, unitId } = toKey(row);
    const actor: Actor = { keyId, role, ...(unitId && { unitId }) };
    this.verified.set(tokenHash.toString('base64'), actor, stamp);
    return actor;
  }

  /** Issues a key; the token is returned once and never stored. */
  async issue(role: Role, unitId: string | undefined, label: string | undefined): Promise<ApiKey & { token: string }> {
    if (role === 'department' && unitId === undefined) {
      throw invalid([{ field: 'unitId', reason: 'key.unit_required' }]);
    }
    if (unitId !== undefined && (await this.ledger.streamVersion(streamIdOf('unit', unitId))) === 0) {
      throw new Problem(422, 'unit.not_registered', { unitId }, [{ field: 'unitId', reason: 'unit.not_registered', params: { unitId } }]);
    }
    const token = `rl_${randomBytes(32).toString('base64url')}`;
    const keyId = `key_${uuidv7().replace(/-/g, '').slice(-16)}`;
    const { rows } = await this.insert(this.db.pool, keyId, token, role, unitId ?? null, label ?? null);
    return { ...toKey(rows[0] as Row), token };
  }

  async list(): Promise<ApiKey[]> {
    const { rows } = await this.db.pool.query<Row>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, key_id`);
    return rows.map(toKey);
  }

  async revoke(keyId: string): Promise<ApiKey> {
    const { rows } = await this.db.pool.query<Row>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1 RETURNING ${COLUMNS}`, [keyId]);
    if (!rows[0]) throw new Problem(404, 'api_key.not_found', { keyId });
    this.verified.drop(keyId);
    return toKey(rows[0]);
  }
}
