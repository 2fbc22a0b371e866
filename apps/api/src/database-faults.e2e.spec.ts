import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { freePort } from '@reform-ledger/ledger';
import { testEngines } from '@reform-ledger/ledger/testing';
import { appUnderTest, freshKey } from './testing';

const ROOT = join(__dirname, '..', '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Answer = { status: number; type: string; retryAfter?: string; code?: string; at: number };
const unit = (i: number | string) => examples.unitRegistered({ name: `Phòng thử ${i}` });

/**
 * Writers and a reader against `base` until `stop()`; every answer kept with when it came. What the
 * writes acknowledged (201) is returned, to be found in the ledger afterwards.
 */
const load = (ask: (path: string, body?: unknown) => Promise<Answer & { streamId?: string }>, writers = 6) => {
  const answers: Answer[] = [];
  const acknowledged: string[] = [];
  let running = true;
  let n = 0;
  const loops = [
    ...Array.from({ length: writers }, async () => {
      while (running) {
        const answer = await ask(`/api/v1/units/fault-${process.pid}-${++n}/events`, unit(n));
        answers.push(answer);
        if (answer.status === 201) acknowledged.push(answer.streamId!);
        if (answer.status !== 201) await sleep(20);
      }
    }),
    (async () => {
      while (running) {
        answers.push(await ask('/api/v1/plans'));
        await sleep(20);
      }
    })(),
  ];
  return {
    answers, acknowledged,
    /** Resolves once `count` writes were acknowledged after `since` (the server is back), or throws after `ms`. */
    recovered: async (since: number, count: number, ms: number) => {
      for (const until = Date.now() + ms; Date.now() < until;) {
        if (answers.filter((a) => a.at > since && a.status === 201).length >= count) return;
        await sleep(50);
      }
      throw new Error(`no recovery within ${ms} ms: ${JSON.stringify(answers.slice(-5))}`);
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
};

/** Everything answered during a fault: a success, or 503 database.unavailable with Retry-After as a problem. Never a 500. */
const expectOnlySuccessesAnd503s = (answers: Answer[]) => {
  const odd = answers.filter((a) => a.status !== 201 && a.status !== 200
    && !(a.status === 503 && /problem\+json/.test(a.type) && a.retryAfter !== undefined && ['database.unavailable', 'view.outdated'].includes(a.code ?? '')));
  expect(odd.slice(0, 5)).toEqual([]);
};

describe('the embedded PostgreSQL killed under writes', () => {
  it('keeps the API process alive: 503 with Retry-After while the server is down, /health says why, then 201 again with no restart; nothing acknowledged is lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rl-fault-'));
    chmodSync(dataDir, 0o755);
    const [port, pgPort] = [await freePort(), await freePort()];
    let output = '';
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL; // embedded mode
    const app: ChildProcess = spawn(process.execPath, ['-r', './tools/register.js', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...env, LEDGER_DATA_DIR: dataDir, LEDGER_SIGNING_KEY: join(dataDir, 'signing-key.pem'), EMBEDDED_PG_PORT: String(pgPort), PORT: String(port), SCENARIO: 'off', LOG_LEVEL: 'fatal', PROJECTOR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout!.on('data', (chunk) => (output += chunk));
    app.stderr!.on('data', (chunk) => (output += chunk));
    const base = `http://127.0.0.1:${port}`;
    const ask = async (path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { Authorization: 'Bearer demo-admin', 'Content-Type': 'application/json', 'Idempotency-Key': freshKey() },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }).catch((error: Error) => ({ error }));
      if ('error' in res) return { status: 0, type: String(res.error), at: Date.now() };
      const json = (await res.json().catch(() => ({}))) as { code?: string; streamId?: string };
      return { status: res.status, type: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after') ?? undefined, code: json.code, streamId: json.streamId, at: Date.now() };
    };
    try {
      for (const until = Date.now() + 90_000; Date.now() < until;) {
        if ((await fetch(`${base}/health`).catch(() => undefined))?.status === 200) break;
        if (app.exitCode !== null) throw new Error(output);
        await sleep(100);
      }
      expect((await ask(`/api/v1/units/${examples.UNITS.district}/events`, examples.unitRegistered({ name: 'UBND huyện Đắk Song', kind: 'district', parentUnitId: undefined }))).status).toBe(201);
      const health: { status: number; retryAfter: string | null; body: { status: string; error?: { database?: { status: string; server?: { status: string } } } } }[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const res = await fetch(`${base}/health`).catch(() => undefined);
          if (res) health.push({ status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as (typeof health)[number]['body'] });
          await sleep(25);
        }
      })();
      const traffic = load(ask);
      await traffic.recovered(0, 20, 30_000);
      const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      const killedAt = Date.now();
      process.kill(postmaster, 'SIGKILL');
      await traffic.recovered(killedAt, 20, 60_000);
      await traffic.stop();
      watching = false;
      await watcher;

      expect(app.exitCode).toBeNull();
      expectOnlySuccessesAnd503s(traffic.answers);
      expect(traffic.answers.filter((a) => a.at > killedAt && a.status === 503).length).toBeGreaterThan(0);
      expect(health.filter((h) => h.status === 503 && h.retryAfter !== null && h.body.error?.database?.status === 'down').length).toBeGreaterThan(0);
      expect(health.at(-1)).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(output).toContain('starting it again');
      const verify = await fetch(`${base}/api/v1/audit/verify`, { headers: { Authorization: 'Bearer demo-inspector' } });
      expect(await verify.json()).toMatchObject({ ok: true });
      const pool = new Pool({ connectionString: `postgres://postgres:reform-ledger@127.0.0.1:${pgPort}/reform_ledger`, max: 1 });
      const { rows } = await pool.query<{ stream_id: string }>('SELECT stream_id FROM ledger_streams WHERE stream_id = ANY($1)', [traffic.acknowledged]);
      await pool.end();
      expect(rows.length).toBe(new Set(traffic.acknowledged).size);
    } finally {
      app.kill('SIGTERM');
      await new Promise((r) => (app.exitCode === null && app.signalCode === null ? app.once('exit', r) : r(undefined)));
      rmSync(dataDir, { recursive: true, force: true });
    }
    // And it stopped as asked, its server with it (143: the embedded server's exit hook re-exits for SIGTERM).
    expect(app.signalCode === 'SIGTERM' || app.exitCode === 0 || app.exitCode === 143).toBe(true);
  }, 180_000);
});

describe.each(testEngines())('connections terminated by the server mid-load on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);

  it('answers 201 or 503 (never a 500) while pg_terminate_backend cuts every connection of the app, then writes and reads recover, the views catch up', async () => {
    await request(t.app.getHttpServer()).post(`/api/v1/units/${examples.UNITS.district}/events`).set('Authorization', 'Bearer demo-admin')
      .set('Idempotency-Key', freshKey()).send(examples.unitRegistered({ name: 'UBND huyện Đắk Song', kind: 'district', parentUnitId: undefined })).expect(201);
    const server = t.app.getHttpServer();
    const ask = async (path: string, body?: unknown) => {
      const req = body === undefined ? request(server).get(path) : request(server).post(path).set('Idempotency-Key', freshKey()).send(body as object);
      const res = await req.set('Authorization', 'Bearer demo-admin');
      return { status: res.status, type: String(res.headers['content-type'] ?? ''), retryAfter: res.headers['retry-after'], code: res.body?.code, streamId: res.body?.streamId, at: Date.now() };
    };
    const admin = new Pool({ connectionString: t.db.url, max: 1 });
    const traffic = load(ask);
    let terminated = 0;
    let lastCut = 0;
    try {
      await traffic.recovered(0, 10, 30_000);
      for (let i = 0; i < 4; i++) {
        const { rows } = await admin.query(`SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
        terminated += Number(rows[0].n);
        lastCut = Date.now();
        await sleep(250);
      }
      await traffic.recovered(lastCut, 20, 30_000);
    } finally {
      await traffic.stop();
      await admin.end();
    }
    expect(terminated).toBeGreaterThan(4);
    expectOnlySuccessesAnd503s(traffic.answers);
    expect(traffic.answers.filter((a) => a.at > lastCut && a.status === 200).length).toBeGreaterThan(0); // reads (TypeORM's pool) recovered too
    const head = await t.ledger.headPosition();
    // The projector lost its lease connection with the rest, and took a new one: the views reach the head.
    const res = await request(server).get(`/api/v1/plans?minPosition=${head}`).set('Authorization', 'Bearer demo-admin');
    expect(res.status).toBe(200);
    expect((await t.ledger.verify()).ok).toBe(true);
    const { rows } = await t.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM ledger_streams WHERE stream_id = ANY($1)', [traffic.acknowledged]);
    expect(Number(rows[0].n)).toBe(new Set(traffic.acknowledged).size);
  }, 120_000);
});
