import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, Ledger } from '@reform-ledger/ledger';
import { testEngines } from '@reform-ledger/ledger/testing';

const ROOT = join(__dirname, '..', '..', '..');

/** `npm start` as a user runs it (the real main.ts in its own process), on a fresh database: demo keys and the seed district. */
describe.each(testEngines().slice(0, 1))('first start on $name PostgreSQL', (engine) => {
  it('answers /health 503 loading until the seed district is loaded and the views have it, then 200 with the phase-1 mark', async () => {
    const testDb = await engine.setup();
    const port = await freePort();
    let output = '';
    let server: ChildProcess | undefined;
    try {
      server = spawn(process.execPath, ['-r', './tools/register.js', 'apps/api/src/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: testDb.url, DEMO_KEYS: 'true', PORT: String(port), LOG_LEVEL: 'warn', PROJECTOR: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout!.on('data', (chunk) => (output += chunk));
      server.stderr!.on('data', (chunk) => (output += chunk));
      const seen: string[] = [];
      let ready: { marks: { label: string; position: number; knownAt: string }[] } | undefined;
      // Polled until ready, for up to 100 s: a first start on a loaded 2-core machine (the whole suite running) takes well over 30 s.
      for (const until = Date.now() + 100_000; Date.now() < until && !ready;) {
        const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (health) {
          const body = (await health.json()) as { status: string; marks: { label: string; position: number; knownAt: string }[] };
          if (seen.at(-1) !== `${health.status} ${body.status}`) seen.push(`${health.status} ${body.status}`);
          if (health.status === 200) {
            ready = body;
            // Ready means ready: the seed's numbers are there at the first 200.
            const progress = await fetch(`http://127.0.0.1:${port}/api/v1/plans/cchc-2022/progress?asOf=2022-11-30`, { headers: { Authorization: 'Bearer demo-manager' } });
            expect(await progress.json()).toMatchObject({ total: 55, completed: 55 });
          }
        }
        if (!ready) await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen).toEqual(['503 loading', '200 ok']);
      const phaseOne = ready!.marks[0];
      expect(output).toContain(`phase 1 ends at position=${phaseOne.position}, knownAt=${phaseOne.knownAt}`);
      expect(output).toContain('calendar days in Asia/Ho_Chi_Minh');
    } finally {
      server?.kill('SIGTERM');
      await new Promise((r) => (server && server.exitCode === null ? server.once('exit', r) : r(undefined)));
      await testDb.teardown();
    }
    if (!output.includes('phase 1 ends')) throw new Error(output);
  }, 120_000);
});

/** The signing key at start (main.ts): made on the first start; a missing or readable key file stops a start once the ledger holds events. */
describe.each(testEngines().slice(0, 1))('the signing key at start, on $name PostgreSQL', (engine) => {
  /** Runs main.ts until it exits (or answers /health), with the key file at `key`. */
  const start = (url: string, key: string, extra: Record<string, string> = {}) => new Promise<{ code: number | null; output: string }>((resolve) => {
    const server = spawn(process.execPath, ['-r', './tools/register.js', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'warn', SCENARIO: 'off', LEDGER_SIGNING_KEY: key, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Reform Ledger API on')) server.kill('SIGTERM'); // it started: stop it
    };
    server.stdout!.on('data', collect);
    server.stderr!.on('data', collect);
    server.once('exit', (code) => resolve({ code, output }));
  });

  it('refuses to start when the key file is missing after the ledger holds events (unless told to), or when others can read it', async () => {
    const testDb = await engine.setup();
    const dir = mkdtempSync(join(tmpdir(), 'rl-start-key-'));
    const key = join(dir, 'keys', 'ledger-signing-key.pem');
    try {
      const db = await testDb.open(2);
      await new Ledger(db.pool).append('unit:x', [{ type: 'UnitRegistered', data: { name: 'x' }, occurredAt: '2022-01-01' }]);
      await db.close();
      const missing = await start(testDb.url, key);
      expect(missing.code).not.toBe(0);
      expect(missing.output).toContain(`The ledger's signing key ${key} is missing, but the ledger already holds events`);
      expect(existsSync(key)).toBe(false);
      const told = await start(testDb.url, key, { LEDGER_NEW_SIGNING_KEY: 'true' });
      expect(told.output).toContain('Reform Ledger API on');
      expect(statSync(key).mode & 0o777).toBe(0o600);
      chmodSync(key, 0o644);
      const readable = await start(testDb.url, key);
      expect(readable.code).not.toBe(0);
      expect(readable.output).toContain('others can read it. Run chmod 600');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await testDb.teardown();
    }
  }, 120_000);
});
