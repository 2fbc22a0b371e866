import { DECIDERS, DomainEvent, examples, fold, SCHEMA_VERSIONS } from '@reform-ledger/domain';
import { Database, Ledger } from '@reform-ledger/ledger';
import { TestDatabase, testEngines } from '@reform-ledger/ledger/testing';
import { loadRecord, loadRecords } from './folded-streams';

const STREAM = 'recruitment:vc-2022';
const toNew = (e: DomainEvent) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data, schemaVersion: (SCHEMA_VERSIONS.recruitment as Record<string, number>)[e.type] });
const application = (n: number) => examples.applicationReceived({ applicationId: `VC-${n}`, applicantRef: `applicant-${n}` });

describe.each(testEngines())('states kept between writes, on $name PostgreSQL', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let other: Database;
  let ledger: Ledger;
  /** The state a fold of the whole stream from version 1 gives, read through another pool (whose cache is empty). */
  const folded = async () => fold(DECIDERS.recruitment, (await new Ledger(other.pool).readStream(STREAM)).map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data })));
  const append = (...events: DomainEvent[]) => ledger.append(STREAM, events.map(toNew));

  beforeAll(async () => {
    testDb = await engine.setup();
    db = await testDb.open(5);
    other = await testDb.open(2);
    ledger = new Ledger(db.pool);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await other?.close();
    await testDb?.teardown();
  });

  it('gives the state a fold from the first event gives, after each write, reading only the events after the kept one', async () => {
    await append(examples.recruitmentPlanApproved(), examples.noticePublished(), application(1), application(2));
    expect(JSON.stringify((await loadRecord(ledger, 'recruitment', 'vc-2022')).state)).toBe(JSON.stringify(await folded()));
    await append(examples.eligibilityDecided({ applicationId: 'VC-1' }), examples.applicationWithdrawn({ applicationId: 'VC-2' }), application(3));
    const reads: (number | undefined)[] = [];
    const spy = jest.spyOn(ledger, 'readStreams').mockImplementation(async function (this: Ledger, ...args) {
      reads.push(...args[0].map((r) => r.fromVersion));
      spy.mockRestore();
      return this.readStreams(...args);
    });
    const loaded = await loadRecord(ledger, 'recruitment', 'vc-2022');
    expect(reads).toEqual([4]); // from the kept version (checked to be the same event), not from 1
    expect(loaded.version).toBe(7);
    expect(JSON.stringify(loaded.state)).toBe(JSON.stringify(await folded()));
  });

  it('keeps nothing a rolled-back transaction appended', async () => {
    const before = await loadRecord(ledger, 'recruitment', 'vc-2022');
    await expect(ledger.transaction(async (tx) => {
      await tx.append(STREAM, [toNew(application(9))]);
      const inside = await loadRecord(tx, 'recruitment', 'vc-2022');
      expect(inside.version).toBe(before.version + 1);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    const after = await loadRecord(ledger, 'recruitment', 'vc-2022');
    expect(after.version).toBe(before.version);
    expect(JSON.stringify(after.state)).toBe(JSON.stringify(await folded()));
  });

  it('folds a stream again from its first event when the event at the kept version is not the one it was', async () => {
    await loadRecord(ledger, 'recruitment', 'vc-2022'); // kept at version 7
    // The stream replaced under the same name (as in a database recreated while the process ran).
    await db.pool.query('DELETE FROM ledger_events WHERE stream_id = $1 AND stream_version > 4', [STREAM]);
    await db.pool.query('UPDATE ledger_streams SET version = 4 WHERE stream_id = $1', [STREAM]);
    await append(application(5), application(6), application(7));
    const loaded = await loadRecord(ledger, 'recruitment', 'vc-2022');
    expect(loaded.version).toBe(7);
    expect(JSON.stringify(loaded.state)).toBe(JSON.stringify(await folded()));
    expect(loaded.state).toMatchObject({ applications: expect.objectContaining({ size: 5 }) });
  });

  it('loads several records in one read, each from its own kept version, and a record with no events as its initial state', async () => {
    await ledger.append('unit:u-1', [toNew(examples.unitRegistered({ name: 'Đơn vị 1' }))]);
    const reads: { streamId: string; fromVersion?: number }[][] = [];
    const original = ledger.readStreams.bind(ledger);
    const spy = jest.spyOn(ledger, 'readStreams').mockImplementation((streams) => {
      reads.push(streams);
      return original(streams);
    });
    const loaded = await loadRecords(ledger, [{ kind: 'recruitment', id: 'vc-2022' }, { kind: 'unit', id: 'u-1' }, { kind: 'unit', id: 'khong-co' }]);
    spy.mockRestore();
    expect(reads).toEqual([[{ streamId: STREAM, fromVersion: 7 }, { streamId: 'unit:u-1', fromVersion: 1 }, { streamId: 'unit:khong-co', fromVersion: 1 }]]);
    expect(loaded.map((l) => [l.version, l.state.status])).toEqual([[7, 'open'], [1, 'active'], [0, 'absent']]);
    expect(JSON.stringify(loaded[0].state)).toBe(JSON.stringify(await folded()));
  });
});
