import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { AppOptions, createApp } from './app';
import { Database, freePort, Ledger } from '@reform-ledger/ledger';
import type { TestDatabase, TestEngine } from '@reform-ledger/ledger/testing';

/** Test helpers over real HTTP: an app on a real database, and a poster that speaks the v1 contract. */
/**
 * Tests send many refusals from one address (127.0.0.1): failed authentication is not throttled here
 * unless a test asks for a limit (`authFailuresPerMinute`).
 */
export const startApp = async (db: Database, options: Partial<AppOptions> = {}): Promise<INestApplication> => {
  const app = await createApp(db, { demo: true, logLevel: 'silent', authFailuresPerMinute: 1_000_000, ...options });
  await app.listen(0);
  return app;
};

export type AppUnderTest = { db: Database; ledger: Ledger; app: INestApplication; post: ReturnType<typeof poster> };

/**
 * For one describe block: a fresh database on `engine` and the app on it over real HTTP, closed
 * afterwards. The fields are set once the block's beforeAll hooks run.
 */
export const appUnderTest = (engine: TestEngine, options: Partial<AppOptions> = {}): AppUnderTest => {
  const t = {} as AppUnderTest;
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    testDb = await engine.setup();
    t.db = await testDb.open(10);
    t.ledger = new Ledger(t.db.pool);
    t.app = await startApp(t.db, options);
    t.post = poster(t.app);
  }, 60_000);
  afterAll(async () => {
    await t.app?.close(); // closes the database too
    await testDb?.teardown();
  }, 60_000);
  return t;
};

let keyCounter = 0;
export const freshKey = () => `k-${process.pid}-${++keyCounter}`;

export type PostOptions = { token?: string | null; key?: string | null; ifMatch?: string };

export const poster = (app: INestApplication) => (path: string, body: unknown, options: PostOptions = {}) => {
  let req = request(app.getHttpServer()).post(path).set('Content-Type', 'application/json');
  const token = options.token === undefined ? 'demo-admin' : options.token;
  if (token !== null) req = req.set('Authorization', `Bearer ${token}`);
  const key = options.key === undefined ? freshKey() : options.key;
  if (key !== null) req = req.set('Idempotency-Key', key);
  if (options.ifMatch !== undefined) req = req.set('If-Match', options.ifMatch);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
};

const { UNITS, DOCUMENTS } = examples;

/**
 * The seed district's skeleton through the API, as the admin: units, the plan's decision, plan
 * cchc-2022 and task T-07 led by Phòng Nội vụ. Fails loudly if any step is refused.
 */
export const seedSkeleton = async (app: INestApplication) => {
  const post = poster(app);
  const ok = async (path: string, body: unknown) => {
    const res = await post(path, body);
    if (res.status !== 201) throw new Error(`${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await ok(`/api/v1/units/${UNITS.district}/events`, examples.unitRegistered({ name: 'UBND huyện Đắk Song', kind: 'district', parentUnitId: undefined }));
  for (const [id, name] of [
    [UNITS.homeAffairs, 'Phòng Nội vụ'], [UNITS.justice, 'Phòng Tư pháp'], [UNITS.culture, 'Phòng Văn hóa – Thông tin'],
  ]) await ok(`/api/v1/units/${id}/events`, examples.unitRegistered({ name }));
  for (const [id, name] of [[UNITS.namBinh, 'UBND xã Nam Bình'], [UNITS.ducAn, 'UBND thị trấn Đức An']]) {
    await ok(`/api/v1/units/${id}/events`, examples.unitRegistered({ name, kind: 'commune' }));
  }
  await ok(`/api/v1/units/${UNITS.province}/events`, examples.unitRegistered({ name: 'UBND tỉnh Đắk Nông', kind: 'province', parentUnitId: undefined }));
  await ok(`/api/v1/documents/${DOCUMENTS.plan2022}/events`, examples.documentRegistered());
  await ok('/api/v1/plans/cchc-2022/events', examples.planIssued());
  await ok('/api/v1/tasks/T-07/events', examples.taskDefined());
};

/** `npm start` as a user runs it: main.ts in its own process, with `env` over this one's (a key set to undefined is removed). */
export const spawnMain = async (env: Record<string, string | undefined>) => {
  const port = await freePort();
  const merged: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', PROJECTOR: '', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/api/src/main.ts'], { cwd: join(__dirname, '..', '..', '..'), env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return {
    child, port,
    output: () => output,
    /** Resolves once /health answers 200 on `host`; throws with the output if the process exits or 90 s pass. */
    healthy: async (host = '127.0.0.1') => {
      for (const until = Date.now() + 90_000; Date.now() < until;) {
        if ((await fetch(`http://${host}:${port}/health`).catch(() => undefined))?.status === 200) return;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`not healthy: ${output}`);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
};
