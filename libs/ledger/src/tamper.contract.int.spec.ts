import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Pool } from 'pg';
import { exportLedger, KeyRing, Ledger, LedgerTree, MIGRATIONS, NewEvent, TreeHead, Verdict, verifyBundle, Database } from './index';
import { testEngines, TestDatabase } from './testing/engines';

/**
 * Proof against the database's own administrator (issue 11): take a signed head, tamper with SQL as
 * the database's owner — covering the tracks wherever SQL can (chains, stream heads, idempotency rows,
 * the position sequence, the tree's own rows) — then both the live verify and an offline check of a
 * fresh export against the head taken before must fail, naming the position or the range.
 */
const ev = (i: number, stream: string): NewEvent => ({ type: 'TaskCompleted', data: { stream, i, note: 'Hoàn thành đúng hạn' }, occurredAt: '2022-11-20' });

/** What an administrator with psql can do to hide a change: every chain, stream head and idempotency row recomputed from the rows left. */
const COVER_UP = /* sql */ `
CREATE OR REPLACE FUNCTION tamper_cover_up() RETURNS void LANGUAGE plpgsql AS $$
DECLARE s text; r record; h bytea; prev bytea; pp bigint; v integer;
BEGIN
  FOR s IN SELECT DISTINCT stream_id FROM ledger_events LOOP
    h := ''::bytea; pp := NULL; v := 0;
    FOR r IN SELECT * FROM ledger_events WHERE stream_id = s ORDER BY global_position LOOP
      v := v + 1; prev := h;
      h := ledger_event_hash(prev, r.event_id, s, v, r.global_position, pp, r.type, r.schema_version, r.data, r.metadata,
        r.occurred_at, r.recorded_at, r.idempotency_key);
      UPDATE ledger_events SET stream_version = v, prev_position = pp, prev_hash = prev, hash = h WHERE global_position = r.global_position;
      pp := r.global_position;
    END LOOP;
  END LOOP;
  DELETE FROM ledger_streams;
  INSERT INTO ledger_streams (stream_id, version, head_position, head_hash, updated_at)
    SELECT DISTINCT ON (stream_id) stream_id, stream_version, global_position, hash, recorded_at FROM ledger_events ORDER BY stream_id, global_position DESC;
  DELETE FROM ledger_idempotency i WHERE NOT EXISTS (SELECT 1 FROM ledger_events e WHERE e.stream_id = i.stream_id AND e.idempotency_key = i.idempotency_key);
  -- and the tree's own rows past what is left, with the heads that covered them
  DELETE FROM ledger_tree_heads WHERE last_position > (SELECT coalesce(max(global_position), 0) FROM ledger_events);
END $$;`;

const forged = (stream: string) => `SELECT ledger_append('${stream}', NULL, NULL, 'f',
  '[{"eventId": "01890000-0000-7000-8000-00000000f00d", "type": "PlanIssued", "schemaVersion": 1, "data": {"planId": "ke-hoach-gia"}, "metadata": {}, "occurredAt": "2022-11-01T00:00:00Z"}]')`;

describe.each(testEngines())('tampering by the database owner, on $name PostgreSQL', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let keys = KeyRing.ephemeral();
  let ledger: Ledger;
  let tree: LedgerTree;

  beforeAll(async () => {
    testDb = await engine.setup();
    db = await testDb.open(10);
    ledger = new Ledger(db.pool, { signer: keys });
    tree = new LedgerTree(db.pool);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await testDb?.teardown();
  }, 60_000);

  /**
   * 30 events on streams a, b, c (single appends and one batch of three on b), with a head signed
   * after every ten; returns the last head: what the inspector keeps.
   */
  const fixture = async (pool: Pool): Promise<TreeHead> => {
    await pool.query(`TRUNCATE ledger_events, ledger_streams, ledger_idempotency, ledger_tree, ledger_tree_heads; ALTER SEQUENCE ledger_position_seq RESTART`);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) for (const s of ['a', 'b', 'c']) await ledger.append(`task:${s}`, [ev(round * 10 + i, s)], { idempotencyKey: `k-${round}-${i}-${s}` });
      await ledger.append('task:b', [ev(round * 10 + 7, 'b')]);
      await signThrough((round + 1) * 10);
    }
    return (await tree.latestHead())!;
  };

  /**
   * Signs heads until one covers `size` events. The gap-free feed waits behind any transaction open on
   * the server (other databases' too, on a shared server), so one call may not reach it yet.
   */
  const signThrough = async (size: number) => {
    while ((await tree.size()).size < size) {
      await tree.extend(keys);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  /** Waits until the gap-free feed reaches the last stored event (see signThrough); returns its position. */
  const feedThrough = async () => {
    const last = Number((await db.pool.query('SELECT coalesce(max(global_position), 0) AS p FROM ledger_events')).rows[0].p);
    while ((await ledger.headPosition()) < last) await new Promise((resolve) => setImmediate(resolve));
    return last;
  };

  const offline = async (trustedHead: TreeHead) => {
    const chunks: Buffer[] = [];
    const sink = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
    const to = await feedThrough();
    await exportLedger(ledger, sink, { after: 0, to, keys: keys.records });
    return verifyBundle(Buffer.concat(chunks), { trustedHead, threads: 1 });
  };

  /** Tampers, then expects live and offline verify to fail at `position` (exactly, or inside the range they name). */
  const expectCaught = async (sql: string, position: number, exact: boolean) => {
    const head = await fixture(db.pool);
    const intact = await ledger.verify({ keys, trusted: [head] });
    expect(intact).toMatchObject({ ok: true, checked: 30, treeSize: 30 });
    expect(intact.headsChecked).toBeGreaterThanOrEqual(3); // more where the feed lagged behind other transactions
    expect(await offline(head)).toMatchObject({ ok: true, checked: 30 });
    await db.pool.query(COVER_UP);
    await db.pool.query(sql);
    const names = (v: Verdict) => {
      expect(v.ok).toBe(false);
      if (exact) expect(v.firstBrokenPosition).toBe(position);
      else {
        expect(v.range).toBeDefined();
        expect(v.range!.fromPosition).toBeLessThanOrEqual(position);
        expect(v.range!.toPosition).toBeGreaterThanOrEqual(position);
      }
    };
    const live = await ledger.verify({ keys, trusted: [head] });
    names(live);
    // On worker threads (as for a large ledger): the same verdict.
    expect(await ledger.verify({ keys, trusted: [head], threads: 1 })).toEqual(live);
    const off = await offline(head);
    names(off);
    return { live, off };
  };

  // positions: round r (0..2) holds a b c a b c a b c (positions 10r+1 … 10r+9) and b at 10r+10
  it('catches the deletion of a stream\'s last event with its head row rewound', async () => {
    const { live } = await expectCaught('DELETE FROM ledger_events WHERE global_position = 30; SELECT tamper_cover_up()', 30, false);
    expect(live.reason).toContain('removed');
  }, 60_000);

  it('catches the deletion of a whole stream with its head and idempotency rows', async () => {
    await expectCaught(`DELETE FROM ledger_events WHERE stream_id = 'task:c'; SELECT tamper_cover_up()`, 3, false);
  }, 60_000);

  it('catches the deletion of the last 10 events with heads, idempotency rows and the sequence rewound', async () => {
    const { off } = await expectCaught(`DELETE FROM ledger_events WHERE global_position > 20; SELECT tamper_cover_up();
      SELECT setval('ledger_position_seq', 20); DELETE FROM ledger_tree WHERE level = 0 AND position > 20`, 21, false);
    expect(off.reason).toContain('removed');
  }, 60_000);

  it('catches an edited event whose stream chain and head were recomputed, at its position', async () => {
    await expectCaught(`UPDATE ledger_events SET data = '{"stream": "a", "i": 99, "note": "Không hoàn thành"}' WHERE global_position = 14; SELECT tamper_cover_up()`, 14, true);
  }, 60_000);

  it('catches a forged event inserted with a recomputed hash and head, at its position', async () => {
    await expectCaught(forged('plan:ke-hoach-gia'), 31, true);
  }, 60_000);

  it('catches a forged record with a backdated recorded_at, at its position', async () => {
    const { live } = await expectCaught(`${forged('plan:ke-hoach-gia')};
      UPDATE ledger_events SET recorded_at = '2022-11-30T10:00:00Z' WHERE global_position = 31; SELECT tamper_cover_up()`, 31, true);
    expect(live.checks).toEqual(expect.arrayContaining(['append signatures', 'recording times in position order']));
  }, 60_000);

  it('catches an edit without recomputation, a deletion mid-stream and a swap, as before', async () => {
    await expectCaught(`UPDATE ledger_events SET data = '{"x": 1}' WHERE global_position = 5`, 5, true);
    await expectCaught('DELETE FROM ledger_events WHERE global_position = 4', 4, true);
    await expectCaught(`UPDATE ledger_events SET global_position = -global_position WHERE global_position IN (2, 8);
      UPDATE ledger_events SET global_position = CASE global_position WHEN -2 THEN 8 ELSE 2 END WHERE global_position < 0`, 2, true);
  }, 60_000);

  it('signs appends committed together once, over all their events: an edit of one is named at the group\'s first position', async () => {
    await db.pool.query(`TRUNCATE ledger_events, ledger_streams, ledger_idempotency, ledger_tree, ledger_tree_heads; ALTER SEQUENCE ledger_position_seq RESTART`);
    await Promise.all(Array.from({ length: 24 }, (_, i) => ledger.append(`task:c-${i}`, [ev(i, 'c'), ev(i + 100, 'c')])));
    const head = await signThrough(48).then(() => tree.latestHead());
    // Each signature: 64 bytes with its key id, stored once, on the last row of the group it covers; the rows
    // before it (back to the previous signed one) hold an empty signature and no key id.
    const { rows: [stored] } = await db.pool.query(`SELECT count(*) FILTER (WHERE length(signature) = 64 AND key_id IS NOT NULL)::int AS signed,
      count(DISTINCT signature) FILTER (WHERE length(signature) = 64)::int AS distinct, count(*) FILTER (WHERE length(signature) = 0 AND key_id IS NULL)::int AS covered,
      bool_or(global_position = 48 AND length(signature) = 64) AS last_signed FROM ledger_events`);
    expect(stored.signed).toBeLessThan(24); // fewer signatures than appends
    expect(stored).toEqual({ signed: stored.signed, distinct: stored.signed, covered: 48 - stored.signed, last_signed: true });
    expect(await ledger.verify({ keys, trusted: [head!] })).toMatchObject({ ok: true, checked: 48 });
    expect(await offline(head!)).toMatchObject({ ok: true, checked: 48 });
    await db.pool.query(COVER_UP);
    await db.pool.query(`UPDATE ledger_events SET data = '{"stream": "c", "i": 999}' WHERE global_position = 31; SELECT tamper_cover_up()`);
    const append = Number((await db.pool.query(`SELECT coalesce(max(global_position), 0) + 1 AS p FROM ledger_events WHERE global_position < 31 AND length(signature) = 64`)).rows[0].p);
    expect(await ledger.verify({ keys, trusted: [head!] })).toMatchObject({ ok: false, firstBrokenPosition: append });
    expect(await offline(head!)).toMatchObject({ ok: false, firstBrokenPosition: append });
  }, 60_000);

  it('reads a ledger whose groups were signed before migration 9, a signature on every row, once migration 9 has run', async () => {
    await db.pool.query(`TRUNCATE ledger_events, ledger_streams, ledger_idempotency, ledger_tree, ledger_tree_heads; ALTER SEQUENCE ledger_position_seq RESTART`);
    await Promise.all(Array.from({ length: 12 }, (_, i) => ledger.append(`task:m-${i}`, [ev(i, 'm'), ev(i + 100, 'm')])));
    // As migration 8 stored them: each group's signature and key id on every one of its rows.
    await db.pool.query(`UPDATE ledger_events e SET signature = s.signature, key_id = s.key_id FROM ledger_events s
      WHERE length(e.signature) = 0 AND s.global_position = (SELECT min(c.global_position) FROM ledger_events c WHERE c.global_position > e.global_position AND length(c.signature) > 0)`);
    const empty = async () => Number((await db.pool.query(`SELECT count(*) AS n FROM ledger_events WHERE length(signature) = 0`)).rows[0].n);
    expect(await empty()).toBe(0);
    expect(await ledger.verify({ keys })).toMatchObject({ ok: false, reason: expect.stringContaining('signature mismatch') });
    await db.pool.query(MIGRATIONS.find((m) => m.version === 9)!.sql);
    expect(await empty()).toBeGreaterThan(0);
    expect(await ledger.verify({ keys })).toMatchObject({ ok: true, checked: 24 });
  }, 60_000);

  it('signs a head again at the current size after the heads were deleted, and both verifies name the deletion', async () => {
    const head = await fixture(db.pool);
    await db.pool.query('DELETE FROM ledger_tree_heads');
    const again = await tree.extend(keys);
    expect(again).toMatchObject({ treeSize: 30, rootHash: head.rootHash, lastPosition: 30 });
    expect(await tree.latestHead()).toEqual(again);
    expect(await tree.extend(keys)).toBeNull(); // once
    const deleted = { ok: false, checked: 30, reason: expect.stringContaining(`the signed head of size 30 (${head.timestamp}), kept outside the database, is not among`) };
    expect(await ledger.verify({ keys, trusted: [head] })).toMatchObject(deleted);
    expect(await offline(head)).toMatchObject(deleted);
    expect(await ledger.verify({ keys, trusted: [again!] })).toMatchObject({ ok: true });
  }, 60_000);

  it('refuses to sign a new head over a ledger that no longer extends the last one', async () => {
    await fixture(db.pool);
    await db.pool.query('DELETE FROM ledger_events WHERE global_position = 30');
    await ledger.append('task:a', [ev(40, 'a')]);
    await expect(tree.extend(keys)).rejects.toThrow('position 30');
  }, 60_000);

  it('keeps events under an old key verifiable after a rotation, live and offline against a head signed before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-rotate-'));
    try {
      const path = join(dir, 'keys', 'ledger-signing-key.pem');
      const before = KeyRing.open({ path, create: true });
      ledger = new Ledger(db.pool, { signer: before });
      keys = before;
      const head = await fixture(db.pool);
      KeyRing.rotate(path);
      const after = KeyRing.open({ path, create: false });
      expect(after.keyId).not.toBe(before.keyId);
      ledger = new Ledger(db.pool, { signer: after });
      keys = after;
      await ledger.append('task:a', [ev(50, 'a')]);
      await signThrough(31);
      expect((await tree.latestHead())!.keyId).toBe(after.keyId);
      expect(await ledger.verify({ keys: after, trusted: [head] })).toMatchObject({ ok: true, checked: 31 });
      const off = await offline(head);
      expect(off).toMatchObject({ ok: true, checked: 31, latestHead: { keyId: after.keyId } });
      // Without the old key's endorsement the new key's signatures are not trusted.
      const stranger = KeyRing.ephemeral();
      ledger = new Ledger(db.pool, { signer: stranger });
      await ledger.append('task:a', [ev(51, 'a')]);
      await feedThrough(); // (the export reads the gap-free feed, which may lag behind other transactions on the server)
      const chunks: Buffer[] = [];
      const sink = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
      await exportLedger(ledger, sink, { after: 0, to: 32, keys: [...after.records, ...stranger.records] });
      expect(await verifyBundle(Buffer.concat(chunks), { trustedHead: head, threads: 1 }))
        .toMatchObject({ ok: false, firstBrokenPosition: 32, reason: expect.stringContaining('no trusted key endorses') });
    } finally {
      keys = KeyRing.ephemeral();
      ledger = new Ledger(db.pool, { signer: keys });
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
