import { join } from 'node:path';
import { examples, DomainEvent } from '@reform-ledger/domain';
import { backupLedger, KeyRing, Ledger, LedgerTree, restoreLedger } from '@reform-ledger/ledger';
import { testEngines, twoDatabases, TwoDatabases } from '@reform-ledger/ledger/testing';
import { progressQuery } from './plan-progress/plan-progress.query';
import { Projector } from './projector';
import { ViewReader } from './reader';
import { TemporalStore } from './temporal-store';
import { VIEW_NAMES, VIEWS } from './views';

/** A restored ledger (npm run reform-ledger -- restore) in a fresh database: the views are not in the backup; they rebuild from it. */
describe.each(testEngines())('views after a restore, on $name PostgreSQL', (engine) => {
  let pair: TwoDatabases;
  beforeAll(async () => (pair = await twoDatabases(engine, 'rl-restore-views-')), 120_000);
  afterAll(() => pair?.close(), 60_000);

  it('rebuilds every view from the restored ledger: the plan\'s progress as recorded before the backup', async () => {
    const { from, to, dir } = pair;
    const keys = KeyRing.ephemeral();
    const ledger = new Ledger(from.pool, { signer: keys });
    const record = (streamId: string, ...events: DomainEvent[]) => ledger.append(streamId, events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data })));
    await record('plan:P1', examples.planIssued());
    for (const id of ['T1', 'T2', 'T3']) await record(`task:${id}`, examples.taskDefined({ planId: 'P1' }));
    await record('task:T1', examples.taskCompleted({ occurredAt: '2022-06-12' }));
    const tree = new LedgerTree(from.pool);
    while ((await tree.size()).size < 5) await tree.extend(keys);
    await backupLedger(from.pool, join(dir, 'backup'), keys.records);

    await restoreLedger(to.pool, join(dir, 'backup'));
    const restored = new Ledger(to.pool);
    const store = await TemporalStore.open(to.url);
    const projector = new Projector(restored, store, VIEWS);
    try {
      projector.start();
      expect(await projector.waitFor(VIEW_NAMES, 5, 60_000)).toBe(true);
      const reader = new ViewReader(store, restored);
      expect(await reader.answer(progressQuery, { asOf: '2022-11-30' }, 'P1')).toMatchObject({ total: 3, completed: 1 });
      expect((await restored.verify({ keys })).ok).toBe(true);
    } finally {
      await projector.stop();
      await store.close();
    }
  }, 120_000);
});
