import { Database, openDatabase } from '@reform-ledger/ledger';

/**
 * A fresh database for a benchmark, on DATABASE_URL's server (else an embedded one in LEDGER_DATA_DIR or
 * tmp/bench-data), migrated and opened with `poolMax` connections. `drop()` removes it (kept with
 * BENCH_KEEP=1) and closes the server's connection; close `db` first.
 */
export const benchDatabase = async (name: string, poolMax: number): Promise<{ db: Database; url: string; drop(): Promise<void> }> => {
  const base = await openDatabase({ migrate: false, log: () => undefined, dataDir: process.env.LEDGER_DATA_DIR ?? 'tmp/bench-data' });
  await base.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await base.pool.query(`CREATE DATABASE ${name}`);
  const url = new URL(base.url);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), pool: { max: poolMax } });
  return {
    db, url: url.toString(),
    drop: async () => {
      if (process.env.BENCH_KEEP !== '1') await base.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await base.close();
    },
  };
};
