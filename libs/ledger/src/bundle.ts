import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { LedgerCheck, StreamHead, Verdict } from './check';
import { Examined, examineLines } from './examine';
export { eventHash } from './examine';
import { PublicKeyRecord, PublicKeys } from './keys';
import type { ExportedEvent, Ledger } from './ledger';
import { LedgerTree } from './tree';
import { headMessage, TreeHead } from './signing';
import { ExaminePool } from './verify-pool';

/**
 * Export bundles (format 2): a tar, read and written as a stream, of
 *   keys.json       every public key the ledger has had, with its endorsements (keys.ts)
 *   heads.json      every signed tree head in the range (signing.ts)
 *   start.json      for an export that starts past position 1: the tree before it (size, perfect
 *                   subtrees) and each stream's anchor (the hash its first exported event chains to)
 *   events.ndjson   one stored event per line, exactly as stored, signature included
 *   manifest.json   range, count, the SHA-256 of events.ndjson, each stream's last event, and what the
 *                   server's own verify said at export time
 * `verifyBundle` needs no server: it recomputes every hash the way the database does, checks every
 * signature, rebuilds the Merkle tree and holds it to every signed head and to the inspector's own
 * head (check.ts). The per-event work runs on worker threads (examine.ts, verify-pool.ts); the main
 * thread reads the tar, hands out batches of lines and applies the answers in order.
 */
export const BUNDLE_FORMAT = 'reform-ledger-bundle/2';

export type BundleManifest = {
  format: typeof BUNDLE_FORMAT;
  exportedAt: string;
  range: { afterPosition: number; toPosition: number };
  count: number;
  eventsSha256: string;
  /** Each stream's last exported event. */
  heads: StreamHead[];
  /** The server's own verify() of the whole ledger at export time. */
  ledgerVerified: Pick<Verdict, 'ok' | 'checked'> & Partial<Pick<Verdict, 'firstBrokenPosition' | 'reason'>>;
};

export type BundleStart = {
  afterPosition: number;
  /** The tree's size at afterPosition, and its perfect subtrees (hex), largest first. */
  treeSize: number;
  frontier: string[];
  anchors: { streamId: string; prevPosition: number | null; prevHash: string }[];
};

export type BundleParts = {
  events: AsyncIterable<ExportedEvent[]> | Iterable<ExportedEvent[]>;
  range: BundleManifest['range'];
  keys: PublicKeyRecord[];
  heads: TreeHead[];
  /** For an export past position 1: the tree before it (anchors are taken from the events). */
  start?: Pick<BundleStart, 'treeSize' | 'frontier'>;
  ledgerVerified: BundleManifest['ledgerVerified'];
  exportedAt: string;
};

/** Writes a bundle to `out`. events.ndjson is spooled to a temporary file first (a tar entry states its size up front). */
export const writeBundle = async (out: Writable, parts: BundleParts): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-bundle-'));
  try {
    const spool = join(dir, 'events.ndjson');
    const file = createWriteStream(spool);
    const sha = createHash('sha256');
    const anchors = new Map<string, BundleStart['anchors'][number]>();
    const heads = new Map<string, StreamHead>();
    let count = 0;
    for await (const batch of parts.events) {
      const text = batch.map((e) => `${JSON.stringify(e)}\n`).join('');
      sha.update(text, 'utf8');
      if (!file.write(text)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      for (const e of batch) {
        if (!anchors.has(e.streamId)) anchors.set(e.streamId, { streamId: e.streamId, prevPosition: e.prevPosition, prevHash: e.prevHash });
        heads.set(e.streamId, { streamId: e.streamId, version: e.streamVersion, position: e.globalPosition, hash: e.hash });
      }
      count += batch.length;
    }
    file.end();
    await finished(file);
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT, exportedAt: parts.exportedAt, range: parts.range, count, eventsSha256: sha.digest('hex'),
      heads: [...heads.values()], ledgerVerified: parts.ledgerVerified,
    };
    const start: BundleStart = {
      afterPosition: parts.range.afterPosition, treeSize: parts.start?.treeSize ?? 0, frontier: parts.start?.frontier ?? [],
      anchors: parts.range.afterPosition > 0 ? [...anchors.values()] : [],
    };
    const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
    await writeEntry(out, 'keys.json', json(parts.keys));
    await writeEntry(out, 'heads.json', json(parts.heads));
    await writeEntry(out, 'start.json', json(start));
    await writeEntry(out, 'events.ndjson', createReadStream(spool), statSync(spool).size);
    await writeEntry(out, 'manifest.json', json(manifest));
    await write(out, Buffer.alloc(BLOCK * 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** A whole bundle in memory (tests, small exports). */
export const buildBundle = async (parts: BundleParts): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  const sink = { write: (c: Buffer) => (chunks.push(Buffer.from(c)), true), once: () => sink } as unknown as Writable;
  await writeBundle(sink, parts);
  return Buffer.concat(chunks);
};

export type BundleVerdict = Verdict & {
  manifest?: BundleManifest;
  /** The trusted head the tree was held to, and whether the bundle's latest head extends it. */
  trustedHead?: TreeHead;
  latestHead?: TreeHead;
};

export type VerifyBundleOptions = {
  /** The head the inspector kept (head.json). Without it, the bundle is checked against its own keys only. */
  trustedHead?: TreeHead;
  /** Worker threads (default: one per core, at least 1; 0 checks on this thread, as for events.ndjson of under two batches). */
  threads?: number;
  /** Bytes of events.ndjson handed out at a time, cut at a line's end (default 1 MiB). */
  batchBytes?: number;
};

/**
 * Checks a bundle read as a stream (in bounded memory), against the head the inspector kept. The
 * keys trusted are the trusted head's and those it endorses, transitively (keys.ts); without a
 * trusted head, the bundle's own keys (which prove nothing against whoever made the bundle).
 */
export const verifyBundle = async (input: Readable | Buffer, options: VerifyBundleOptions = {}): Promise<BundleVerdict> => {
  const small = new Map<string, Buffer>();
  let check: LedgerCheck | undefined;
  let pool: ExaminePool | undefined;
  let examine: (lines: Buffer) => Promise<Examined> = () => Promise.reject(new Error('not begun'));
  let latestHead: TreeHead | undefined;
  const sha = createHash('sha256');
  let problem: string | undefined;
  let lineNo = 0;
  const trusted = options.trustedHead;
  const batchBytes = options.batchBytes ?? BATCH_BYTES;
  let threads = options.threads ?? ExaminePool.defaultThreads();
  // Batches in flight, applied in order: two per worker keeps both busy while the main thread reads.
  const inFlight: Promise<Examined>[] = [];
  const apply = (x: Examined) => {
    if (x.notJson.length > 0) problem ??= `line ${lineNo + x.notJson[0] + 1} of events.ndjson is not JSON`;
    lineNo += x.lines;
    check!.apply(x);
  };

  const begin = (eventBytes: number) => {
    if (eventBytes < 2 * batchBytes) threads = 0; // starting workers costs more than checking a few thousand events here
    const records = JSON.parse(small.get('keys.json')?.toString('utf8') ?? '[]') as PublicKeyRecord[];
    const heads = JSON.parse(small.get('heads.json')?.toString('utf8') ?? '[]') as TreeHead[];
    const start = JSON.parse(small.get('start.json')?.toString('utf8') ?? 'null') as BundleStart | null;
    const all = new PublicKeys(records);
    let keys = all;
    if (trusted) {
      if (!all.verify(trusted.keyId, headMessage(trusted), Buffer.from(trusted.signature, 'base64'))) {
        problem = `the trusted head is not signed by any key in the bundle (key ${trusted.keyId})`;
      }
      keys = all.trustedFrom([trusted.keyId]);
      if (start && start.treeSize > trusted.treeSize) {
        problem = `the trusted head (size ${trusted.treeSize}) lies before this export, which starts after ${start.treeSize} events: export from an earlier position`;
      }
    }
    latestHead = heads.filter((h) => keys.verify(h.keyId, headMessage(h), Buffer.from(h.signature, 'base64'))).at(-1);
    const checked = records.length > 0 ? keys : undefined;
    if (threads > 0) {
      const workers = new ExaminePool(checked?.records, threads);
      pool = workers;
      examine = (lines) => workers.examine(lines);
    } else {
      examine = async (lines) => examineLines(lines, checked);
    }
    check = new LedgerCheck({
      keys: checked, heads, trusted: trusted ? [trusted] : [],
      ...(start && start.afterPosition > 0 && {
        start: {
          afterPosition: start.afterPosition, size: start.treeSize, frontier: start.frontier.map((h) => Buffer.from(h, 'hex')),
          anchors: new Map(start.anchors.map((a) => [a.streamId, a])),
        },
      }),
    });
  };

  try {
    await readTar(input, {
      file: (name, size) => {
        if (name === 'events.ndjson') {
          if (!check) begin(size);
          // Whole lines, about a megabyte at a time (a line never splits a UTF-8 character).
          let parts: Buffer[] = [];
          let bytes = 0;
          const send = async (lines: Buffer) => {
            inFlight.push(examine(lines));
            while (inFlight.length > 2 * Math.max(threads, 1)) apply(await inFlight.shift()!);
          };
          return {
            data: async (chunk) => {
              sha.update(chunk);
              parts.push(chunk);
              bytes += chunk.length;
              const cut = chunk.lastIndexOf(0x0a);
              if (bytes < batchBytes || cut < 0) return;
              const whole = Buffer.concat(parts, bytes);
              const end = bytes - chunk.length + cut + 1;
              parts = end < bytes ? [whole.subarray(end)] : [];
              bytes -= end;
              await send(whole.subarray(0, end));
            },
            end: async () => {
              if (bytes > 0) await send(Buffer.concat(parts, bytes));
              for (let x = inFlight.shift(); x; x = inFlight.shift()) apply(await x);
            },
          };
        }
        const parts: Buffer[] = [];
        return { data: (chunk) => void parts.push(Buffer.from(chunk)), end: () => void small.set(name, Buffer.concat(parts)) };
      },
    });
    if (!check) begin(0);
  } finally {
    await Promise.allSettled(inFlight);
    await pool?.close();
  }
  const manifestText = small.get('manifest.json');
  const manifest = manifestText ? (JSON.parse(manifestText.toString('utf8')) as BundleManifest) : undefined;
  const verdict = check!.finish(manifest?.heads);
  const failed = (reason: string): BundleVerdict => ({ ...verdict, ok: false, reason, manifest, trustedHead: trusted, latestHead });
  if (!manifest || manifest.format !== BUNDLE_FORMAT) return failed(`not a ${BUNDLE_FORMAT} bundle: manifest.json is missing or of another format`);
  if (problem) return failed(problem);
  if (!verdict.ok) return { ...verdict, manifest, trustedHead: trusted, latestHead };
  if (sha.digest('hex') !== manifest.eventsSha256) return failed('events.ndjson does not match the SHA-256 in the manifest (events added or removed)');
  if (verdict.checked !== manifest.count) return failed(`the manifest counts ${manifest.count} events, the bundle holds ${verdict.checked}`);
  if (!manifest.ledgerVerified.ok) {
    return failed(`the server's own verify at export said the ledger did not verify${manifest.ledgerVerified.firstBrokenPosition !== undefined
      ? ` (position ${manifest.ledgerVerified.firstBrokenPosition}${manifest.ledgerVerified.reason ? `: ${manifest.ledgerVerified.reason}` : ''})` : ''}`);
  }
  if (trusted && verdict.treeSize < trusted.treeSize) return failed(`the bundle ends before the trusted head (size ${trusted.treeSize})`);
  return { ...verdict, manifest, trustedHead: trusted, latestHead };
};

// A minimal streaming ustar writer and reader: regular files, no dependencies.
const BLOCK = 512;
const BATCH_BYTES = 1 << 20;

const write = async (out: Writable, chunk: Buffer) => {
  if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
};

const tarHeader = (name: string, size: number) => {
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  const sum = header.reduce((acc, byte) => acc + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
};

const writeEntry = async (out: Writable, name: string, content: Buffer | Readable, size = (content as Buffer).length) => {
  await write(out, tarHeader(name, size));
  if (Buffer.isBuffer(content)) await write(out, content);
  else for await (const chunk of content) await write(out, chunk as Buffer);
  await write(out, Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK));
};

type EntrySink = { data(chunk: Buffer): void | Promise<void>; end(): void | Promise<void> };

/** Reads a tar as a stream: `file(name, size)` gives a sink for each regular file's content. */
const readTar = async (input: Readable | Buffer, handlers: { file(name: string, size: number): EntrySink }) => {
  let buffer: Buffer = Buffer.alloc(0);
  let sink: EntrySink | undefined;
  let remaining = 0;
  let padding = 0;
  let ended = false;
  const chunks: AsyncIterable<Buffer> | Iterable<Buffer> = Buffer.isBuffer(input) ? [input] : (input as AsyncIterable<Buffer>);
  for await (const chunk of chunks) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (ended) break;
      if (sink) {
        if (buffer.length === 0) break;
        const take = Math.min(remaining, buffer.length);
        if (take > 0) await sink.data(buffer.subarray(0, take));
        buffer = buffer.subarray(take);
        remaining -= take;
        if (remaining > 0) break;
        await sink.end();
        sink = undefined;
        continue;
      }
      if (padding > 0) {
        const skip = Math.min(padding, buffer.length);
        buffer = buffer.subarray(skip);
        padding -= skip;
        if (padding > 0) break;
      }
      if (buffer.length < BLOCK) break;
      const header = buffer.subarray(0, BLOCK);
      buffer = buffer.subarray(BLOCK);
      if (header.every((b) => b === 0)) {
        ended = true;
        break;
      }
      const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      remaining = parseInt(header.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
      padding = (BLOCK - (remaining % BLOCK)) % BLOCK;
      sink = handlers.file(name, remaining);
      if (remaining === 0) {
        await sink.end();
        sink = undefined;
      }
    }
  }
};

/**
 * Exports positions (after, to] of the ledger as a bundle: the events, every signed head up to `to`,
 * the public keys, the tree before the first event (for a partial export), and `verified` (the
 * server's own verify, which the offline check repeats and also requires to have passed).
 */
export const exportLedger = async (ledger: Ledger, out: Writable, o: { after: number; to: number; keys: PublicKeyRecord[]; verified?: Verdict }) => {
  const tree = new LedgerTree(ledger.pool);
  const heads = (await tree.heads()).filter((h) => h.lastPosition <= o.to);
  const stored = await tree.publicKeys();
  const keys = [...new Map([...stored, ...o.keys].map((r) => [r.keyId, r])).values()];
  const verified = o.verified ?? (await ledger.verify({ keys: new PublicKeys(o.keys) }));
  await writeBundle(out, {
    events: ledger.exportRange({ after: o.after, to: o.to }), range: { afterPosition: o.after, toPosition: o.to }, keys, heads,
    ...(o.after > 0 && { start: await tree.startAt(o.after) }),
    ledgerVerified: { ok: verified.ok, checked: verified.checked, ...(verified.firstBrokenPosition !== undefined && { firstBrokenPosition: verified.firstBrokenPosition, reason: verified.reason }) },
    exportedAt: new Date().toISOString(),
  });
};
