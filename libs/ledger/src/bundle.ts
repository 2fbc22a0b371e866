import { createHash } from 'node:crypto';
import type { ExportedEvent } from './ledger';

/**
 * Export bundles: a tar with `events.ndjson` (one stored event per line, exactly as stored) and
 * `manifest.json` (range, count, the SHA-256 of events.ndjson, each stream's anchor — the hash its
 * first exported event chains to — and each stream's last hash). `verifyBundle` needs no server:
 * it recomputes every event's hash the way the database does (ledger_event_hash) and walks the chains.
 */
export type BundleManifest = {
  format: 'reform-ledger-bundle/1';
  exportedAt: string;
  range: { afterPosition: number; toPosition: number };
  count: number;
  eventsSha256: string;
  anchors: { streamId: string; prevPosition: number | null; prevHash: string }[];
  heads: { streamId: string; streamVersion: number; position: number; hash: string }[];
  /** The server's own verify() of the whole ledger at export time. */
  ledgerVerified: { ok: boolean; checked: number; firstBrokenPosition?: number };
};

/** The hash the database computes (schema.ts, ledger_event_hash), recomputed from the stored text. */
export const eventHash = (e: ExportedEvent): string => {
  const text = `[${[
    JSON.stringify(e.eventId), JSON.stringify(e.streamId), e.streamVersion, e.globalPosition, e.prevPosition ?? 'null',
    JSON.stringify(e.type), e.schemaVersion, e.data, e.metadata, JSON.stringify(e.occurredAt), JSON.stringify(e.recordedAt),
    e.idempotencyKey === null ? 'null' : JSON.stringify(e.idempotencyKey),
  ].join(', ')}]`;
  return createHash('sha256').update(Buffer.from(e.prevHash, 'hex')).update(text, 'utf8').digest('hex');
};

export const buildBundle = (events: ExportedEvent[], range: BundleManifest['range'], ledgerVerified: BundleManifest['ledgerVerified'], exportedAt: string) => {
  const ndjson = events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '');
  const anchors = new Map<string, BundleManifest['anchors'][number]>();
  const heads = new Map<string, BundleManifest['heads'][number]>();
  for (const e of events) {
    if (!anchors.has(e.streamId)) anchors.set(e.streamId, { streamId: e.streamId, prevPosition: e.prevPosition, prevHash: e.prevHash });
    heads.set(e.streamId, { streamId: e.streamId, streamVersion: e.streamVersion, position: e.globalPosition, hash: e.hash });
  }
  const manifest: BundleManifest = {
    format: 'reform-ledger-bundle/1', exportedAt, range, count: events.length,
    eventsSha256: createHash('sha256').update(ndjson, 'utf8').digest('hex'),
    anchors: [...anchors.values()], heads: [...heads.values()], ledgerVerified,
  };
  return tar([{ name: 'manifest.json', content: Buffer.from(JSON.stringify(manifest, null, 2)) }, { name: 'events.ndjson', content: Buffer.from(ndjson) }]);
};

export type BundleVerdict = { ok: boolean; checked: number; firstBadPosition?: number; reason?: string; manifest?: BundleManifest };

export const verifyBundle = (bundle: Buffer): BundleVerdict => {
  const files = untar(bundle);
  const manifestFile = files.get('manifest.json');
  const eventsFile = files.get('events.ndjson');
  if (!manifestFile || !eventsFile) return { ok: false, checked: 0, reason: 'not a bundle: manifest.json or events.ndjson is missing' };
  const manifest = JSON.parse(manifestFile.toString('utf8')) as BundleManifest;
  const fail = (checked: number, position: number | undefined, reason: string): BundleVerdict =>
    ({ ok: false, checked, ...(position !== undefined && { firstBadPosition: position }), reason, manifest });
  const lines = eventsFile.toString('utf8').split('\n').filter((l) => l.length > 0);
  const anchors = new Map(manifest.anchors.map((a) => [a.streamId, a]));
  const last = new Map<string, { version: number; position: number; hash: string }>();
  let previousPosition = manifest.range.afterPosition;
  let checked = 0;
  for (const line of lines) {
    let e: ExportedEvent;
    try {
      e = JSON.parse(line) as ExportedEvent;
    } catch {
      return fail(checked, undefined, `line ${checked + 1} is not JSON`);
    }
    if (e.globalPosition <= previousPosition) return fail(checked, e.globalPosition, 'events out of position order (reordered or duplicated)');
    previousPosition = e.globalPosition;
    if (eventHash(e) !== e.hash) return fail(checked, e.globalPosition, 'hash mismatch: the event was altered');
    const before = last.get(e.streamId);
    if (before) {
      if (e.prevPosition !== before.position || e.prevHash !== before.hash || e.streamVersion !== before.version + 1) {
        return fail(checked, e.globalPosition, 'broken chain: an event of this stream is missing or was reordered');
      }
    } else {
      const anchor = anchors.get(e.streamId);
      if (!anchor || anchor.prevHash !== e.prevHash || anchor.prevPosition !== e.prevPosition) {
        return fail(checked, e.globalPosition, 'the stream does not start at its anchor in the manifest');
      }
    }
    last.set(e.streamId, { version: e.streamVersion, position: e.globalPosition, hash: e.hash });
    checked++;
  }
  if (createHash('sha256').update(eventsFile).digest('hex') !== manifest.eventsSha256) {
    return fail(checked, undefined, 'events.ndjson does not match the SHA-256 in the manifest (events added or removed)');
  }
  if (checked !== manifest.count) return fail(checked, undefined, `the manifest counts ${manifest.count} events, the bundle holds ${checked}`);
  for (const head of manifest.heads) {
    const seen = last.get(head.streamId);
    if (!seen || seen.hash !== head.hash || seen.position !== head.position) return fail(checked, head.position, `stream ${head.streamId} ends before its head in the manifest`);
  }
  return { ok: true, checked, manifest };
};

// A minimal ustar writer and reader: two regular files, no dependencies.
const BLOCK = 512;
const tar = (files: { name: string; content: Buffer }[]): Buffer => {
  const parts: Buffer[] = [];
  for (const file of files) {
    const header = Buffer.alloc(BLOCK);
    header.write(file.name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${file.content.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    const sum = header.reduce((acc, byte) => acc + byte, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(header, file.content, Buffer.alloc((BLOCK - (file.content.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
};

const untar = (archive: Buffer): Map<string, Buffer> => {
  const files = new Map<string, Buffer>();
  for (let offset = 0; offset + BLOCK <= archive.length;) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    offset += BLOCK;
    files.set(name, archive.subarray(offset, offset + size));
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
};
