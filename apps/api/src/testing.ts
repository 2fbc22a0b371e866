import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { createApp } from './app';
import { Database, Ledger } from '@reform-ledger/ledger';
import type { TestDatabase, TestEngine } from '@reform-ledger/ledger/testing';

/** Test helpers over real HTTP: an app on a real database, and a poster that speaks the v1 contract. */
export const startApp = async (db: Database): Promise<INestApplication> => {
  const app = await createApp(db, { demo: true, logLevel: 'silent' });
  await app.listen(0);
  return app;
};

export type AppUnderTest = { db: Database; ledger: Ledger; app: INestApplication; post: ReturnType<typeof poster> };

/**
 * For one describe block: a fresh database on `engine` and the app on it over real HTTP, closed
 * afterwards. The fields are set once the block's beforeAll hooks run.
 */
export const appUnderTest = (engine: TestEngine): AppUnderTest => {
  const t = {} as AppUnderTest;
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    testDb = await engine.setup();
    t.db = await testDb.open(10);
    t.ledger = new Ledger(t.db.pool);
    t.app = await startApp(t.db);
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
