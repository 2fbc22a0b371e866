import { createHash } from 'node:crypto';

/**
 * What the ledger's key signs. An append is signed once, when the application hands it to the
 * database: over the canonical text of each of its events — id, stream, type, schema version, data,
 * metadata, occurrence and idempotency key, everything the application knows before the database
 * assigns position and time — so a row the database's owner inserts with SQL has no valid
 * signature. Appends committed together (group commit) share one signature over all their events.
 * It is stored once, with its key id, on the last row it covers; the rows before it hold an empty
 * signature and no key id (migration 9; a signature on every row cost each 98 bytes, a third more).
 * A verifier reads the rows in position order, gathers their texts up to the one that carries a
 * signature and checks it over them (examine.ts): events that no signature follows are reported.
 * Position, version and recording time are covered by the hash chain and the Merkle tree instead.
 */
export type SignedFields = {
  eventId: string; streamId: string; type: string; schemaVersion: number;
  data: unknown; metadata: unknown; occurredAt: string; idempotencyKey: string | null;
};

/**
 * The deepest nesting of objects and arrays in an event's data or metadata (Ledger.append refuses more;
 * the API refuses bodies nested deeper than 64 as it reads them): the canonical text is written recursively.
 */
export const MAX_DEPTH = 100;

/** JSON with object keys sorted, so equal data gives equal text. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
      : v,
  );

/** An array index (what an object lists first, in numeric order, whatever order its keys were added in). */
const INDEX = /^(?:0|[1-9]\d{0,9})$/;
const isIndex = (key: string) => INDEX.test(key) && Number(key) < 4294967295;

/**
 * canonicalJson's text, written out directly instead of through a replacer that copies every object:
 * for plain data (what the ledger accepts: null, booleans, finite numbers, strings, arrays, plain
 * objects whose undefined members are left out), and what a verifier recomputes a million times. The
 * same text: canonicalJson rebuilds each object from its sorted keys, and an object lists its index
 * keys first (in numeric order), so these come first here too.
 */
export const canonicalText = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let text = '';
  if (Array.isArray(value)) {
    for (const item of value) text += `${text ? ',' : ''}${canonicalText(item)}`;
    return `[${text}]`;
  }
  const keys = Object.keys(value);
  let indices = 0;
  while (indices < keys.length && isIndex(keys[indices])) indices++;
  const sorted = indices === 0 ? keys.sort() : [...keys.slice(0, indices), ...keys.slice(indices).sort()];
  for (const key of sorted) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) text += `${text ? ',' : ''}${JSON.stringify(key)}:${canonicalText(member)}`;
  }
  return `{${text}}`;
};

/**
 * An event's part of what its append signs: its SignedFields as canonical JSON, in this order
 * (`[eventId, streamId, type, schemaVersion, data, metadata, occurredAt, idempotencyKey]`), from its
 * data and metadata already written as canonical text.
 */
export const eventText = (e: Omit<SignedFields, 'data' | 'metadata' | 'streamId' | 'idempotencyKey'> & { data: string; metadata: string },
  streamId: string, idempotencyKey: string | null): string =>
  `[${JSON.stringify(e.eventId)},${JSON.stringify(streamId)},${JSON.stringify(e.type)},${JSON.stringify(e.schemaVersion)},`
  + `${e.data},${e.metadata},${JSON.stringify(e.occurredAt)},${idempotencyKey === null ? 'null' : JSON.stringify(idempotencyKey)}]`;

/** eventText of an event given as data: canonicalText of the whole, which eventText must equal (signing.spec.ts checks it). */
export const fieldsText = (e: SignedFields): string => canonicalText([e.eventId, e.streamId, e.type, e.schemaVersion, e.data, e.metadata, e.occurredAt, e.idempotencyKey]);

/** eventText of a stored event (its data and metadata as the database renders them, made canonical again). */
export const storedEventText = (e: Omit<SignedFields, 'data' | 'metadata'> & { data: string; metadata: string }): string =>
  eventText({ ...e, data: canonicalText(JSON.parse(e.data)), metadata: canonicalText(JSON.parse(e.metadata)) }, e.streamId, e.idempotencyKey);

const EVENTS = Buffer.from('reform-ledger/events/2\n', 'utf8');

/**
 * What one signature covers: the texts (eventText) of the events of an append, or of all the appends
 * committed together (one group commit, appended whole: ledger_append_group given p_signature), in the
 * order of their positions — a line naming the format, then the SHA-256 of their texts as one JSON
 * array (hashing first: Ed25519 would read a long message twice, and slower). Their rows are
 * consecutive; the last stores the 64-byte Ed25519 signature.
 */
export const appendMessage = (eventTexts: string[]): Buffer => {
  // Text by text, the same bytes: joining the texts (each built of many pieces) into one string first
  // costs more than hashing them (17 µs against 6 for a group of 8, in a side-by-side script).
  const digest = createHash('sha256');
  for (let i = 0; i < eventTexts.length; i++) digest.update(i === 0 ? '[' : ',').update(eventTexts[i]);
  return Buffer.concat([EVENTS, digest.update(eventTexts.length === 0 ? '[]' : ']').digest()]);
};

/** A signed tree head: what `GET /api/v1/audit/tree-head` returns and an inspector keeps as head.json. */
export type TreeHead = {
  format: 'reform-ledger-tree-head/1';
  /** Leaves: the events of the gap-free feed up to lastPosition, in position order. */
  treeSize: number;
  /** The RFC 9162 root, hex. */
  rootHash: string;
  /** The position of the last event in the tree (0 when empty). */
  lastPosition: number;
  /** When it was signed (the database's clock, UTC, microseconds): no event in it was recorded later. */
  timestamp: string;
  keyId: string;
  /** Ed25519 over headMessage, base64. */
  signature: string;
};

export const headMessage = (h: Pick<TreeHead, 'treeSize' | 'rootHash' | 'lastPosition' | 'timestamp'>): Buffer =>
  Buffer.from(`reform-ledger/tree-head/1\n${h.treeSize}\n${h.rootHash}\n${h.lastPosition}\n${h.timestamp}`, 'utf8');

const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant as PostgreSQL renders it back (UTC, six fraction digits: `2022-11-20T03:00:00.000000Z`),
 * so what is signed is what is stored. Undefined for text that is not an ISO datetime with a zone.
 */
export const utcMicros = (text: string): string | undefined => {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${m[6]}`);
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19)}.${(m[5] ?? '').padEnd(6, '0')}Z`;
};
