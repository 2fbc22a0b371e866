import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { PublicKeyRecord } from './keys';
import { migrate } from './schema';
import type { TreeHead } from './signing';
import { withTransaction } from './transaction';
import { LedgerTree } from './tree';

/**
 * Backup and restore of the ledger: each of its tables as COPY text (`<table>.copy`), read in one
 * snapshot, with the position sequence, the public keys and the latest signed head (`backup.json`,
 * `head.json`, `public-keys.json`). The private key is not in it: it is not in the database either
 * (back up the key file on its own). A restore goes into a database that holds no ledger yet; the
 * views are not backed up: they rebuild from the ledger on the next start.
 */
export const BACKUP_TABLES = ['ledger_events', 'ledger_streams', 'ledger_idempotency', 'ledger_tree', 'ledger_tree_heads', 'ledger_signing_keys'] as const;

export type BackupManifest = {
  format: 'reform-ledger-backup/1';
  createdAt: string;
  migrations: number[];
  sequence: number;
  tables: { name: string; columns: string[]; rows: number }[];
  latestHead: TreeHead | null;
};

export const backupLedger = async (pool: Pool, dir: string, keys: PublicKeyRecord[] = []): Promise<BackupManifest> => {
  const target = resolve(dir);
  mkdirSync(target, { recursive: true });
  if (readdirSync(target).length > 0) throw new Error(`${target} is not empty: back up into a new directory`);
  const { migrations, sequence, tables, heads, stored } = await withTransaction(pool, async (client) => {
    const migrations = (await client.query<{ version: number }>('SELECT version FROM ledger_migrations ORDER BY version')).rows.map((r) => r.version);
    const sequence = Number((await client.query<{ p: string }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS p FROM ledger_position_seq')).rows[0].p);
    const tables: BackupManifest['tables'] = [];
    for (const name of BACKUP_TABLES) {
      const columns = (await client.query<{ c: string }>(
        `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, [name])).rows.map((r) => r.c)
        .filter((c) => c !== 'tx_id'); // a transaction id means nothing on another server (see restoreLedger)
      const rows = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`)).rows[0].n);
      await pipeline(client.query(copyTo(`COPY (SELECT ${columns.join(', ')} FROM ${name}) TO STDOUT`)), createWriteStream(join(target, `${name}.copy`)));
      tables.push({ name, columns, rows });
    }
    const heads = await new LedgerTree(pool).heads(client);
    const stored = (await client.query<{ record: PublicKeyRecord }>('SELECT record FROM ledger_signing_keys')).rows.map((r) => r.record);
    return { migrations, sequence, tables, heads, stored };
  }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const publicKeys = [...new Map([...stored, ...keys].map((r) => [r.keyId, r])).values()];
  const manifest: BackupManifest = { format: 'reform-ledger-backup/1', createdAt: new Date().toISOString(), migrations, sequence, tables, latestHead: heads.at(-1) ?? null };
  writeFileSync(join(target, 'public-keys.json'), JSON.stringify(publicKeys, null, 2));
  if (manifest.latestHead) writeFileSync(join(target, 'head.json'), JSON.stringify(manifest.latestHead, null, 2));
  writeFileSync(join(target, 'backup.json'), JSON.stringify(manifest, null, 2));
  return manifest;
};

/** Restores a backup into a database with no ledger in it (migrated first), in one transaction. */
export const restoreLedger = async (pool: Pool, dir: string): Promise<BackupManifest> => {
  const source = resolve(dir);
  if (!existsSync(join(source, 'backup.json'))) throw new Error(`${source} holds no backup (backup.json is missing)`);
  const manifest = JSON.parse(readFileSync(join(source, 'backup.json'), 'utf8')) as BackupManifest;
  await migrate(pool);
  await withTransaction(pool, async (client) => {
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM ledger_migrations')).rows.map((r) => r.version));
    const missing = manifest.migrations.filter((v) => !applied.has(v));
    if (missing.length) throw new Error(`the backup was made by a newer version (migrations ${missing.join(', ')}): restore it with that version`);
    const { rows } = await client.query<{ n: string }>('SELECT (SELECT count(*) FROM ledger_events) + (SELECT count(*) FROM ledger_tree_heads) AS n');
    if (Number(rows[0].n) > 0) throw new Error('this database already holds a ledger: restore into a new, empty database');
    await client.query(`TRUNCATE ${BACKUP_TABLES.join(', ')}`);
    // Transaction ids belong to the server that made them: restored events take this transaction's, so
    // the gap-free feed (Ledger.readAll) sees them once it commits, below every later append.
    await client.query('ALTER TABLE ledger_events ALTER COLUMN tx_id SET DEFAULT pg_current_xact_id()');
    for (const table of manifest.tables) {
      await pipeline(createReadStream(join(source, `${table.name}.copy`)), client.query(copyFrom(`COPY ${table.name} (${table.columns.join(', ')}) FROM STDIN`)));
    }
    await client.query('ALTER TABLE ledger_events ALTER COLUMN tx_id DROP DEFAULT');
    if (manifest.sequence > 0) await client.query('SELECT setval(\'ledger_position_seq\', $1)', [manifest.sequence]);
  });
  return manifest;
};
