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
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly ledger: Ledger,
    @Inject('DEMO_MODE') private readonly demo: boolean,
  ) {}

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

  /** The actor behind a bearer token; 401 when it is unknown or revoked. */
  async authenticate(token: string): Promise<Actor> {
    const { rows } = await this.db.pool.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE token_hash = $1`, [hash(token)]);
    let row = rows[0];
    const department = DEMO_DEPARTMENT.exec(token);
    if (!row && this.demo && department && (await this.ledger.streamVersion(streamIdOf('unit', department[1]))) > 0) {
      // Demo mode: demo-dept-<unitId> exists for every registered unit, provisioned on first use.
      await this.insert(this.db.pool, token, token, 'department', department[1], 'demo');
      row = (await this.db.pool.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE token_hash = $1`, [hash(token)])).rows[0];
    }
    if (!row) throw new Problem(401, 'auth.invalid_key');
    if (row.revoked_at !== null) throw new Problem(401, 'auth.revoked_key', { keyId: row.key_id, revokedAt: row.revoked_at });
    const { keyId, role, unitId } = toKey(row);
    return { keyId, role, ...(unitId && { unitId }) };
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
    return toKey(rows[0]);
  }
}
