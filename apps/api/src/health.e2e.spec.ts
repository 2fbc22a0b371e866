import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Database } from '@reform-ledger/ledger';
import { testEngines, TestDatabase } from '@reform-ledger/ledger/testing';
import { createApp } from './app';

describe.each(testEngines())('GET /health on $name PostgreSQL', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let app: INestApplication;

  beforeAll(async () => {
    testDb = await engine.setup();
    db = await testDb.open(5);
    app = await createApp(db, { demo: true, logLevel: 'silent' });
    await app.listen(0);
  }, 60_000);

  afterAll(async () => {
    await app?.close(); // closes the database too
    await testDb?.teardown();
  }, 60_000);

  it('reports the database up, over real HTTP', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up', headPosition: 0 } } });
  });
});
