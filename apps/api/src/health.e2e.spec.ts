import request from 'supertest';
import { testEngines } from '@reform-ledger/ledger/testing';
import { Readiness } from './marks';
import { appUnderTest } from './testing';

describe.each(testEngines())('GET /health on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);

  it('reports the database up, over real HTTP', async () => {
    const res = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up', headPosition: 0 } }, marks: [] });
  });

  it('is not ready (503, loading) while the first start loads the seed district, and ready after', async () => {
    const readiness = t.app.get(Readiness);
    readiness.start('seed district Đắk Song 2022');
    try {
      const loading = await request(t.app.getHttpServer()).get('/health').expect(503);
      expect(loading.body).toMatchObject({ status: 'loading', error: { startup: { status: 'loading', what: 'seed district Đắk Song 2022' } }, info: { database: { status: 'up' } } });
    } finally {
      readiness.done();
    }
    expect((await request(t.app.getHttpServer()).get('/health').expect(200)).body.status).toBe('ok');
  });
});
