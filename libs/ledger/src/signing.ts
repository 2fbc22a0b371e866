import { createHash, hash } from 'node:crypto';
import { leafHash, nodeHash, rootFromPath } from './merkle';

/**
 * What the ledger's key signs. An append is signed once, when the application hands it to the
 * database: over the digest of each of its events — id, stream, type, schema version, data,
 * metadata, occurrence and idempotency key, everything the application knows before the database
 * assigns position and time — so a row the database's owner inserts with SQL has no valid
 * signature. Every row of the append stores the signature; a verifier groups the rows that carry
 * the same signature (one append: one stream, consecutive positions) and checks it over their digests.
 * Position, version and recording time are covered by the hash chain and the Merkle tree instead.
 */
export type SignedFields = {
  eventId: string; streamId: string; type: string; schemaVersion: number;
  data: unknown; metadata: unknown; occurredAt: string; idempotencyKey: string | null;
};

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

export const eventDigest = (e: SignedFields): Buffer =>
  hash('sha256', canonicalText([e.eventId, e.streamId, e.type, e.schemaVersion, e.data, e.metadata, e.occurredAt, e.idempotencyKey]), 'buffer');

/**
 * What signing needs of an append, as Ledger.prepare has written it: each event's fields, its data and
 * metadata as canonical text (canonicalText) and its occurrence as stored (utcMicros).
 */
export type AppendToSign = {
  streamId: string; idempotencyKey: string | null;
  events: { eventId: string; type: string; schemaVersion: number; data: string; metadata: string; occurredAt: string }[];
};

/** appendMessage of an AppendToSign: each event's eventDigest, from the texts instead of walking the data again. */
export const appendMessageOf = ({ streamId, idempotencyKey, events }: AppendToSign): Buffer => appendMessage(events.map((e) =>
  hash('sha256', `[${JSON.stringify(e.eventId)},${JSON.stringify(streamId)},${JSON.stringify(e.type)},${JSON.stringify(e.schemaVersion)},`
    + `${e.data},${e.metadata},${JSON.stringify(e.occurredAt)},${idempotencyKey === null ? 'null' : JSON.stringify(idempotencyKey)}]`, 'buffer')));

/** eventDigest of a stored event (its data and metadata as the database renders them). */
export const storedEventDigest = (e: Omit<SignedFields, 'data' | 'metadata'> & { data: string; metadata: string }): Buffer =>
  eventDigest({ ...e, data: JSON.parse(e.data), metadata: JSON.parse(e.metadata) });

const APPEND = Buffer.from('reform-ledger/append/1\n', 'utf8');
export const appendMessage = (digests: Buffer[]): Buffer => Buffer.concat([APPEND, ...digests]);

/**
 * Appends that reach the signer together (concurrent writers) share one signature: over the RFC 9162
 * root of their messages' hashes (`batchMessage`). Each append then stores the 64-byte signature, its
 * index and the batch's size (4 bytes each) and its audit path in that small tree, so each still
 * verifies on its own — and a verifier checks the shared signature once. An append signed alone stores
 * the plain 64-byte signature over its message.
 */
export const batchMessage = (root: Buffer, size: number): Buffer =>
  Buffer.concat([Buffer.from(`reform-ledger/appends/1\n${size}\n`, 'utf8'), root]);

/**
 * The stored signatures of appends committed together (one group commit), given their messages and a
 * signing function: one signature over the batch root, and for each append its index, the batch's
 * size and its audit path (batchMessage above); a lone append gets the plain signature of its message.
 */
export const signAppends = (sign: (message: Buffer) => Buffer, messages: Buffer[]): Buffer[] => {
  const size = messages.length;
  if (size === 1) return [sign(messages[0])];
  // The tree level by level: RFC 9162's split at the largest power of two is the same tree as pairing
  // left to right and carrying an odd last node up a level. Each node is hashed once.
  const levels: Buffer[][] = [messages.map((m) => leafHash(hash('sha256', m, 'buffer')))];
  for (let level = levels[0]; level.length > 1;) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? nodeHash(level[i], level[i + 1]) : level[i]);
    levels.push((level = up));
  }
  const signature = sign(batchMessage(levels[levels.length - 1][0], size));
  return messages.map((_m, index) => {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(index, 0);
    header.writeUInt32BE(size, 4);
    const path: Buffer[] = [signature, header];
    for (let l = 0, i = index; l < levels.length - 1; l++, i >>= 1) if ((i ^ 1) < levels[l].length) path.push(levels[l][i ^ 1]);
    return Buffer.concat(path);
  });
};

/** What a stored signature says: the signature and the message it signs, given the append's own message. */
export const signedMessage = (signature: Buffer, message: Buffer): { signature: Buffer; message: Buffer } | undefined => {
  if (signature.length === 64) return { signature, message };
  if (signature.length < 72 || (signature.length - 72) % 32 !== 0) return undefined;
  const index = signature.readUInt32BE(64);
  const size = signature.readUInt32BE(68);
  const path: Buffer[] = [];
  for (let o = 72; o < signature.length; o += 32) path.push(signature.subarray(o, o + 32));
  const root = rootFromPath(index, size, leafHash(createHash('sha256').update(message).digest()), path);
  return root && { signature: signature.subarray(0, 64), message: batchMessage(root, size) };
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
