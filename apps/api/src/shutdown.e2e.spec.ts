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
      let answeredAt = 0;
      const inFlight = poster(app)('/api/v1/events:batch', items).then((res) => {
        answeredAt = performance.now();
        return res;
      });
      await new Promise((resolve) => setTimeout(resolve, 150)); // the batch is being decided and appended
      const closingAt = performance.now();
      const [res] = await Promise.all([inFlight, app.close()]);
      expect(res.status).toBe(201);
      expect(answeredAt).toBeGreaterThan(closingAt); // it really was in flight when the stop began
      const reopened = await testDb.open(2);
      expect(Number((await reopened.pool.query(`SELECT count(*) AS n FROM ledger_events WHERE stream_id LIKE 'task:S-%'`)).rows[0].n)).toBe(600);
      await reopened.close();
    } finally {
      await testDb.teardown();
    }
  }, 60_000);
});
