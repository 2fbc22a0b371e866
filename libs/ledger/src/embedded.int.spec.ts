import { chmodSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres, SupervisedClient } from './database';

/** The embedded PostgreSQL from wherever the checkout or its data folder is (as root, the server runs as `postgres`). */
describe('the embedded PostgreSQL from any location', () => {
  const poolOn = (url: string) => new Pool({ connectionString: url, max: 1, Client: SupervisedClient }).on('error', () => undefined);
  const answers = async (url: string) => {
    const pool = poolOn(url);
    try {
      return (await pool.query('SELECT 1 AS one')).rows[0].one;
    } finally {
      await pool.end();
    }
  };

  it('starts on a data folder made by mktemp -d (mode 700)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rl-700-'));
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      expect(await answers(server.url)).toBe(1);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('starts on a checkout inside a home folder the server cannot enter (mode 700), and finds its cluster again on the next start', async () => {
    const home = mkdtempSync(join(homedir(), 'rl-home-'));
    chmodSync(home, 0o700);
    const fallbackDir = mkdtempSync(join(tmpdir(), 'rl-fallback-'));
    chmodSync(fallbackDir, 0o755);
    const dataDir = join(home, 'checkout', 'data');
    const lines: string[] = [];
    try {
      let server = await startEmbeddedPostgres({ dataDir, port: 0, fallbackDir, log: (l) => lines.push(l) });
      await answers(server.url).then(async () => {
        const pool = poolOn(server.url);
        await pool.query('CREATE TABLE kept (x int)');
        await pool.end();
      });
      await server.stop();
      server = await startEmbeddedPostgres({ dataDir, port: 0, fallbackDir });
      const pool = poolOn(server.url);
      expect((await pool.query(`SELECT to_regclass('kept') IS NOT NULL AS kept`)).rows[0].kept).toBe(true);
      await pool.end();
      await server.stop();
      if (process.getuid?.() === 0) {
        expect(realpathSync(join(dataDir, 'pg')).startsWith(realpathSync(fallbackDir))).toBe(true);
        expect(lines.join('\n')).toMatch(/the postgres user cannot enter \/\S*: the cluster lives in \//);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(fallbackDir, { recursive: true, force: true });
    }
  }, 120_000);
});
