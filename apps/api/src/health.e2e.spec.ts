import request from 'supertest';
import { testEngines } from '@reform-ledger/ledger/testing';
import { appUnderTest } from './testing';

describe.each(testEngines())('GET /health on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);

  it('reports the database up, over real HTTP', async () => {
    const res = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up', headPosition: 0 } } });
  });
});
