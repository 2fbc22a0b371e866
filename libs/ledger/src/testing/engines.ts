import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { openDatabase, startEmbeddedPostgres, Database, EmbeddedServer } from '../database';
import { uuidv7 } from '../uuid';

/**
 * The PostgreSQL engines every database test runs on: the machine's server (DATABASE_URL; each
 * test file gets a fresh database) and an embedded PostgreSQL (each test file starts its own).
 * In CI both are required; locally the external one runs when DATABASE_URL is set.
 */
export type TestEngine = {
  name: 'external' | 'embedded';
  /** Starts (or creates) the engine for one test file. */
  setup(): Promise<TestDatabase>;
};

export type TestDatabase = {
  url: string;
  /** Opens a new pool on the same database, migrated. */
  open(poolMax?: number): Promise<Database>;
  /** Stops and starts the server on the same data (embedded), or does nothing (external). */
  restart(): Promise<void>;
  teardown(): Promise<void>;
};

export const testEngines = (): TestEngine[] => {
  const external = process.env.DATABASE_URL;
  if (!external && process.env.CI) throw new Error('CI must set DATABASE_URL: the suites run on the external server too');
  return [...(external ? [externalEngine(external)] : []), embeddedEngine()];
};

const externalEngine = (baseUrl: string): TestEngine => ({
  name: 'external',
  setup: async () => {
    const name = `rl_test_${uuidv7().replace(/-/g, '').slice(-16)}`;
    const admin = new Pool({ connectionString: baseUrl, max: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      open: (poolMax = 40) => openDatabase({ databaseUrl: url.toString(), pool: { max: poolMax } }),
      restart: async () => undefined,
      teardown: async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  },
});

const embeddedEngine = (): TestEngine => ({
  name: 'embedded',
  setup: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rl-embedded-'));
    chmodSync(dataDir, 0o755); // the server runs as `postgres` when tests run as root
    let server: EmbeddedServer = await startEmbeddedPostgres({ dataDir, port: 0 });
    return {
      get url() {
        return server.url;
      },
      open: (poolMax = 40) => openDatabase({ databaseUrl: server.url, pool: { max: poolMax } }),
      restart: async () => {
        const port = server.port;
        await server.stop();
        server = await startEmbeddedPostgres({ dataDir, port });
      },
      teardown: async () => {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
});

/** Two fresh databases of one engine — a ledger and the one it is restored into — and a scratch folder. */
export type TwoDatabases = { from: Database; to: Database; dir: string; close(): Promise<void> };

export const twoDatabases = async (engine: TestEngine, folderPrefix: string): Promise<TwoDatabases> => {
  const source = await engine.setup();
  const target = await engine.setup();
  const from = await source.open(5);
  const to = await target.open(5);
  const dir = mkdtempSync(join(tmpdir(), folderPrefix));
  return {
    from, to, dir,
    close: async () => {
      await from.close();
      await to.close();
      await source.teardown();
      await target.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
