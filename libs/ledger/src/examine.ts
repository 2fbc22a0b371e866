import { hash as sha256 } from 'node:crypto';
import type { PublicKeys } from './keys';
import type { ExportedEvent } from './ledger';
import { leafHash } from './merkle';
import { appendMessage, MAX_DEPTH, storedEventText } from './signing';

/**
 * The part of checking a ledger that needs each event alone, never its neighbours: parse it,
 * recompute its hash as the database does, its Merkle leaf and its signed text, and check the
 * signature of every append that lies wholly inside the batch. Offline, worker threads run it on
 * batches of bundle lines (verify-pool.ts); live, LedgerCheck runs it on the rows it reads. What
 * needs the events in order — positions, stream chains, recording times, the tree, the appends that
 * cross a batch's edge — LedgerCheck.apply does with the columns returned (all a worker sends back).
 */
export type Examined = {
  /** Non-empty lines read (for a bundle); those that were not JSON, by their index among them. */
  lines: number;
  notJson: number[];
  position: number[];
  streamId: string[];
  version: number[];
  prevPosition: (number | null)[];
  prevHash: string[];
  hash: string[];
  recordedAt: string[];
  /** Events (by index in the columns) whose stored hash is not the one recomputed. */
  altered: number[];
  /** Each event's Merkle leaf hash, 32 bytes each, over its recomputed hash. */
  leaves: Buffer;
  /** Without keys, nothing below is filled. Unsigned events, and the position of the first signed one. */
  unsigned: number[];
  firstSigned: number | null;
  /** Problems with the signatures of the appends wholly inside the batch. */
  flags: { position: number; reason: string }[];
  /** The appends that touch the batch's first or last event, which may go on beside it: LedgerCheck joins and checks them. */
  edges: SignatureGroup[];
  /** Whether edges[0] starts at the batch's first event, and whether the last edge ends at its last. */
  opensWithGroup: boolean;
  endsWithGroup: boolean;
};

/**
 * The rows one signature covers (one append, or the appends committed together): consecutive, each
 * with an empty signature but the last, which carries it and its key id (signing.ts). Its first position,
 * the texts of its events (eventText), and the key and signature once its last row was read.
 */
export type SignatureGroup = { position: number; keyId?: string; signature?: string; texts: string[] };

export type SignatureKeys = Pick<PublicKeys, 'has' | 'verify'>;

export const UNCLOSED = 'no signature: the events from here on are not followed by the row that carries their signature (it was removed, or they were inserted with SQL)';

export const SIGNATURE_MISMATCH = 'signature mismatch: the append was altered after it was signed (or its rows do not belong together)';

/** The hash the database computes (schema.ts, ledger_event_hash), recomputed from the stored text. */
export const storedHash = (e: ExportedEvent): Buffer => {
  const text = `[${[
    JSON.stringify(e.eventId), JSON.stringify(e.streamId), e.streamVersion, e.globalPosition, e.prevPosition ?? 'null',
    JSON.stringify(e.type), e.schemaVersion, e.data, e.metadata, JSON.stringify(e.occurredAt), JSON.stringify(e.recordedAt),
    e.idempotencyKey === null ? 'null' : JSON.stringify(e.idempotencyKey),
  ].join(', ')}]`;
  return sha256('sha256', Buffer.concat([Buffer.from(e.prevHash, 'hex'), Buffer.from(text, 'utf8')]), 'buffer');
};

export const eventHash = (e: ExportedEvent): string => storedHash(e).toString('hex');

/** In place of the text of an event that cannot be written as text (no event's text holds a NUL): its position, then why. */
const UNREADABLE = '\u0000unreadable\u0000';

/**
 * The event's signed text. Data or metadata that is not JSON, or nested deeper than the ledger accepts
 * (MAX_DEPTH; the canonical text is written recursively and would overflow the stack), can only have
 * been written with SQL or into the bundle: such an event is marked instead, and its append's signature
 * reported as not checkable (checkGroup).
 */
const signedText = (e: ExportedEvent): string => {
  try {
    return storedEventText(e);
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof SyntaxError)) throw error;
    const why = error instanceof RangeError ? `nested deeper than the ledger accepts (${MAX_DEPTH} levels)` : 'that is not JSON';
    return `${UNREADABLE}${e.globalPosition}\u0000${why}`;
  }
};

/** Checks a group's signature over its events' texts; a problem is returned at its first position. */
export const checkGroup = (g: SignatureGroup, keys: SignatureKeys): { position: number; reason: string } | undefined => {
  if (g.signature === undefined || g.keyId === undefined) return { position: g.position, reason: UNCLOSED };
  if (!keys.has(g.keyId)) return { position: g.position, reason: `signed by key ${g.keyId}, which no trusted key endorses` };
  const unreadable = g.texts.find((t) => t.startsWith(UNREADABLE));
  if (unreadable) {
    const [position, why] = unreadable.slice(UNREADABLE.length).split('\u0000');
    return { position: g.position, reason: `signature not checkable: the event at position ${position} has data or metadata ${why}` };
  }
  if (!keys.verify(g.keyId, appendMessage(g.texts), Buffer.from(g.signature, 'base64'))) return { position: g.position, reason: SIGNATURE_MISMATCH };
  return undefined;
};

/** Examines events, or the lines of a bundle's events.ndjson (one event each; empty lines skipped). */
export const examineEvents = (input: ExportedEvent[] | string[], keys: SignatureKeys | undefined): Examined => {
  const x: Examined = {
    lines: 0, notJson: [], position: [], streamId: [], version: [], prevPosition: [], prevHash: [], hash: [], recordedAt: [], altered: [],
    leaves: Buffer.alloc(32 * input.length), unsigned: [], firstSigned: null, flags: [], edges: [], opensWithGroup: false, endsWithGroup: false,
  };
  let group: SignatureGroup | undefined;
  let groupOpensBatch = false;
  const endGroup = () => {
    if (!group) return;
    if (groupOpensBatch) x.edges.push(group);
    else {
      const problem = checkGroup(group, keys!);
      if (problem) x.flags.push(problem);
    }
    group = undefined;
    groupOpensBatch = false;
  };
  for (const item of input) {
    let e: ExportedEvent;
    if (typeof item === 'string') {
      if (item.length === 0) continue;
      x.lines++;
      try {
        e = JSON.parse(item) as ExportedEvent;
      } catch {
        x.notJson.push(x.lines - 1);
        continue;
      }
    } else e = item;
    const i = x.position.length;
    const recomputed = storedHash(e);
    if (recomputed.toString('hex') !== e.hash) x.altered.push(i);
    leafHash(recomputed).copy(x.leaves, 32 * i);
    x.position.push(e.globalPosition);
    x.streamId.push(e.streamId);
    x.version.push(e.streamVersion);
    x.prevPosition.push(e.prevPosition);
    x.prevHash.push(e.prevHash);
    x.hash.push(e.hash);
    x.recordedAt.push(e.recordedAt);
    if (!keys) continue;
    if (e.signature === null) {
      endGroup(); // a group cut short: its last row, with the signature, is not there
      x.unsigned.push(e.globalPosition);
      continue;
    }
    x.firstSigned ??= e.globalPosition;
    if (!group) {
      group = { position: e.globalPosition, texts: [] };
      groupOpensBatch = i === 0;
      if (groupOpensBatch) x.opensWithGroup = true;
    }
    group.texts.push(signedText(e));
    if (e.signature !== '') {
      group.signature = e.signature;
      group.keyId = e.keyId ?? '(none)';
      endGroup();
    }
  }
  x.leaves = x.leaves.subarray(0, 32 * x.position.length);
  if (group) {
    groupOpensBatch = true; // it goes on in the next batch, which holds its last row (or no batch does)
    x.endsWithGroup = true;
    endGroup();
  }
  return x;
};

/** examineEvents over a buffer of whole bundle lines. */
export const examineLines = (lines: Uint8Array, keys: SignatureKeys | undefined): Examined =>
  examineEvents(Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength).toString('utf8').split('\n'), keys);
