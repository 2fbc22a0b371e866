import { cutEnd, validFrom } from '@reform-ledger/calendar';
import { examples, DomainEvent } from '@reform-ledger/domain';
import { Database, FeedEvent, Ledger, StoredEvent } from '@reform-ledger/ledger';
import { testEngines, TestDatabase } from '@reform-ledger/ledger/testing';
import { progressQuery, tasksQuery } from './plan-progress/plan-progress.query';
import { planProgressView } from './plan-progress/plan-progress.view';
import { Projector } from './projector';
import { CutQuery, ViewReader, ViewRebuilding } from './reader';
import { TemporalStore } from './temporal-store';
import type { View } from './view';
import { VIEWS } from './views';

const { UNITS } = examples;

describe.each(testEngines())('views at any cut on $name PostgreSQL', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let ledger: Ledger;
  let store: TemporalStore;
  let projector: Projector;
  let reader: ViewReader;
  const views = {
    progress: (planId: string, cut: CutQuery) => reader.answer(progressQuery, cut, planId),
    tasks: (planId: string, cut: CutQuery) => reader.answer(tasksQuery, cut, planId),
  };

  const record = (streamId: string, ...events: DomainEvent[]) =>
    ledger.append(streamId, events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data })));
  const now = async () => ((await db.pool.query('SELECT clock_timestamp() AS t')).rows[0].t as Date).toISOString();

  beforeAll(async () => {
    testDb = await engine.setup();
    db = await testDb.open(10);
    ledger = new Ledger(db.pool);
    store = await TemporalStore.open(testDb.url);
    projector = new Projector(ledger, store, VIEWS, { batchSize: 7 }); // small batches: many apply calls
    reader = new ViewReader(store, ledger);
  }, 60_000);

  afterAll(async () => {
    await projector?.stop();
    await store?.close();
    await db?.close();
    await testDb?.teardown();
  }, 60_000);

  it('counts a completion backdated to 20/11 in asOf=30/11, but not as known before it was recorded', async () => {
    await record('plan:P1', examples.planIssued());
    for (const id of ['T1', 'T2', 'T3']) await record(`task:${id}`, examples.taskDefined({ planId: 'P1' }));
    await record('task:T1', examples.taskCompleted({ occurredAt: '2022-06-12' }));
    await projector.catchUp();
    const before = await now();
    await record('task:T2', examples.taskCompleted({ occurredAt: '2022-11-20' })); // recorded "on 5 Dec"
    await projector.catchUp();

    expect(await views.progress('P1', { asOf: '2022-11-30' })).toMatchObject({ total: 3, completed: 2, completionRate: 0.6667, inProgress: 1, overdue: 0 });
    expect(await views.progress('P1', { asOf: '2022-11-30', knownAt: before })).toMatchObject({ total: 3, completed: 1 });
    expect(await views.progress('P1', { asOf: '2022-06-30' })).toMatchObject({ completed: 1, completedOnTime: 1 });
    expect(await views.progress('P1', { asOf: '2022-12-31' })).toMatchObject({ completed: 2, overdue: 1, inProgress: 0 });
    expect(await views.progress('P1', { asOf: '2022-01-09' })).toBeNull(); // the plan was issued on 10/01
    const positioned = await views.progress('P1', { position: 4 });
    expect(positioned).toMatchObject({ total: 3, completed: 0, cut: { asOf: null, knownAt: null, position: 4 } });
  });

  it('shows a task under its old lead unit before a reassignment of 01/07', async () => {
    await record('plan:P2', examples.planIssued());
    await record('task:R1', examples.taskDefined({ planId: 'P2', leadUnitId: UNITS.homeAffairs }));
    await record('task:R1', examples.taskReassigned({ occurredAt: '2022-07-01', leadUnitId: UNITS.justice }));
    await projector.catchUp();
    const lead = async (asOf: string) => (await views.tasks('P2', { asOf }))!.tasks[0].leadUnitId;
    expect(await lead('2022-06-30')).toBe(UNITS.homeAffairs);
    expect(await lead('2022-07-01')).toBe(UNITS.justice);
    expect((await views.progress('P2', { asOf: '2022-06-30' }))!.byUnit).toEqual([{ unitId: UNITS.homeAffairs, total: 1, completed: 0 }]);
  });

  it('counts days as Vietnamese days: a completion at 06:00 on 01/12 (+07:00) is late and not in asOf=2022-11-30', async () => {
    await record('plan:VN', examples.planIssued());
    const atTheEdge: [string, string][] = [
      ['V1', '2022-12-01T06:00:00+07:00'], // 23:00 UTC on 30/11: 01/12 in Vietnam, after its due day
      ['V2', '2022-11-30T23:59:59Z'], // 06:59:59 on 01/12 in Vietnam
      ['V3', '2022-11-30T16:59:59Z'], // 23:59:59 on 30/11 in Vietnam: on time
      ['V4', '2022-11-30T00:00:00+07:00'], // the first second of 30/11 in Vietnam (17:00 UTC on 29/11)
      ['V5', '2022-11-30'], // a date stays that date
    ];
    for (const [id, at] of atTheEdge) {
      await record(`task:${id}`, examples.taskDefined({ planId: 'VN', dueOn: '2022-11-30' }));
      await record(`task:${id}`, examples.taskCompleted({ occurredAt: at }));
    }
    await projector.catchUp();
    const board = (asOf: string) => views.tasks('VN', { asOf }).then((b) => Object.fromEntries(b!.tasks.map((t) => [t.taskId, t.completedOn])));
    expect(await board('2022-11-30')).toEqual({ V1: null, V2: null, V3: '2022-11-30', V4: '2022-11-30', V5: '2022-11-30' });
    expect(await board('2022-12-01')).toEqual({ V1: '2022-12-01', V2: '2022-12-01', V3: '2022-11-30', V4: '2022-11-30', V5: '2022-11-30' });
    expect(await board('2022-11-29')).toEqual({ V1: null, V2: null, V3: null, V4: null, V5: null });
    expect(await views.progress('VN', { asOf: '2022-11-30' })).toMatchObject({ total: 5, completed: 3, completedOnTime: 3, overdue: 0, inProgress: 2 });
    expect(await views.progress('VN', { asOf: '2022-12-01' })).toMatchObject({ total: 5, completed: 5, completedOnTime: 3, overdue: 0 });
    // An asOf instant is a moment: 06:30 on 01/12 in Vietnam sees V1 (06:00) and not V2 (06:59:59).
    expect(await board('2022-12-01T06:30:00+07:00')).toMatchObject({ V1: '2022-12-01', V2: null });
  });

  it('rebuilds a view stored by an older reducer on upgrade, and the old generation answers nothing meanwhile', async () => {
    // Before this release the views took a day as written in UTC: a completion at 23:00 UTC on 30/11 was done "on 30/11".
    const current: View = { ...planProgressView, name: 'plan-progress-upgrade' };
    const older: View = { ...current, version: current.version - 1,
      evolve: (kind, state, e: FeedEvent) => current.evolve(kind, state, { ...e, occurredAt: e.occurredAt.slice(0, 10) }) };
    await record('plan:UP', examples.planIssued());
    await record('task:UP-1', examples.taskDefined({ planId: 'UP', dueOn: '2022-11-30' }), examples.taskCompleted({ occurredAt: '2022-11-30T23:00:00Z' }));
    const before = new Projector(ledger, store, [older]);
    await before.catchUp();
    await before.stop();
    const doneOn = async () => (await reader.at([current], { asOf: '2022-12-31' }).then((at) => at.list<{ completedOn: string }>(current, 'task', 'UP')))[0].state.completedOn;
    const oldGeneration = await store.activeOf(current.name);
    expect(oldGeneration).toMatchObject({ version: older.version });
    await expect(doneOn()).rejects.toBeInstanceOf(ViewRebuilding);

    const upgraded = new Projector(ledger, store, [current]);
    expect(await upgraded.waitFor([current.name], 0, 50)).toBe(false); // the old generation does not count as ready
    await upgraded.catchUp();
    await upgraded.stop();
    expect(await store.activeOf(current.name)).toMatchObject({ version: current.version, generation: oldGeneration!.generation + 1 });
    expect(await doneOn()).toBe('2022-12-01');
  });

  it('answers every cut exactly as folding the ledger would, backdated events included', async () => {
    // A history where many events arrive out of valid-time order.
    await record('plan:P3', examples.planIssued());
    // Dates, and instants where the UTC date and the Vietnamese date disagree (00:00–06:59 +07:00, 17:00–23:59 UTC).
    const days = ['2022-02-01', '2022-03-15', '2022-05-01', '2022-06-30', '2022-08-20', '2022-10-10', '2022-11-30',
      '2022-06-30T17:30:00Z', '2022-07-01T06:59:59+07:00', '2022-11-30T23:00:00Z', '2022-12-01T00:00:00+07:00', '2022-11-30T16:59:59Z', '2022-06-30T23:59:00+07:00'];
    const dueDays = ['2022-02-01', '2022-06-30', '2022-07-01', '2022-11-30', '2022-12-01'];
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let t = 0; t < 12; t++) await record(`task:X${t}`, examples.taskDefined({ planId: 'P3', occurredAt: days[random(3)] }));
    for (let i = 0; i < 120; i++) {
      const t = random(12);
      const day = days[random(days.length)];
      const kind = random(4);
      const event = kind === 0 ? examples.taskCompleted({ occurredAt: day }) : kind === 1 ? examples.taskReopened({ occurredAt: day })
        : kind === 2 ? examples.taskReassigned({ occurredAt: day, leadUnitId: [UNITS.justice, UNITS.culture, UNITS.homeAffairs][random(3)] })
          : examples.taskDueChanged({ occurredAt: day, dueOn: dueDays[random(dueDays.length)] });
      await record(`task:X${t}`, event);
    }
    await projector.catchUp();
    const head = await ledger.headPosition();
    const all = await ledger.readAll({ limit: 10000 });
    // The oracle folds the ledger itself: every event whose valid time (calendar.validFrom) is within the cut.
    const oracle = (taskId: string, asOf: string, position: number) =>
      all.filter((e: StoredEvent) => e.streamId === `task:${taskId}` && e.globalPosition <= position && validFrom(e.occurredAt) <= cutEnd(asOf)!)
        .reduce<unknown>((s, e) => planProgressView.evolve('task', s, e), null);
    for (const asOf of [...days, '2022-01-01', '2023-01-01', '2022-07-01', '2022-12-01']) {
      for (const position of [head - 100, head - 50, head - 10, head]) {
        const answer = (await views.tasks('P3', { asOf, position })) ?? { tasks: [] };
        if (asOf < '2022-01-10') expect(answer.tasks).toEqual([]);
        const ledgerProgress = await views.progress('P3', { asOf, position });
        if (ledgerProgress) expect(ledgerProgress.completed).toBe(answer.tasks.filter((x) => x.status === 'done').length);
        for (let t = 0; t < 12; t++) {
          const expected = oracle(`X${t}`, asOf, position) as { status: string; leadUnitId: string; dueOn: string; completedOn?: string } | null;
          const got = answer.tasks.find((x) => x.taskId === `X${t}`);
          if (!expected || expected.status === 'absent') expect(got).toBeUndefined();
          else expect({ t, asOf, position, status: got?.status, lead: got?.leadUnitId, due: got?.dueOn, done: got?.completedOn })
            .toEqual({ t, asOf, position, status: expected.status, lead: expected.leadUnitId, due: expected.dueOn, done: expected.completedOn ?? null });
        }
      }
    }
    // The same rows when the cache is too small to hold them: backdated events read breakpoints back.
    const live = await store.dump(await store.active(planProgressView));
    const tight = await TemporalStore.open(testDb.url, { cacheLimit: 2, stepsKept: 1 });
    const rebuilt = await new Projector(ledger, tight).rebuild(planProgressView, undefined, 5);
    await tight.close();
    expect(await store.dump(rebuilt)).toBe(live);
  }, 60_000);

  it('keeps the live views and a rebuild identical, byte for byte, after 50,000 events from concurrent writers', async () => {
    await projector.stop(); // hand the leases over to the live projector
    const live = new Projector(ledger, store, VIEWS, { pollMs: 20 });
    live.start();
    const writers = 8;
    const perWriter = 50; // appends of 125 events each
    await record('plan:BIG', examples.planIssued());
    await Promise.all(Array.from({ length: writers }, (_, w) => (async () => {
      for (let i = 0; i < perWriter; i++) {
        const taskId = `W${w}-${i}`;
        // Mostly in valid-time order, as reports arrive; every 40th event is backdated.
        const day = (k: number) => {
          const d = new Date(Date.UTC(2022, 0, 10) + (k % 40 === 39 ? k - 30 : k) * 2 * 86_400_000);
          return d.toISOString().slice(0, 10);
        };
        const events: DomainEvent[] = [examples.taskDefined({ planId: 'BIG', occurredAt: '2022-01-10', leadUnitId: [UNITS.homeAffairs, UNITS.justice][w % 2] })];
        for (let k = 0; k < 124; k++) {
          events.push(k % 3 === 0 ? examples.taskCompleted({ occurredAt: day(k) }) : k % 3 === 1 ? examples.taskReopened({ occurredAt: day(k) })
            : examples.taskProgressReported({ occurredAt: day(k), progress: { numerator: k % 5, denominator: 5 } }));
        }
        await record(`task:${taskId}`, ...events);
      }
    })()));
    await live.stop();
    await live.catchUp();
    await live.stop();
    expect(await ledger.headPosition()).toBeGreaterThanOrEqual(50_000);
    const active = await store.active(planProgressView);
    const liveDump = await store.dump(active);
    // Rebuilt with almost no memory (2 breakpoints per entity, 5 entities cached): every backdated
    // event and most entities are read back from the table, and the result is still identical.
    const tight = await TemporalStore.open(testDb.url, { cacheLimit: 5, stepsKept: 2 });
    const rebuilt = await new Projector(ledger, tight).rebuild(planProgressView, undefined, 3_000);
    await tight.close();
    expect(rebuilt.generation).toBeGreaterThan(active.generation);
    expect(await store.dump(rebuilt)).toBe(liveDump);
    expect((await store.active(planProgressView)).generation).toBe(rebuilt.generation);
    expect((await views.progress('BIG', {}))!.total).toBe(writers * perWriter);
  }, 300_000);
});
