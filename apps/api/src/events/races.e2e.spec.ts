import { examples } from '@reform-ledger/domain';
import { testEngines } from '@reform-ledger/ledger/testing';
import { appUnderTest, freshKey, seedSkeleton } from '../testing';

const { UNITS } = examples;
const LEAD = `demo-dept-${UNITS.homeAffairs}`;
const OWNER = `demo-dept-${UNITS.district}`;
/** How many times each race is run, and how many identical requests each sends at once. */
const ROUNDS = 10;
const AT_ONCE = 50;

describe.each(testEngines())('retries and races on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  const counts = async () => (await t.db.pool.query<{ events: string; keys: string }>(
    'SELECT (SELECT count(*) FROM ledger_events) AS events, (SELECT count(*) FROM ledger_idempotency) AS keys')).rows[0];

  beforeAll(async () => {
    await seedSkeleton(t.app);
    await t.post(`/api/v1/units/${UNITS.district}/events`, examples.unitAliasAdded({ alias: 'Huyện Đắk Song' })).expect(201);
  }, 60_000);

  /** Sends the same request `AT_ONCE` times at once; every answer must be the first 201, and one event stored. */
  const race = async (path: string, body: unknown, token: string) => {
    const key = freshKey();
    const before = Number((await counts()).events);
    const answers = await Promise.all(Array.from({ length: AT_ONCE }, () => t.post(path, body, { key, token })));
    const statuses = answers.map((a) => `${a.status} ${a.status === 201 ? '' : a.body.code}`);
    expect(statuses).toEqual(Array(AT_ONCE).fill('201 '));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(Number((await counts()).events)).toBe(before + 1);
  };

  it(`gives ${AT_ONCE} identical requests under one key the first 201, ${ROUNDS} times over, for a record's creation and for a step that can happen once`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await race(`/api/v1/units/race-unit-${round}/events`, examples.unitRegistered({ name: `Đơn vị thử ${round}` }), 'demo-admin');
      await t.post(`/api/v1/tasks/RACE-${round}/events`, examples.taskDefined()).expect(201);
      await race(`/api/v1/tasks/RACE-${round}/events`, examples.taskCompleted(), LEAD);
    }
  }, 180_000);

  it('answers a replay only to the key that made it: another key is refused, by its rights first, then as a reused key; nothing is stored', async () => {
    const key = freshKey();
    const body = examples.taskProgressReported({ note: 'Báo cáo của phòng Nội vụ' });
    const first = await t.post('/api/v1/tasks/T-07/events', body, { key, token: LEAD }).expect(201);
    const before = await counts();
    // Phòng Tư pháp may not write the task at all: 403, never A's result.
    const other = await t.post('/api/v1/tasks/T-07/events', body, { key, token: `demo-dept-${UNITS.justice}` });
    expect([other.status, other.body.code]).toEqual([403, 'auth.not_your_record']);
    // The plan's owner and an admin may write it, but did not make this request.
    for (const token of [OWNER, 'demo-admin']) {
      const reused = await t.post('/api/v1/tasks/T-07/events', body, { key, token });
      expect([token, reused.status, reused.body.code]).toEqual([token, 422, 'idempotency_key.reused']);
      expect(reused.body.errors).toEqual([{ field: 'Idempotency-Key', reason: expect.any(String) }]);
      expect(reused.body).not.toHaveProperty('eventId');
    }
    expect(await counts()).toEqual(before);
    expect((await t.post('/api/v1/tasks/T-07/events', body, { key, token: LEAD }).expect(201)).body).toEqual(first.body);
  });

  it('absorbs 32 concurrent writers to one stream without If-Match, while another process writes it too: every one 201, each stored once, 3 times over', async () => {
    for (let round = 0; round < 3; round++) {
      const before = Number((await counts()).events);
      // Writers in this process take turns; those of another process (here: straight to the ledger) make real conflicts.
      const elsewhere = Array.from({ length: 16 }, (_, i) =>
        t.ledger.append(`unit:${UNITS.district}`, [{ ...examples.unitAliasAdded({ alias: `Tên ở nơi khác ${round}-${i}` }), schemaVersion: 1 }]));
      const answers = await Promise.all(Array.from({ length: 32 }, (_, i) =>
        t.post(`/api/v1/units/${UNITS.district}/events`, examples.unitAliasAdded({ alias: `Tên gọi khác ${round}-${i}` }))));
      await Promise.all(elsewhere);
      expect(answers.map((a) => a.status === 201 ? 201 : `${a.status} ${a.body.code}`)).toEqual(Array(32).fill(201));
      expect(new Set(answers.map((a) => a.body.streamVersion)).size).toBe(32);
      expect(Number((await counts()).events)).toBe(before + 48);
    }
  }, 120_000);

  it('keeps 409 for writers that pin the version with If-Match: one wins, the others are told the current version', async () => {
    const version = (await t.ledger.readStream(`unit:${UNITS.district}`)).at(-1)!.streamVersion;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      t.post(`/api/v1/units/${UNITS.district}/events`, examples.unitAliasAdded({ alias: `Tên ghim ${i}` }), { ifMatch: `"${version}"` })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body).toMatchObject({ code: 'version_conflict', currentVersion: version + 1 });
  });
});
