import { examples } from '@reform-ledger/domain';
import { testEngines } from '@reform-ledger/ledger/testing';
import { freshKey, poster, seedSkeleton, startApp } from './testing';

describe.each(testEngines().slice(0, 1))('graceful shutdown on $name PostgreSQL', (engine) => {
  it('finishes a write in flight when the app is asked to stop, then closes', async () => {
    const testDb = await engine.setup();
    const db = await testDb.open(5);
    const app = await startApp(db);
    try {
      await seedSkeleton(app);
      const items = Array.from({ length: 600 }, (_, i) => ({
        stream: { kind: 'task', id: `S-${i}` }, ...examples.taskDefined(), idempotencyKey: freshKey(),
      }));
      // The stop begins once the server holds the request (its 'request' event), before any answer: in flight by construction.
      let answered = false;
      const received = new Promise<void>((resolve) => app.getHttpServer().once('request', () => resolve()));
      const inFlight = poster(app)('/api/v1/events:batch', items).then((res) => {
        answered = true;
        return res;
      });
      await received;
      expect(answered).toBe(false);
      const [res] = await Promise.all([inFlight, app.close()]);
      expect(res.status).toBe(201);
      const reopened = await testDb.open(2);
      expect(Number((await reopened.pool.query(`SELECT count(*) AS n FROM ledger_events WHERE stream_id LIKE 'task:S-%'`)).rows[0].n)).toBe(600);
      await reopened.close();
    } finally {
      await testDb.teardown();
    }
  }, 60_000);
});
