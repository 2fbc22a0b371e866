import { createHash } from 'node:crypto';
import type { PublicKeys } from './keys';
import type { ExportedEvent } from './ledger';
import { CompactTree, leafHash } from './merkle';
import { appendMessage, eventDigest, headMessage, signedMessage, TreeHead } from './signing';

/**
 * The checks of the whole ledger, made the same way live (Ledger.verify, rows from the database) and
 * offline (verifyBundleFile, rows from a bundle): each event's hash recomputed, each stream's chain
 * walked, each append's signature checked against the trusted keys, recording times in position
 * order and no later than the first head that covers them, and the RFC 9162 tree rebuilt and
 * compared with every signed head (the inspector's own head included). The verdict names the
 * lowest position that is wrong, or the range between two heads where the tree stops matching.
 */
export type Verdict = {
  ok: boolean;
  /** Events checked. */
  checked: number;
  /** The kinds of check made. */
  checks: string[];
  firstBrokenPosition?: number;
  reason?: string;
  /** For a tree that no longer matches a head: the positions between the last head that matched and the first that did not. */
  range?: { fromPosition: number; toPosition: number };
  treeSize: number;
  /** Signed heads the tree was compared with. */
  headsChecked: number;
  /** Events recorded before appends were signed (migration 3), before the first signed one. */
  unsignedBeforeSigning: number;
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

export type StreamHead = { streamId: string; version: number; position: number; hash: string };

export type CheckOptions = {
  /** The trusted public keys; without them signatures and heads are not checked (and `checks` says so). */
  keys?: PublicKeys;
  /** Heads to compare the tree with: the stored ones (each signature is checked) and the inspector's. */
  heads?: TreeHead[];
  /** Heads the caller vouches for (the inspector's head.json): compared even if their key is not among `keys`. */
  trusted?: TreeHead[];
  /** A partial export: the tree before its first event (size and perfect subtrees) and each stream's anchor. */
  start?: { afterPosition: number; size: number; frontier: Buffer[]; anchors: Map<string, { prevPosition: number | null; prevHash: string }> };
  /** Checks an append's signature; by default here and now. Offline, worker threads do it and call `flag`. */
  checkSignature?: (group: SignatureJob) => void;
};

export type SignatureJob = { position: number; keyId: string; message: Buffer; signature: Buffer };

type Flag = { position: number; reason: string; range?: { fromPosition: number; toPosition: number } };

export class LedgerCheck {
  private readonly tree: CompactTree;
  private readonly heads: TreeHead[] = [];
  private nextHead = 0;
  private readonly streams = new Map<string, { version: number; hash: string; position: number | null }>();
  private broken?: Flag;
  private treeBroken?: Flag;
  private checked = 0;
  private lastPosition: number;
  private lastRecordedAt = '';
  private signedSeen = false;
  private unsigned = 0;
  private group?: { position: number; keyId: string; signature: string; digests: Buffer[] };
  private lastMatched: { position: number } ;
  private headsChecked = 0;
  private readonly recent = new Set<string>();

  constructor(private readonly options: CheckOptions) {
    const start = options.start;
    this.tree = start ? CompactTree.from(start.size, start.frontier) : new CompactTree();
    this.lastPosition = start?.afterPosition ?? 0;
    this.lastMatched = { position: this.lastPosition };
    const bySize = new Map<number, TreeHead>();
    for (const h of options.trusted ?? []) bySize.set(h.treeSize, h);
    for (const h of options.heads ?? []) {
      if (!options.keys) continue;
      if (!options.keys.verify(h.keyId, headMessage(h), Buffer.from(h.signature, 'base64'))) {
        this.flag(h.lastPosition, `the tree head of size ${h.treeSize} is not signed by a trusted key (a forged or altered head)`);
        continue;
      }
      const known = bySize.get(h.treeSize);
      if (known && known.rootHash !== h.rootHash) {
        this.flag(h.lastPosition, `two signed heads of size ${h.treeSize} disagree: the ledger was rewritten after the first was taken`);
      }
      if (!known) bySize.set(h.treeSize, h);
    }
    this.heads = [...bySize.values()].filter((h) => h.treeSize > this.tree.size).sort((a, b) => a.treeSize - b.treeSize);
  }

  /** Records a problem; the lowest position wins. A range (the tree against a head) yields to an exact position inside it. */
  flag(position: number, reason: string, range?: Flag['range']) {
    if (range) {
      if (!this.treeBroken || position < this.treeBroken.position) this.treeBroken = { position, reason, range };
    } else if (!this.broken || position < this.broken.position) this.broken = { position, reason };
  }

  add(e: ExportedEvent & { keyId: string | null; signature: string | null }) {
    const position = e.globalPosition;
    if (position <= this.lastPosition) this.flag(position, 'events out of position order (reordered or duplicated)');
    this.lastPosition = position;
    this.checked++;
    const hash = eventHash(e);
    if (hash !== e.hash) this.flag(position, 'hash mismatch: the event was altered');
    this.chain(e);
    this.signature(e);
    if (e.recordedAt < this.lastRecordedAt) this.flag(position, `recorded at ${e.recordedAt}, before the event ahead of it (${this.lastRecordedAt}): a backdated record`);
    this.lastRecordedAt = e.recordedAt;
    const head = this.heads[this.nextHead];
    // (By position: an event past the head's last one is not in it, whatever its rank says; the tree check catches that.)
    if (head && position <= head.lastPosition && e.recordedAt > head.timestamp) this.flag(position, `recorded at ${e.recordedAt}, after the signed head that covers it (${head.timestamp})`);
    this.tree.push(leafHash(Buffer.from(hash, 'hex')));
    while (head && this.heads[this.nextHead]?.treeSize === this.tree.size) this.compare(this.heads[this.nextHead++], position);
  }

  private compare(head: TreeHead, position: number) {
    this.headsChecked++;
    if (this.tree.root().toString('hex') === head.rootHash && position === head.lastPosition) {
      this.lastMatched = { position };
      return;
    }
    const range = { fromPosition: this.lastMatched.position + 1, toPosition: Math.max(head.lastPosition, position) };
    this.flag(range.fromPosition, `the ledger does not extend the signed head of size ${head.treeSize} (${head.timestamp}): `
      + `between positions ${range.fromPosition} and ${range.toPosition} an event was removed, inserted or changed`, range);
  }

  private chain(e: ExportedEvent) {
    const anchor = this.options.start?.anchors.get(e.streamId);
    const state = this.streams.get(e.streamId) ?? (anchor ? { version: e.streamVersion - 1, hash: anchor.prevHash, position: anchor.prevPosition } : { version: 0, hash: '', position: null });
    if (e.prevPosition !== state.position) {
      const missing = e.prevPosition !== null && (state.position === null || e.prevPosition > state.position);
      this.flag(missing ? e.prevPosition! : e.globalPosition, missing ? 'event missing from its stream' : 'stream chain reordered');
    } else if (e.streamVersion !== state.version + 1 || e.prevHash !== state.hash) {
      this.flag(e.globalPosition, 'broken link to the previous event of the stream');
    }
    this.streams.set(e.streamId, { version: e.streamVersion, hash: e.hash, position: e.globalPosition });
  }

  private signature(e: ExportedEvent & { keyId: string | null; signature: string | null }) {
    if (!this.options.keys) return;
    if (this.group && this.group.signature !== e.signature) this.endGroup();
    if (e.signature === null || e.keyId === null) {
      if (this.signedSeen) this.flag(e.globalPosition, 'no signature: the event was not recorded through the application (inserted with SQL)');
      else this.unsigned++;
      return;
    }
    this.signedSeen = true;
    const digest = eventDigest({
      eventId: e.eventId, streamId: e.streamId, type: e.type, schemaVersion: e.schemaVersion, data: JSON.parse(e.data),
      metadata: JSON.parse(e.metadata), occurredAt: e.occurredAt, idempotencyKey: e.idempotencyKey,
    });
    if (!this.group) this.group = { position: e.globalPosition, keyId: e.keyId, signature: e.signature, digests: [] };
    this.group.digests.push(digest);
  }

  private endGroup() {
    const g = this.group;
    this.group = undefined;
    if (!g || !this.options.keys) return;
    if (!this.options.keys.has(g.keyId)) {
      this.flag(g.position, `signed by key ${g.keyId}, which no trusted key endorses`);
      return;
    }
    const signed = signedMessage(Buffer.from(g.signature, 'base64'), appendMessage(g.digests));
    if (!signed) {
      this.flag(g.position, SIGNATURE_MISMATCH);
      return;
    }
    // Appends signed together share one signature over the same batch root: checked once (the first, lowest, position reports it).
    const shared = `${g.keyId}:${signed.signature.toString('base64')}:${signed.message.toString('base64')}`;
    if (this.recent.has(shared)) return;
    this.recent.add(shared);
    if (this.recent.size > 4096) this.recent.delete(this.recent.values().next().value!);
    const job = { position: g.position, keyId: g.keyId, message: signed.message, signature: signed.signature };
    if (this.options.checkSignature) this.options.checkSignature(job);
    else if (!this.options.keys.verify(job.keyId, job.message, job.signature)) this.flag(job.position, SIGNATURE_MISMATCH);
  }

  /** The verdict, once every event was added (and, offline, every signature job answered). `streamHeads`: each stream's recorded head. */
  finish(streamHeads?: StreamHead[]): Verdict {
    this.endGroup();
    for (const head of this.heads.slice(this.nextHead)) {
      const range = { fromPosition: this.lastMatched.position + 1, toPosition: head.lastPosition };
      this.flag(range.fromPosition, `the signed head of size ${head.treeSize} (${head.timestamp}) covers ${head.treeSize - this.tree.size} more event(s) than the ledger holds: `
        + `removed from between positions ${range.fromPosition} and ${range.toPosition}`, range);
      this.headsChecked++;
    }
    if (streamHeads) {
      for (const head of streamHeads) {
        const state = this.streams.get(head.streamId);
        if (!state || state.version !== head.version || state.hash !== head.hash) {
          this.flag(head.position, 'stream head does not match its last event (an event was removed)');
        }
        this.streams.delete(head.streamId);
      }
      for (const [, state] of this.streams) this.flag(state.position ?? 0, 'events of a stream with no head');
    }
    const checks = ['event hashes', 'stream chains', ...(streamHeads ? ['stream heads'] : []),
      ...(this.options.keys ? ['append signatures', 'signed tree heads'] : []), 'recording times in position order',
      `Merkle tree (RFC 9162) against ${this.headsChecked} signed head${this.headsChecked === 1 ? '' : 's'}`];
    const t = this.treeBroken;
    const b = this.broken && (!t || this.broken.position <= t.range!.toPosition) ? this.broken : t;
    return {
      ok: !b, checked: this.checked, checks,
      ...(b && { firstBrokenPosition: b.position, reason: b.reason, ...(t && { range: t.range }) }),
      treeSize: this.tree.size, headsChecked: this.headsChecked, unsignedBeforeSigning: this.unsigned,
    };
  }

  /** The tree rebuilt so far (its root at the current size). */
  root() {
    return { size: this.tree.size, rootHash: this.tree.root().toString('hex') };
  }
}

export const SIGNATURE_MISMATCH = 'signature mismatch: the append was altered after it was signed (or its rows do not belong together)';
