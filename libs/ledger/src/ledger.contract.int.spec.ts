import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  buildBundle,
  Database,
  ExportedEvent,
  IdempotencyKeyReusedError,
  KeyRing,
  Ledger,
  LedgerInputError,
  LedgerTree,
  migrate,
  MIGRATIONS,
  NewEvent,
  StoredEvent,
  VersionConflictError,
  verifyBundle,
} from './index';
import { testEngines, TestDatabase } from './testing/engines';
import { uuidv7 } from './uuid';
import { useTimeZone } from '@reform-ledger/calendar';

const ev = (type = 'TaskCompleted', data: unknown = { taskId: 'T-07' }, occurredAt = '2022-11-20'): NewEvent => ({
  type,
  data,
  occurredAt,
});

const countEvents = async (pool: Pool) => Number((await pool.query('SELECT count(*) AS n FROM ledger_events')).rows[0].n);

const reset = (pool: Pool) =>
  pool.query(`TRUNCATE ledger_events, ledger_streams, ledger_idempotency, ledger_tree, ledger_tree_heads;
              ALTER SEQUENCE ledger_position_seq RESTART`);

describe.each(testEngines())('ledger contract on $name PostgreSQL', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let ledger: Ledger;

  beforeAll(async () => {
    testDb = await engine.setup();
    db = await testDb.open();
    ledger = new Ledger(db.pool);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await testDb?.teardown();
  }, 60_000);

  beforeEach(() => reset(db.pool));

  describe('append and optimistic concurrency', () => {
    it('stamps the envelope: uuid v7 ids, versions from 1, positions, database recordedAt', async () => {
      const before = (await db.pool.query('SELECT now() AS t')).rows[0].t as Date;
      const r = await ledger.append('task:T-01', [ev(), ev('TaskReopened')], {
        expectedVersion: 'no_stream',
        metadata: { actor: { keyId: 'k1', unitId: 'phong-noi-vu', role: 'department' }, correlationId: 'c-1' },
      });
      expect(r).toMatchObject({ streamId: 'task:T-01', streamVersion: 2, firstPosition: 1, lastPosition: 2, duplicate: false });
      const [first, second] = await ledger.readStream('task:T-01');
      expect(first.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(first).toMatchObject({
        streamVersion: 1,
        globalPosition: 1,
        schemaVersion: 1,
        occurredAt: '2022-11-20T00:00:00.000000Z',
        actor: { keyId: 'k1', unitId: 'phong-noi-vu', role: 'department' },
        correlationId: 'c-1',
        prevHash: '',
      });
      expect(second.prevHash).toBe(first.hash);
      expect(new Date(first.recordedAt).getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(first.recordedAt).toBe(r.recordedAt);
    });

    it('keeps Vietnamese text exactly', async () => {
      const name = 'UBND xã Nâm N’Jang — Đắk Song, phòng Tư pháp';
      await ledger.append('unit:x', [ev('UnitRegistered', { name })]);
      expect((await ledger.readStream('unit:x'))[0].data).toEqual({ name });
    });

    it('refuses a wrong expected version with the actual version', async () => {
      await ledger.append('task:T-02', [ev()]);
      await expect(ledger.append('task:T-02', [ev()], { expectedVersion: 'no_stream' })).rejects.toMatchObject({
        constructor: VersionConflictError,
        actual: 1,
      });
      await expect(ledger.append('task:T-02', [ev()], { expectedVersion: 5 })).rejects.toBeInstanceOf(VersionConflictError);
      await expect(ledger.append('task:T-02', [ev()], { expectedVersion: 1 })).resolves.toMatchObject({ streamVersion: 2 });
    });

    it('lets exactly one of 32 concurrent appends with the same expected version succeed', async () => {
      await ledger.append('task:T-03', [ev()]);
      const results = await Promise.allSettled(
        Array.from({ length: 32 }, (_, i) => ledger.append('task:T-03', [ev('TaskProgressReported', { i })], { expectedVersion: 1 })),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const conflicts = results.filter((r) => r.status === 'rejected' && r.reason instanceof VersionConflictError);
      expect(ok).toHaveLength(1);
      expect(conflicts).toHaveLength(31);
      const versions = (await ledger.readStream('task:T-03')).map((e) => e.streamVersion);
      expect(versions).toEqual([1, 2]);
    });

    it('serialises 32 concurrent "any" appends on a new stream without losing or doubling one', async () => {
      await Promise.all(Array.from({ length: 32 }, (_, i) => ledger.append('task:T-04', [ev('TaskProgressReported', { i })])));
      const events = await ledger.readStream('task:T-04');
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
      expect(new Set(events.map((e) => (e.data as { i: number }).i)).size).toBe(32);
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 32 });
    });
  });

  describe('group commit', () => {
    // One commit in flight at a time: the appends made in one tick go together, those made meanwhile form the next group.
    let grouped: Ledger;
    beforeAll(() => {
      grouped = new Ledger(db.pool, { groupsInFlight: 1 });
    });
    const transactions = async () => Number((await db.pool.query('SELECT count(DISTINCT tx_id) AS n FROM ledger_events')).rows[0].n);

    it('commits concurrent appends together, each answered with its own result or refusal', async () => {
      await grouped.append('task:G-0', [ev()]);
      const appends = [
        ...Array.from({ length: 12 }, (_, i) => grouped.append(`task:G-${i + 1}`, [ev(), ev('TaskReopened', { i })], { expectedVersion: 'no_stream' })),
        ...Array.from({ length: 4 }, (_, i) => grouped.append('task:G-0', [ev('TaskProgressReported', { i })], { expectedVersion: 1 })),
        grouped.append('task:G-20', [ev()], { idempotencyKey: 'same' }),
        grouped.append('task:G-20', [ev()], { idempotencyKey: 'same' }),
        grouped.append('task:G-20', [ev('TaskReopened')], { idempotencyKey: 'same' }),
      ];
      const results = await Promise.allSettled(appends);
      const value = (i: number) => (results[i] as PromiseFulfilledResult<Awaited<(typeof appends)[number]>>).value;
      // Fewer transactions than appends: they shared commits.
      expect(await transactions()).toBeLessThan(1 + appends.length);
      for (let i = 0; i < 12; i++) expect(value(i)).toMatchObject({ streamId: `task:G-${i + 1}`, streamVersion: 2, duplicate: false });
      expect(new Set(Array.from({ length: 12 }, (_, i) => value(i).firstPosition)).size).toBe(12);
      const onOne = results.slice(12, 16);
      expect(onOne.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(onOne.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason))
        .toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ name: VersionConflictError.name, actual: 2 })));
      expect(value(17)).toMatchObject({ ...value(16), duplicate: true });
      expect(results[18]).toMatchObject({ status: 'rejected', reason: expect.any(IdempotencyKeyReusedError) });
      expect(await countEvents(db.pool)).toBe(1 + 24 + 1 + 1);
      for (let i = 0; i < 12; i++) {
        const [a, b] = await ledger.readStream(`task:G-${i + 1}`);
        expect([a.globalPosition, b.globalPosition, b.prevPosition]).toEqual([value(i).firstPosition, value(i).lastPosition, value(i).firstPosition]);
      }
      expect(await ledger.verify()).toMatchObject({ ok: true });
    });

    it('keeps concurrent writers in one group: those a commit answers append again in one tick, and none goes alone', async () => {
      const api = new Ledger(db.pool); // two commits in flight, as the API's
      await Promise.all(Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 5; i++) await api.append(`task:W-${w}`, [ev()]);
      }));
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ledger_events WHERE stream_id LIKE 'task:W-%' GROUP BY tx_id`);
      expect(rows.map((r) => r.n)).toEqual([8, 8, 8, 8, 8]);
    });

    it('signs a group once and appends it whole; a group with a refusal goes append by append, each signed alone', async () => {
      const keys = KeyRing.ephemeral();
      const signed = new Ledger(db.pool, { groupsInFlight: 1, signer: keys });
      await signed.append('task:S-0', [ev()]);
      const whole = await Promise.all(Array.from({ length: 6 }, (_, i) => signed.append(`task:S-${i + 1}`, [ev(), ev('TaskReopened', { i })])));
      await signed.append('task:S-0', [ev()]);
      const mixed = await Promise.allSettled([
        ...Array.from({ length: 4 }, (_, i) => signed.append(`task:S-${i + 1}`, [ev('TaskProgressReported', { i })], { expectedVersion: 2 })),
        signed.append('task:S-0', [ev()], { expectedVersion: 1 }), // stale: refused
        signed.append('task:S-9', [ev()], { idempotencyKey: 'k' }),
        signed.append('task:S-9', [ev()], { idempotencyKey: 'k' }), // the same request: a duplicate
      ]);
      expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((mixed[4] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
      expect((mixed[6] as PromiseFulfilledResult<unknown>).value).toMatchObject({ duplicate: true });
      // A signature is stored on the last row it covers: each row belongs to the first signed row at or after it.
      const { rows } = await db.pool.query(`SELECT min(e.global_position)::int AS first, count(*)::int AS events FROM ledger_events e
        CROSS JOIN LATERAL (SELECT min(s.global_position) AS closer FROM ledger_events s WHERE s.global_position >= e.global_position AND length(s.signature) > 0) c
        GROUP BY c.closer ORDER BY 1`);
      // The six appends made while the first was committed: one signature over their 12 events.
      expect(rows).toContainEqual({ first: whole[0].firstPosition, events: 12 });
      // The mixed group was refused whole (RL412) and went append by append: one signature each.
      expect(rows.filter((r) => r.first > whole[5].lastPosition + 1).map((r) => r.events)).toEqual([1, 1, 1, 1, 1]);
      expect(await ledger.verify({ keys })).toMatchObject({ ok: true, checked: 1 + 12 + 1 + 5 });
    });

    it('answers each append of a group the server refuses as a whole on its own', async () => {
      await grouped.append('task:G-0', [ev()]);
      const eventId = uuidv7();
      const results = await Promise.allSettled([
        grouped.append('task:G-0', [ev('TaskProgressReported')]),
        grouped.append('task:G-1', [{ ...ev(), eventId }]),
        grouped.append('task:G-2', [ev()]),
        grouped.append('task:G-3', [{ ...ev(), eventId }]), // the same event id: the group's insert fails
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect(await countEvents(db.pool)).toBe(4);
      expect(await ledger.verify()).toMatchObject({ ok: true });
    });

    it('answers every append of a group with the signer\'s failure, and stores none of them', async () => {
      let calls = 0;
      const failing = new Ledger(db.pool, { groupsInFlight: 1, signer: { keyId: 'k', sign: () => {
        if (++calls > 1) throw new Error('the signing device is gone');
        return Buffer.alloc(64);
      } } });
      await failing.append('task:F-0', [ev()]); // alone, signed
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => failing.append(`task:F-${i + 1}`, [ev()])));
      // The five made in one tick formed one group, which the signer failed once: refused together.
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ message: 'the signing device is gone' });
      expect(calls).toBe(2);
      expect(await countEvents(db.pool)).toBe(1);
    });

    it('signs an event id given in upper case as it is stored, in lower case', async () => {
      const keys = KeyRing.ephemeral();
      const eventId = uuidv7().toUpperCase();
      const r = await new Ledger(db.pool, { signer: keys }).append('task:U-1', [{ ...ev(), eventId }]);
      expect(r.eventIds).toEqual([eventId.toLowerCase()]);
      expect(await ledger.verify({ keys })).toMatchObject({ ok: true, checked: 1 });
    });

    it('finds its streams\' heads and keys by index, not by reading whole tables, however many streams there are', async () => {
      // 30,000 streams and keys stored since the tables were last analyzed (a burst of appends, as a
      // seed load or a busy hour makes): the planner used to prefer a full scan of both per group.
      await db.pool.query(`INSERT INTO ledger_streams SELECT 'bulk-' || i, 1, i, '\\x00', now() FROM generate_series(1, 30000) i;
        INSERT INTO ledger_idempotency SELECT 'bulk-' || i, 'k', 'f', '{}' FROM generate_series(1, 30000) i`);
      const item = (stream: string, key: string | null) => ({ s: stream, x: null, k: key, f: 'f', e: [{
        eventId: uuidv7(), type: 'TaskCompleted', schemaVersion: 1, data: {}, metadata: {}, occurredAt: '2022-11-20T00:00:00Z',
      }] });
      const client = await db.pool.connect();
      // This backend's scans not yet reported, this transaction's included.
      const scans = async () => (await client.query(`SELECT relname, seq_scan::int FROM pg_stat_xact_user_tables
        WHERE relname IN ('ledger_streams', 'ledger_idempotency') ORDER BY relname`)).rows;
      try {
        await client.query('BEGIN');
        const before = await scans();
        const { rows: [{ r }] } = await client.query('SELECT ledger_append_group($1) AS r',
          [JSON.stringify([item('bulk-7', 'new'), item('task:G-1', 'k'), item('task:G-2', null), item('bulk-9', 'k')])]);
        expect(r).toMatchObject([{ streamVersion: 2 }, { streamVersion: 1 }, { streamVersion: 1 }, { duplicate: true }]);
        expect(await scans()).toEqual(before);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });
  });

  describe('idempotency', () => {
    it('returns the original result for a sequential retry and writes nothing', async () => {
      const first = await ledger.append('task:T-05', [ev()], { idempotencyKey: 'req-1', expectedVersion: 'no_stream' });
      const retry = await ledger.append('task:T-05', [ev()], { idempotencyKey: 'req-1', expectedVersion: 'no_stream' });
      expect(retry).toEqual({ ...first, duplicate: true });
      expect(await countEvents(db.pool)).toBe(1);
    });

    it('returns one result to concurrent retries with the same key (any and expected version)', async () => {
      for (const expectedVersion of ['any', 0] as const) {
        const stream = `task:T-06-${expectedVersion}`;
        const results = await Promise.all(
          Array.from({ length: 16 }, () => ledger.append(stream, [ev()], { idempotencyKey: 'req-2', expectedVersion })),
        );
        expect(new Set(results.map((r) => r.eventIds[0])).size).toBe(1);
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(await ledger.readStream(stream)).toHaveLength(1);
      }
    });

    it('refuses the same key with a different request', async () => {
      await ledger.append('task:T-07', [ev('TaskCompleted', { on: '2022-11-20' })], { idempotencyKey: 'req-3' });
      await expect(
        ledger.append('task:T-07', [ev('TaskCompleted', { on: '2022-11-21' })], { idempotencyKey: 'req-3' }),
      ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
      expect(await countEvents(db.pool)).toBe(1);
    });

    it('scopes keys to their stream', async () => {
      await ledger.append('task:a', [ev()], { idempotencyKey: 'same' });
      await ledger.append('task:b', [ev()], { idempotencyKey: 'same' });
      expect(await countEvents(db.pool)).toBe(2);
    });
  });

  describe('transactions and request-keyed idempotency', () => {
    it('commits appends to several streams together, reading its own writes', async () => {
      const seen = await ledger.transaction(async (tx) => {
        await tx.append('plan:P-1', [ev('PlanIssued')], { expectedVersion: 'no_stream', idempotencyKey: 'i-1' });
        await tx.append('task:T-1', [ev('TaskDefined')], { expectedVersion: 'no_stream', idempotencyKey: 'i-2' });
        return (await tx.readStream('plan:P-1')).length;
      });
      expect(seen).toBe(1);
      expect(await countEvents(db.pool)).toBe(2);
      expect(await ledger.streamVersion('task:T-1')).toBe(1);
      expect((await ledger.verify()).ok).toBe(true);
    });

    it('writes nothing of a transaction that fails after some appends, and frees its connection', async () => {
      await ledger.append('task:T-1', [ev()], { expectedVersion: 'no_stream' });
      await expect(ledger.transaction(async (tx) => {
        await tx.append('plan:P-1', [ev('PlanIssued')], { expectedVersion: 'no_stream' });
        await tx.append('task:T-1', [ev()], { expectedVersion: 'no_stream' });
      })).rejects.toBeInstanceOf(VersionConflictError);
      expect(await countEvents(db.pool)).toBe(1);
      expect(await ledger.streamVersion('plan:P-1')).toBe(0);
      expect(db.pool.idleCount + db.pool.waitingCount).toBe(db.pool.totalCount);
    });

    it('finds an earlier append by key and request, and refuses the key for another request', async () => {
      const request = { type: 'TaskCompleted', data: { note: 'xong' } };
      expect(await ledger.findIdempotent('task:T-1', 'k-1', request)).toBeNull();
      const first = await ledger.append('task:T-1', [ev()], { idempotencyKey: 'k-1', request });
      expect(await ledger.findIdempotent('task:T-1', 'k-1', { ...request })).toEqual({ ...first, duplicate: true });
      await expect(ledger.findIdempotent('task:T-1', 'k-1', { ...request, data: {} })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
      // The request, not the decided events, identifies a retry.
      expect(await ledger.append('task:T-1', [ev('TaskCompleted', { other: 1 })], { idempotencyKey: 'k-1', request }))
        .toEqual({ ...first, duplicate: true });
    });
  });

  describe('export bundles', () => {
    const exportAll = async (after = 0) => {
      const events = [];
      for await (const batch of ledger.exportRange({ after, batchSize: 3 })) events.push(...batch);
      return events;
    };

    it('exports events that an offline check recomputes hash by hash, and names the first tampered event', async () => {
      await ledger.append('unit:xa-dak-n-drung', [ev('UnitRegistered', { name: 'UBND xã Đắk N’Drung', aliases: ['Đăk N’Drung'], n: 1.5, nested: { b: [1, 'x\n"y"'], a: null } })],
        { idempotencyKey: 'k1', metadata: { actor: { keyId: 'demo-admin', role: 'admin' }, correlationId: 'c' } });
      for (let i = 0; i < 5; i++) await ledger.append(`task:T-${i % 2}`, [ev('TaskCompleted', { i }), ev('TaskReopened', { i })], {});
      const events = await exportAll();
      expect(events).toHaveLength(11);
      const bundle = (list: ExportedEvent[], ledgerVerified = { ok: true, checked: 11 }) =>
        buildBundle({ events: [list], range: { afterPosition: 0, toPosition: 11 }, keys: [], heads: [], ledgerVerified, exportedAt: '' });
      const whole = await bundle(events);
      expect(await verifyBundle(whole)).toMatchObject({ ok: true, checked: 11 });
      // Read as a stream in 7-byte chunks: a chunk may end inside a Vietnamese character.
      const chunks = Array.from({ length: Math.ceil(whole.length / 7) }, (_, i) => whole.subarray(i * 7, i * 7 + 7));
      expect(await verifyBundle(Readable.from(chunks))).toMatchObject({ ok: true, checked: 11 });

      const tampered = events.map((e) => (e.globalPosition === 6 ? { ...e, data: e.data.replace('"i": 2', '"i": 9') } : e));
      expect(await verifyBundle(await bundle(tampered))).toMatchObject({ ok: false, firstBrokenPosition: 6, reason: expect.stringContaining('altered') });
      // An event removed from the middle of a stream, even with the manifest regenerated to match.
      const dropped = events.filter((e) => e.globalPosition !== 6);
      expect(await verifyBundle(await bundle(dropped))).toMatchObject({ ok: false, firstBrokenPosition: 6, reason: expect.stringContaining('missing') });
      // The same edit made inside the tar file, manifest untouched.
      const text = whole.toString('latin1').replace('\\"i\\": 3', '\\"i\\": 8');
      expect(text).not.toBe(whole.toString('latin1'));
      expect(await verifyBundle(Buffer.from(text, 'latin1'))).toMatchObject({ ok: false, firstBrokenPosition: 8 });
      // A bundle whose own manifest says the server's verify failed is not OK, however intact its events.
      expect(await verifyBundle(await bundle(events, { ok: false, checked: 11, firstBrokenPosition: 3 } as never)))
        .toMatchObject({ ok: false, reason: expect.stringContaining('did not verify (position 3') });
    });

    it('anchors a partial export to the hashes before it', async () => {
      for (let i = 0; i < 4; i++) await ledger.append('task:T-1', [ev('TaskCompleted', { i })], {});
      const tail = await exportAll(2);
      expect(tail.map((e) => e.globalPosition)).toEqual([3, 4]);
      const verdict = await verifyBundle(await buildBundle({
        events: [tail], range: { afterPosition: 2, toPosition: 4 }, keys: [], heads: [], ledgerVerified: { ok: true, checked: 4 }, exportedAt: '',
      }));
      expect(verdict).toMatchObject({ ok: true, checked: 2 });
    });
  });

  describe('transaction time', () => {
    it('stamps recorded_at in position order, even for concurrent writers', async () => {
      await Promise.all(Array.from({ length: 16 }, (_, w) => (async () => {
        for (let i = 0; i < 10; i++) await ledger.append(`task:W-${w}`, [ev()], {});
      })()));
      const events = (await ledger.readAll({ limit: 1000 }));
      expect(events).toHaveLength(160);
      for (let i = 1; i < events.length; i++) expect(events[i].recordedAt >= events[i - 1].recordedAt).toBe(true);
    });

    it('turns a knownAt into the position known then', async () => {
      expect(await ledger.positionAt(new Date())).toBe(0);
      await ledger.append('task:T-1', [ev(), ev()], {});
      const between = (await db.pool.query('SELECT clock_timestamp() AS t')).rows[0].t as Date;
      await ledger.append('task:T-2', [ev()], {});
      expect(await ledger.positionAt(between)).toBe(2);
      expect(await ledger.positionAt(new Date(Date.now() + 60_000))).toBe(3);
      expect(await ledger.positionAt('2000-01-01')).toBe(0);
    });

    it('lists activity by the actor\'s unit and key', async () => {
      await ledger.append('task:T-1', [ev()], { metadata: { actor: { keyId: 'k-a', unitId: 'phong-noi-vu', role: 'department' } } });
      await ledger.append('task:T-2', [ev()], { metadata: { actor: { keyId: 'k-b', unitId: 'phong-tu-phap', role: 'department' } } });
      expect((await ledger.activity({ unitId: 'phong-tu-phap' })).map((e) => e.streamId)).toEqual(['task:T-2']);
      expect((await ledger.activity({ keyId: 'k-a', to: new Date(Date.now() + 60_000) })).map((e) => e.streamId)).toEqual(['task:T-1']);
      expect(await ledger.activity({ from: new Date(Date.now() + 60_000) })).toEqual([]);
    });

    it('lists activity on the records a unit is responsible for, whoever recorded it', async () => {
      const admin = { metadata: { actor: { keyId: 'admin', role: 'admin' } } };
      await ledger.append('task:T-1', [ev('TaskDefined', { leadUnitId: 'phong-noi-vu' }), ev('TaskCompleted', {})], admin);
      await ledger.append('task:T-2', [ev('TaskDefined', { leadUnitId: 'phong-tu-phap' })], admin);
      await ledger.append('task:T-2', [ev('TaskReassigned', { leadUnitId: 'phong-noi-vu' })], admin);
      await ledger.append('task:T-3', [ev('TaskDefined', { leadUnitId: 'phong-tu-phap' })], admin);
      await ledger.append('unit:phong-noi-vu', [ev('UnitRenamed', { name: 'Phòng Nội vụ' })], admin);
      const owner = { unitId: 'phong-noi-vu', keys: [{ type: 'TaskDefined', field: 'leadUnitId' }, { type: 'TaskReassigned', field: 'leadUnitId' }], streams: ['unit:phong-noi-vu'] };
      expect((await ledger.activity({ owner })).map((e) => `${e.streamId} ${e.type}`)).toEqual([
        'task:T-1 TaskDefined', 'task:T-1 TaskCompleted', 'task:T-2 TaskDefined', 'task:T-2 TaskReassigned', 'unit:phong-noi-vu UnitRenamed',
      ]);
      expect((await ledger.activity({ owner, keyId: 'someone-else' }))).toEqual([]);
    });
  });

  describe('gap-free global feed', () => {
    it('does not pass an uncommitted event while later ones commit, then delivers each once in order', async () => {
      await ledger.append('s:before', [ev(), ev(), ev()]);
      const held = await db.pool.connect();
      try {
        await held.query('BEGIN');
        await held.query(`SELECT ledger_append('s:held', NULL, NULL, 'f', $1)`, [
          JSON.stringify([{ eventId: '01890000-0000-7000-8000-000000000001', type: 'Held', schemaVersion: 1, data: {}, metadata: {}, occurredAt: '2022-11-20T00:00:00Z' }]),
        ]);
        for (let i = 0; i < 5; i++) await ledger.append(`s:after-${i}`, [ev()]);
        expect(await countEvents(db.pool)).toBe(8); // the five later appends are committed and visible...
        const seen = (await ledger.readAll({ after: 0 })).map((e) => e.globalPosition);
        expect(seen).toEqual([1, 2, 3]); // ...but the feed stops below the held one
        expect(await ledger.readAll({ after: 3 })).toEqual([]);
        await held.query('COMMIT');
      } finally {
        await held.query('ROLLBACK').catch(() => undefined); // after a failure: no transaction left open
        held.release();
      }
      const rest = await ledger.readAll({ after: 3 });
      expect(rest.map((e) => e.streamId)).toEqual(['s:held', 's:after-0', 's:after-1', 's:after-2', 's:after-3', 's:after-4']);
      expect(rest.map((e) => e.globalPosition)).toEqual([4, 5, 6, 7, 8, 9]);
    });

    it('never passes an event reserved between two appends of one transaction, once that transaction commits', async () => {
      // T1 appends (position 1), T2 appends (position 2, a later transaction id) and stays open, T1 appends
      // again (position 3) and commits. A reader that returned 3 now would checkpoint past 2 for good.
      const tree = new LedgerTree(db.pool);
      const keys = KeyRing.ephemeral();
      let resume!: () => void;
      const paused = new Promise<void>((r) => (resume = r));
      let firstDone!: () => void;
      const first = new Promise<void>((r) => (firstDone = r));
      const t1 = ledger.transaction(async (tx) => {
        await tx.append('m:first', [ev()]);
        firstDone();
        await paused;
        await tx.append('m:second', [ev()]);
      });
      await first;
      const t2 = await db.pool.connect();
      let seen: number[];
      try {
        await t2.query('BEGIN');
        await t2.query(`SELECT ledger_append('m:between', NULL, NULL, 'f', $1)`, [
          JSON.stringify([{ eventId: uuidv7(), type: 'Between', schemaVersion: 1, data: {}, metadata: {}, occurredAt: '2022-11-20T00:00:00Z' }]),
        ]);
        resume();
        await t1;
        seen = (await ledger.readAll()).map((e) => e.globalPosition);
        expect(seen.filter((p) => p >= 2)).toEqual([]); // position 2 is in flight: nothing at or above it
        expect(await ledger.headPosition()).toBeLessThan(2);
        await tree.extend(keys); // the Merkle tree reads the feed by the same rule
        await t2.query('COMMIT');
      } finally {
        resume();
        await t1.catch(() => undefined);
        await t2.query('ROLLBACK').catch(() => undefined); // after a failure: no transaction left open
        t2.release();
      }
      const rest = await ledger.readAll({ after: seen[seen.length - 1] ?? 0 });
      expect([...seen, ...rest.map((e) => e.globalPosition)]).toEqual([1, 2, 3]);
      expect(rest.map((e) => e.streamId)).toContain('m:between');
      await tree.extend(keys);
      const leaves = await db.pool.query('SELECT position FROM ledger_tree WHERE level = 0 ORDER BY index');
      expect(leaves.rows.map((r) => Number(r.position))).toEqual([1, 2, 3]);
    });

    it('does not wait for a transaction left open in another database of the same server', async () => {
      const url = new URL(testDb.url);
      url.pathname = '/postgres';
      const other = new Pool({ connectionString: url.toString(), max: 1 });
      const held = await other.connect();
      try {
        await held.query('BEGIN');
        await held.query('SELECT pg_current_xact_id()'); // an id older than the appends below
        await ledger.append('o:1', [ev()]);
        await ledger.transaction(async (tx) => {
          await tx.append('o:2', [ev()]);
          await tx.append('o:3', [ev()]);
        });
        expect((await ledger.readAll()).map((e) => e.streamId)).toEqual(['o:1', 'o:2', 'o:3']);
        expect(await ledger.headPosition()).toBe(3);
      } finally {
        await held.query('ROLLBACK').catch(() => undefined); // never left open: it would hold every other feed back
        held.release();
        await other.end();
      }
    });

    it('lets a polling reader see every event of racing, slow-committing writers exactly once, in order', async () => {
      const writers = Array.from({ length: 8 }, async (_, w) => {
        const client = await db.pool.connect();
        try {
          for (let i = 0; i < 20; i++) {
            await client.query('BEGIN');
            await client.query(`SELECT ledger_append($1, NULL, NULL, 'f', $2)`, [
              `race-${w}`,
              JSON.stringify([{ eventId: uuid(w, i), type: 'Raced', schemaVersion: 1, data: { w, i }, metadata: {}, occurredAt: '2022-11-20T00:00:00Z' }]),
            ]);
            await client.query('SELECT pg_sleep($1)', [Math.random() * 0.01]);
            await client.query('COMMIT');
          }
        } finally {
          client.release();
        }
      });
      const seen: number[] = [];
      let done = false;
      const all = Promise.all(writers).then(() => (done = true));
      for (let after = 0; ; ) {
        const writersFinished = done; // read before the query: an empty read after that means the end
        const batch = await ledger.readAll({ after, limit: 7 });
        seen.push(...batch.map((e) => e.globalPosition));
        if (batch.length) after = batch[batch.length - 1].globalPosition;
        else if (writersFinished) break;
      }
      await all;
      const stored = (await db.pool.query('SELECT global_position AS p FROM ledger_events ORDER BY 1')).rows.map((r) => Number(r.p));
      expect(stored).toHaveLength(160);
      expect(seen).toEqual(stored);
    });

    it('filters the feed by type, knownAt and validUntil', async () => {
      const a = await ledger.append('f:1', [ev('PlanIssued', {}, '2022-01-10'), ev('TaskCompleted', {}, '2022-11-20')]);
      await new Promise((r) => setTimeout(r, 20));
      await ledger.append('f:2', [ev('TaskCompleted', {}, '2022-11-25')]);
      expect((await ledger.readAll({ types: ['TaskCompleted'] })).map((e) => e.globalPosition)).toEqual([2, 3]);
      expect((await ledger.readAll({ knownAt: a.recordedAt })).map((e) => e.globalPosition)).toEqual([1, 2]);
      expect((await ledger.readAll({ validUntil: '2022-11-20' })).map((e) => e.globalPosition)).toEqual([1, 2]);
      expect((await ledger.readAll({ after: 1, limit: 1 })).map((e) => e.globalPosition)).toEqual([2]);
    });

    it('serves projections a light feed: same order and filters, only what folding needs, upcast', async () => {
      const upcasting = new Ledger(db.pool, { upcasters: [{ type: 'TaskCompleted', fromVersion: 1, upcast: (d) => ({ ...d, v2: true }) }] });
      await ledger.append('f:1', [ev('PlanIssued', { a: 1 }, '2022-01-10'), ev('TaskCompleted', { b: 'Đắk' }, '2022-11-20T08:00:00+07:00')]);
      await ledger.append('f:2', [ev('TaskCompleted', {}, '2022-11-25')]);
      expect(await upcasting.readFeed({ types: ['TaskCompleted'], limit: 1 })).toEqual([
        { globalPosition: 2, streamId: 'f:1', streamVersion: 2, type: 'TaskCompleted', schemaVersion: 2, data: { b: 'Đắk', v2: true }, occurredAt: '2022-11-20T01:00:00.000000Z' },
      ]);
      expect((await ledger.readFeed({ after: 2 })).map((e) => e.globalPosition)).toEqual([3]);
    });
  });

  describe('reading streams', () => {
    it('reads version ranges and time cuts', async () => {
      const first = await ledger.append('r:1', [ev('A', {}, '2022-01-01'), ev('B', {}, '2022-06-30')]);
      await new Promise((r) => setTimeout(r, 20));
      await ledger.append('r:1', [ev('C', {}, '2022-03-01'), ev('D', {}, '2022-12-31')]);
      const types = (events: StoredEvent[]) => events.map((e) => e.type);
      expect(types(await ledger.readStream('r:1'))).toEqual(['A', 'B', 'C', 'D']);
      expect(types(await ledger.readStream('r:1', { fromVersion: 2, toVersion: 3 }))).toEqual(['B', 'C']);
      expect(types(await ledger.readStream('r:1', { knownAt: first.recordedAt }))).toEqual(['A', 'B']);
      expect(types(await ledger.readStream('r:1', { validUntil: '2022-06-30' }))).toEqual(['A', 'B', 'C']);
      expect(types(await ledger.readStream('r:1', { validUntil: '2022-06-30', knownAt: first.recordedAt }))).toEqual(['A', 'B']);
      expect(await ledger.readStream('r:none')).toEqual([]);
    });

    it('reads several streams in one statement, each from its own version, in the order asked, upcast', async () => {
      const upcasting = new Ledger(db.pool, { upcasters: [{ type: 'B', fromVersion: 1, upcast: (d: object) => ({ ...d, v2: true }) }] });
      await ledger.append('m:1', [ev('A', { n: 1 }, '2022-01-01'), ev('B', { n: 2 }, '2022-11-20T08:00:00+07:00'), ev('C', { n: 3 })]);
      await ledger.append('m:2', [ev('A', { n: 4 })]);
      const stored = await ledger.readStream('m:1');
      const read = await upcasting.readStreams([{ streamId: 'm:2' }, { streamId: 'm:none' }, { streamId: 'm:1', fromVersion: 2 }, { streamId: 'm:2', fromVersion: 2 }]);
      expect(read.map((events) => events.map((e) => [e.streamId, e.streamVersion, e.type]))).toEqual([
        [['m:2', 1, 'A']], [], [['m:1', 2, 'B'], ['m:1', 3, 'C']], [],
      ]);
      expect(read[2][0]).toEqual({
        globalPosition: stored[1].globalPosition, eventId: stored[1].eventId, streamId: 'm:1', streamVersion: 2, type: 'B', schemaVersion: 2,
        data: { n: 2, v2: true }, occurredAt: '2022-11-20T01:00:00.000000Z',
      });
      expect(await ledger.readStreams([])).toEqual([]);
    });

    it('cuts valid time by the ledger\'s calendar: a date is its whole day in the zone; a date-only fact stays its date', async () => {
      await ledger.append('v:1', [ev('A', {}, '2022-11-30'), ev('B', {}, '2022-11-30T23:00:00Z'), ev('C', {}, '2022-12-01'), ev('D', {}, '2022-11-30T16:59:59+00:00')]);
      const types = (events: StoredEvent[]) => events.map((e) => e.type);
      // In Vietnam B (06:00 on 01/12) is after the end of 30/11; D (23:59:59 on 30/11) is not.
      expect(types(await ledger.readStream('v:1', { validUntil: '2022-11-30' }))).toEqual(['A', 'D']);
      expect(types(await ledger.readAll({ validUntil: '2022-11-30' }))).toEqual(['A', 'D']);
      expect(types(await ledger.readStream('v:1', { validUntil: '2022-12-01' }))).toEqual(['A', 'B', 'C', 'D']);
      const previous = useTimeZone('America/New_York');
      try {
        // In New York B is 18:00 on 30/11; C, a date, stays 01/12 although it is stored at 00:00 UTC (19:00 on 30/11 there).
        expect(types(await ledger.readStream('v:1', { validUntil: '2022-11-30' }))).toEqual(['A', 'B', 'D']);
        expect(types(await ledger.readStream('v:1', { validUntil: '2022-11-29' }))).toEqual([]);
      } finally {
        useTimeZone(previous);
      }
    });

    it('knows the last position it assigned, committed or not', async () => {
      expect(await ledger.lastAssignedPosition()).toBe(0);
      await ledger.append('p:1', [ev(), ev()]);
      await ledger.transaction(async (tx) => {
        await tx.append('p:2', [ev()]);
        expect(await ledger.lastAssignedPosition()).toBe(3); // reserved by a transaction still in flight
        throw new Error('roll back');
      }).catch(() => undefined);
      expect(await ledger.lastAssignedPosition()).toBe(3);
      expect(await ledger.headPosition()).toBe(2);
    });

    it('applies upcasters on read, in sequence, leaving the stored event untouched', async () => {
      await ledger.append('u:1', [{ type: 'TaskDefined', schemaVersion: 1, data: { due: '2022-06-30' }, occurredAt: '2022-01-10' }]);
      const upcasting = new Ledger(db.pool, {
        upcasters: [
          { type: 'TaskDefined', fromVersion: 1, upcast: (d) => ({ dueOn: d.due }) },
          { type: 'TaskDefined', fromVersion: 2, upcast: (d) => ({ ...d, field: 'unknown' }) },
        ],
      });
      const [read] = await upcasting.readStream('u:1');
      expect(read).toMatchObject({ schemaVersion: 3, data: { dueOn: '2022-06-30', field: 'unknown' } });
      expect((await upcasting.readAll())[0]).toMatchObject({ schemaVersion: 3 });
      expect((await ledger.readStream('u:1'))[0]).toMatchObject({ schemaVersion: 1, data: { due: '2022-06-30' } });
      expect((await ledger.verify()).ok).toBe(true);
    });
  });

  describe('integrity', () => {
    // Three interleaved streams: positions 1..12 as a:1 b:2 c:3 a:4 b:5 c:6 ...
    const fixture = async () => {
      for (let i = 0; i < 4; i++) {
        for (const s of ['a', 'b', 'c']) {
          await ledger.append(`chain:${s}`, [ev('Step', { s, i })], { metadata: { actor: { keyId: 'k', role: 'department' } } });
        }
      }
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 12 });
    };
    const tamper = async (sql: string) => {
      await reset(db.pool);
      await fixture();
      await db.pool.query(sql);
      return ledger.verify();
    };

    it('detects an UPDATE of data', async () => {
      expect(await tamper(`UPDATE ledger_events SET data = '{"s":"b","i":9}' WHERE global_position = 5`)).toMatchObject({
        ok: false,
        firstBrokenPosition: 5,
      });
    });

    it('detects an UPDATE of metadata or of the recorded time', async () => {
      expect(await tamper(`UPDATE ledger_events SET metadata = '{"actor":{"keyId":"other"}}' WHERE global_position = 7`))
        .toMatchObject({ ok: false, firstBrokenPosition: 7 });
      expect(await tamper(`UPDATE ledger_events SET recorded_at = recorded_at - interval '1 day' WHERE global_position = 3`))
        .toMatchObject({ ok: false, firstBrokenPosition: 3 });
    });

    it('detects a DELETE inside a stream and of a stream’s last event', async () => {
      expect(await tamper('DELETE FROM ledger_events WHERE global_position = 4')).toMatchObject({ ok: false, firstBrokenPosition: 4 });
      expect(await tamper('DELETE FROM ledger_events WHERE global_position = 11')).toMatchObject({ ok: false, firstBrokenPosition: 11 });
    });

    it('detects a swap of two rows', async () => {
      const swapped = await tamper(`
        UPDATE ledger_events SET global_position = -global_position WHERE global_position IN (2, 8);
        UPDATE ledger_events SET global_position = CASE global_position WHEN -2 THEN 8 ELSE 2 END WHERE global_position < 0;`);
      expect(swapped).toMatchObject({ ok: false, firstBrokenPosition: 2 });
    });

    it('detects a swap of two rows’ contents within a stream', async () => {
      const swapped = await tamper(`
        UPDATE ledger_events e SET data = o.data FROM ledger_events o
         WHERE (e.global_position, o.global_position) IN ((1, 4), (4, 1))`);
      expect(swapped).toMatchObject({ ok: false, firstBrokenPosition: 1 });
    });
  });

  describe('durability', () => {
    it('keeps every event and the chain across a restart and a new pool; keys still deduplicate', async () => {
      const r = await ledger.append('d:1', [ev(), ev()], { idempotencyKey: 'before-restart' });
      await ledger.append('d:2', [ev()]);
      await db.close();
      await testDb.restart();
      db = await testDb.open();
      ledger = new Ledger(db.pool);
      expect(await countEvents(db.pool)).toBe(3);
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: 3 });
      expect(await ledger.append('d:1', [ev(), ev()], { idempotencyKey: 'before-restart' })).toEqual({ ...r, duplicate: true });
      expect(await countEvents(db.pool)).toBe(3);
    }, 60_000);

    it('loses no acknowledged append when the writer is killed with SIGKILL, and writes no half batch', async () => {
      const child = spawn(process.execPath, ['-r', join(__dirname, '../../../tools/register.js'), join(__dirname, 'testing/crash-child.ts')], {
        env: { ...process.env, CRASH_DATABASE_URL: testDb.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const acks: { streamId: string; eventIds: string[] }[] = [];
      let buffer = '';
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      await new Promise<void>((resolve, reject) => {
        child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
        child.stdout.on('data', (chunk) => {
          buffer += chunk;
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            const [, streamId, , ids] = line.split(' ');
            acks.push({ streamId, eventIds: ids.split(',') });
          }
          if (acks.length >= 300) {
            child.removeAllListeners('exit');
            child.kill('SIGKILL');
            child.on('exit', () => resolve());
          }
        });
      });
      const ids = acks.flatMap((a) => a.eventIds);
      const { rows } = await db.pool.query('SELECT event_id FROM ledger_events WHERE event_id = ANY($1::uuid[])', [ids]);
      expect(rows).toHaveLength(ids.length);
      const perBatch = await db.pool.query(
        `SELECT idempotency_key, count(*)::int AS n FROM ledger_events GROUP BY idempotency_key HAVING count(*) <> 3`,
      );
      expect(perBatch.rows).toEqual([]);
      expect((await ledger.verify()).ok).toBe(true);
    }, 60_000);
  });

  describe('refused input writes nothing', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    /** `levels` arrays around an object: nested levels + 1 deep. */
    const nested = (levels: number) => {
      let value: unknown = { a: 1 };
      for (let i = 0; i < levels; i++) value = [value];
      return value as Record<string, unknown>;
    };
    const cases: [string, () => Promise<unknown>, string][] = [
      ['empty stream id', () => ledger.append('', [ev()]), 'stream_id.invalid'],
      ['blank stream id', () => ledger.append('   ', [ev()]), 'stream_id.invalid'],
      ['over-long stream id', () => ledger.append('x'.repeat(201), [ev()]), 'stream_id.invalid'],
      ['no events', () => ledger.append('s', []), 'events.empty'],
      ['payload over 256 KiB', () => ledger.append('s', [ev('Big', { blob: 'đ'.repeat(140_000) })]), 'payload.too_large'],
      ['a BigInt', () => ledger.append('s', [ev('X', { n: BigInt(1) })]), 'payload.not_serialisable'],
      ['a function', () => ledger.append('s', [ev('X', { f: () => 1 })]), 'payload.not_serialisable'],
      ['a circular object', () => ledger.append('s', [ev('X', circular)]), 'payload.not_serialisable'],
      ['NaN', () => ledger.append('s', [ev('X', { n: NaN })]), 'payload.not_serialisable'],
      ['a NUL character', () => ledger.append('s', [ev('X', { s: 'a\u0000b' })]), 'payload.not_serialisable'],
      ['a class instance', () => ledger.append('s', [ev('X', { d: new Map() })]), 'payload.not_serialisable'],
      // eslint-disable-next-line no-sparse-arrays
      ['an array with an empty slot', () => ledger.append('s', [ev('X', { a: [1, , 3] })]), 'payload.not_serialisable'],
      ['an array with an empty slot, signed', () => new Ledger(db.pool, { signer: KeyRing.ephemeral() }).append('s', [ev('X', { a: new Array(2) })]), 'payload.not_serialisable'],
      ['data nested 101 levels deep', () => ledger.append('s', [ev('X', nested(100))]), 'payload.not_serialisable'],
      ['data nested 100,000 levels deep (no stack overflow)', () => ledger.append('s', [ev('X', nested(100_000))]), 'payload.not_serialisable'],
      ['metadata nested 101 levels deep', () => ledger.append('s', [ev('X', {})], { metadata: { deep: nested(99) } as never }), 'payload.not_serialisable'],
      ['an impossible date', () => ledger.append('s', [ev('X', {}, '2022-11-31')]), 'event.occurred_at_invalid'],
      ['a bad event type', () => ledger.append('s', [ev('drop table;', {})]), 'event.type_invalid'],
      ['a negative expected version', () => ledger.append('s', [ev()], { expectedVersion: -1 }), 'expected_version.invalid'],
      ['an empty idempotency key', () => ledger.append('s', [ev()], { idempotencyKey: '' }), 'idempotency_key.invalid'],
    ];
    it.each(cases)('%s', async (_name, attempt, code) => {
      await expect(attempt()).rejects.toMatchObject({ constructor: LedgerInputError, code });
      expect(await countEvents(db.pool)).toBe(0);
    });
  });

  describe('migrations', () => {
    it('applies migrations once when several processes start together', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, () => migrate(db.pool)));
      expect(results.flat()).toEqual([]);
      const { rows } = await db.pool.query('SELECT version FROM ledger_migrations');
      expect(rows.map((r: { version: number }) => r.version).sort()).toEqual(MIGRATIONS.map((m) => m.version));
    });
  });
});

const uuid = (w: number, i: number) => `01890000-0000-7000-8000-${String(w * 1000 + i).padStart(12, '0')}`;
