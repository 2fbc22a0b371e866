import fc from 'fast-check';
import request from 'supertest';
import { examples } from '@reform-ledger/domain';
import { testEngines } from '@reform-ledger/ledger/testing';
import { appUnderTest, freshKey, seedSkeleton } from '../testing';

/**
 * Property: no malformed or hostile request is ever stored or answered with a 5xx. Each generated
 * request starts from a valid one and breaks it in at least one way, so every one must be refused.
 */
const RUNS = 2_000;

const sql = fc.constantFrom(
  "'; DROP TABLE ledger_events; --", '1 OR 1=1', '" OR ""="', '$$; DELETE FROM api_keys; $$',
  "') ; TRUNCATE ledger_events CASCADE; --", "T-07' --", 'UNION SELECT * FROM api_keys', '\\x00',
);
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype'), sql, fc.string({ minLength: 1, maxLength: 20 }).map((s) => `x_${s}`));
const wrongType = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);
const badDate = fc.oneof(
  fc.constantFrom('2022-11-31', '2022-02-30', '2023-02-29', '31/11/2022', '2022-13-01', '2022-00-10', '2022-11-30T25:00:00Z',
    '2022-11-30T10:00:00', '', 'hôm qua', '99999-01-01', '2022-11-30 10:00Z', '0000-01-01'),
  sql,
  fc.integer(),
);
const huge = fc.integer({ min: 4_001, max: 700_000 }).map((n) => 'Đắk Song '.repeat(Math.ceil(n / 9)));

type Body = Record<string, unknown>;
/** Valid bodies for existing records, each with its route. */
const bases = (): [string, Body][] => [
  ['/api/v1/tasks/T-07/events', examples.taskProgressReported()],
  ['/api/v1/tasks/T-07/events', examples.taskDueChanged()],
  ['/api/v1/plans/cchc-2022/events', examples.planAmended()],
  ['/api/v1/units/ubnd-xa-nam-binh/events', examples.unitAliasAdded({ alias: 'UBND xã Nam Bình (cũ)' })],
];

type Mutation = { path: string; body: unknown; key?: string; raw?: string; label: string };
const set = (body: Body, path: string[], value: unknown): Body => {
  const [head, ...rest] = path;
  const copy: Body = { ...body };
  Object.defineProperty(copy, head, {
    value: rest.length ? set((body[head] as Body) ?? {}, rest, value) : value, enumerable: true, writable: true, configurable: true,
  });
  return copy;
};
const without = (body: Body, key: string): Body => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));

const mutation: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom(...bases()), fc.nat()).chain(([[path, base], pick]) => {
  const dataKeys = Object.keys(base.data as Body);
  const dataKey = dataKeys[pick % dataKeys.length];
  return fc.oneof(
    wrongType.map((v) => ({ path, body: set(base, ['data', dataKey], v), label: `data.${dataKey} wrong type` })),
    fc.tuple(hostileKey, fc.jsonValue()).map(([k, v]) => ({ path, body: set(base, ['data', k], v), label: `data extra key ${k}` })),
    fc.tuple(hostileKey, fc.jsonValue()).map(([k, v]) => ({ path, body: set(base, [k], v), label: `envelope extra key ${k}` })),
    fc.constantFrom('type', 'occurredAt', 'data').map((k) => ({ path, body: without(base, k), label: `missing ${k}` })),
    badDate.map((d) => ({ path, body: set(base, ['occurredAt'], d), label: 'bad occurredAt' })),
    fc.oneof(sql, fc.string({ maxLength: 30 }), wrongType).map((t) => ({ path, body: set(base, ['type'], t), label: 'bad type' })),
    badDate.map((d) => ({ path: '/api/v1/tasks/T-07/events', body: set(examples.taskDueChanged(), ['data', 'dueOn'], d), label: 'bad dueOn' })),
    huge.map((s) => ({ path: '/api/v1/tasks/T-07/events', body: set(examples.taskProgressReported(), ['data', 'note'], s), label: 'huge note' })),
    sql.map((s) => ({ path: `/api/v1/tasks/${encodeURIComponent(s)}/events`, body: base, label: 'sql in id' })),
    fc.oneof(sql.filter((s) => /\s/.test(s)), fc.string({ minLength: 201, maxLength: 300 })).map((k) => ({ path, body: base, key: k, label: 'bad idempotency key' })),
    fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.string(), fc.integer(), fc.constant(null)).map((b) => ({ path, body: b, label: 'not an object' })),
    fc.integer({ min: 9, max: 40 }).map((depth) => {
      let deep: unknown = 1;
      for (let i = 0; i < depth; i++) deep = { a: deep };
      return { path, body: set(base, ['data', 'progress'], deep), label: 'deep nesting' };
    }),
    fc.constantFrom('__proto__', 'constructor').map((k) => ({
      path, body: null, label: `raw ${k} pollution`,
      raw: JSON.stringify(base).replace(/^\{/, `{"${k}":{"isAdmin":true,"polluted":true},`),
    })),
    fc.tuple(fc.nat({ max: 3 }), fc.constantFrom(...bases())).map(([i, [, b]]) => ({
      path: '/api/v1/events:batch',
      body: [{ stream: { kind: 'task', id: 'T-07' }, ...examples.taskProgressReported(), idempotencyKey: freshKey() },
        { stream: { kind: ['task', 'widget', '__proto__', "'; --"][i], id: 'T-07' }, ...b, occurredAt: '2022-11-31', idempotencyKey: freshKey() }],
      label: 'batch with a bad item',
    })),
  );
});

describe.each(testEngines())('hostile requests on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);

  beforeAll(async () => {
    await seedSkeleton(t.app);
  }, 60_000);

  it(`refuses ${RUNS} generated malformed or hostile requests with a 4xx problem, storing nothing`, async () => {
    const count = async () => Number((await t.db.pool.query('SELECT count(*) AS n FROM ledger_events')).rows[0].n);
    const before = { head: await t.db.pool.query('SELECT max(global_position) AS p FROM ledger_events').then((r) => r.rows[0].p), count: await count() };
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        seen.set(m.label.replace(/ key .*/, ' key'), (seen.get(m.label.replace(/ key .*/, ' key')) ?? 0) + 1);
        const res = await request(t.app.getHttpServer())
          .post(m.path)
          .set('Authorization', 'Bearer demo-admin')
          .set('Idempotency-Key', m.key ?? freshKey())
          .set('Content-Type', 'application/json')
          .send(m.raw ?? JSON.stringify(m.body));
        if (res.status < 400 || res.status >= 500 || !/problem\+json/.test(res.headers['content-type'] ?? '')) {
          throw new Error(`${m.label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
      }),
      { numRuns: RUNS, seed: 20221130 },
    );
    expect({ head: await t.db.pool.query('SELECT max(global_position) AS p FROM ledger_events').then((r) => r.rows[0].p), count: await count() }).toEqual(before);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(seen.size).toBeGreaterThanOrEqual(14);
  }, 300_000);

  it('stores SQL-looking free text verbatim, as data, with the ledger intact', async () => {
    const note = "'; DROP TABLE ledger_events; -- Đắk Song";
    const res = await request(t.app.getHttpServer()).post('/api/v1/tasks/T-07/events').set('Authorization', 'Bearer demo-admin')
      .set('Idempotency-Key', freshKey()).send(examples.taskProgressReported({ note })).expect(201);
    const [event] = await t.ledger.readStream('task:T-07', { fromVersion: res.body.streamVersion });
    expect((event.data as { note: string }).note).toBe(note);
    expect((await t.ledger.verify()).ok).toBe(true);
  });
});
