import { Readable } from 'node:stream';
import { buildBundle, BundleVerdict, verifyBundle } from './bundle';
import { eventHash, UNCLOSED } from './examine';
import { KeyRing } from './keys';
import type { ExportedEvent } from './ledger';
import { CompactTree, leafHash } from './merkle';
import { appendMessage, canonicalJson, canonicalText, headMessage, storedEventText, TreeHead } from './signing';

/**
 * The offline check without a database: bundles made here as the export makes them, read in small
 * batches so that appends of several events cross the edges between batches (and workers).
 */
const keys = KeyRing.ephemeral();

/** `appends` appends of `size` events over 3 streams, one signature each, a head at the end; `edit` changes an event after it was signed (its hash and chain recomputed, as an administrator would). */
const bundle = async (appends: number, size: number, edit?: (e: ExportedEvent) => void): Promise<{ tar: Buffer; head: TreeHead }> => {
  const streams = new Map<string, ExportedEvent>();
  const events: ExportedEvent[] = [];
  const tree = new CompactTree();
  for (let a = 0, position = 1; a < appends; a++) {
    const streamId = `task:T-${a % 3}`;
    const group: ExportedEvent[] = [];
    for (let k = 0; k < size; k++, position++) {
      const data = canonicalJson({ taskId: `T-${a % 3}`, i: position, note: 'Hoàn thành đúng hạn', 10: 'x', 9: 'y' });
      group.push({
        globalPosition: position, eventId: `01890000-0000-7000-8000-${String(position).padStart(12, '0')}`, streamId, streamVersion: 0, prevPosition: null,
        type: 'TaskCompleted', schemaVersion: 1, data, metadata: '{}', occurredAt: '2022-11-20T00:00:00.000000Z',
        recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString().replace('Z', '000Z'), idempotencyKey: null, prevHash: '', hash: '',
        keyId: keys.keyId, signature: null,
      });
    }
    // Stored as the ledger stores it: on the append's last row, with the key id; an empty one on the others.
    const signature = keys.sign(appendMessage(group.map(storedEventText))).toString('base64');
    for (const e of group) {
      const last = e === group.at(-1);
      Object.assign(e, { signature: last ? signature : '', keyId: last ? keys.keyId : null });
      edit?.(e);
      const before = streams.get(streamId);
      Object.assign(e, { streamVersion: (before?.streamVersion ?? 0) + 1, prevPosition: before?.globalPosition ?? null, prevHash: before?.hash ?? '' });
      e.hash = eventHash(e);
      streams.set(streamId, e);
      tree.push(leafHash(Buffer.from(e.hash, 'hex')));
      events.push(e);
    }
  }
  const last = events.at(-1)!;
  const unsigned = { treeSize: events.length, rootHash: tree.root().toString('hex'), lastPosition: last.globalPosition, timestamp: '2026-01-02T00:00:00.000000Z' };
  const head: TreeHead = { format: 'reform-ledger-tree-head/1', ...unsigned, keyId: keys.keyId, signature: keys.sign(headMessage(unsigned)).toString('base64') };
  const tar = await buildBundle({
    events: [events], range: { afterPosition: 0, toPosition: last.globalPosition }, keys: keys.records, heads: [head],
    ledgerVerified: { ok: true, checked: events.length }, exportedAt: '2026-01-02T00:00:00.000Z',
  });
  return { tar, head };
};

/** Reads the bundle 4 KiB at a time, in batches of about 2 KiB (a few lines each). */
const verify = (b: { tar: Buffer; head: TreeHead }, threads: number): Promise<BundleVerdict> => {
  const chunks = Array.from({ length: Math.ceil(b.tar.length / 4096) }, (_, i) => b.tar.subarray(i * 4096, (i + 1) * 4096));
  return verifyBundle(Readable.from(chunks), { trustedHead: b.head, threads, batchBytes: 2048 });
};

describe('the offline check of a bundle, in batches', () => {
  it.each([0, 2])('verifies appends that cross the edges between batches (%i worker threads)', async (threads) => {
    const b = await bundle(40, 5);
    expect(await verify(b, threads)).toMatchObject({ ok: true, checked: 200, treeSize: 200, headsChecked: 1 });
  });

  it.each([0, 2])('names the first event of an append changed after it was signed, wherever the batch edges fall (%i worker threads)', async (threads) => {
    // Position 103 is the third event of the append at 101–105; its hash and chain are recomputed.
    const b = await bundle(40, 5, (e) => {
      if (e.globalPosition === 103) e.data = '{"i":103,"note":"Không hoàn thành","taskId":"T-2"}';
    });
    expect(await verify(b, threads)).toMatchObject({ ok: false, firstBrokenPosition: 101, reason: expect.stringContaining('signature mismatch') });
  });

  it.each([0, 2])('names the events left without their signature when the row that carries it is emptied (%i worker threads)', async (threads) => {
    // The append at 196–200 is the last; its signature sits on 200 (no hash covers it: the signature does).
    const b = await bundle(40, 5, (e) => {
      if (e.globalPosition === 200) Object.assign(e, { signature: '', keyId: null });
    });
    expect(await verify(b, threads)).toMatchObject({ ok: false, firstBrokenPosition: 196, reason: UNCLOSED });
  });

  it.each([0, 2])('names an event whose data an administrator nested too deeply to write as text, not a stack overflow (%i worker threads)', async (threads) => {
    // 100,000 levels: JSON.parse reads it, the canonical text (recursive) cannot, on any thread; the ledger refuses more than 100.
    const b = await bundle(40, 5, (e) => {
      if (e.globalPosition === 103) e.data = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    });
    expect(await verify(b, threads)).toMatchObject({
      ok: false, firstBrokenPosition: 101, reason: expect.stringMatching(/^signature not checkable: the event at position 103 has data or metadata nested deeper than the ledger accepts \(100 levels\)$/),
    });
  });

  it.each([0, 2])('names an event whose data was made something other than JSON, not a failure of the check (%i worker threads)', async (threads) => {
    const b = await bundle(40, 5, (e) => {
      if (e.globalPosition === 103) e.data = 'not JSON';
    });
    expect(await verify(b, threads)).toMatchObject({
      ok: false, firstBrokenPosition: 101, reason: 'signature not checkable: the event at position 103 has data or metadata that is not JSON',
    });
  });

  it('writes data as canonicalJson does, index keys and all (the texts signed and checked)', () => {
    const texts = ['{"b":1,"a":[{"z":null,"y":true}],"10":"x","9":"y","4294967295":"not an index","4294967294":"an index","01":"no"}',
      '[1.5e300,-0,"Đắk Môl",{},[]]', '{"__proto__":{"b":2,"a":1},"":""}', '"text"', 'null', '{"a":{"c":{"e":1,"d":2},"b":[3,{"g":1,"f":2}]}}'];
    for (const text of texts) expect(canonicalText(JSON.parse(text))).toBe(canonicalJson(JSON.parse(text)));
    // and plain data as the application hands it over, undefined members and all
    const data = { z: [1, { b: undefined, a: 'x' }], 7: undefined, causationId: undefined, 3: 'three', Đ: 'đ' };
    expect(canonicalText(data)).toBe(canonicalJson(data));
  });
});
