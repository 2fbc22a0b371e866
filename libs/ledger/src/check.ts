import { checkGroup, examineEvents, Examined, SignatureGroup } from './examine';
import type { PublicKeys } from './keys';
import type { ExportedEvent } from './ledger';
import { CompactTree } from './merkle';
import { headMessage, TreeHead } from './signing';
export { eventHash, SIGNATURE_MISMATCH } from './examine';

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
};

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
  /** The last append of the batches applied so far, which the next batch may continue. */
  private open?: SignatureGroup;
  private lastMatched: { position: number } ;
  private headsChecked = 0;
  private pending: ExportedEvent[] = [];
  /** Heads kept outside the database (trusted) that are not among its heads. */
  private readonly deletedHeads: TreeHead[];

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
    const stored = new Set((options.heads ?? []).map((h) => h.signature));
    this.deletedHeads = options.keys ? (options.trusted ?? []).filter((h) => !stored.has(h.signature)) : [];
  }

  /** Records a problem; the lowest position wins. A range (the tree against a head) yields to an exact position inside it. */
  flag(position: number, reason: string, range?: Flag['range']) {
    if (range) {
      if (!this.treeBroken || position < this.treeBroken.position) this.treeBroken = { position, reason, range };
    } else if (!this.broken || position < this.broken.position) this.broken = { position, reason };
  }

  /** Adds one event (live verify): examined here, a thousand at a time. */
  add(e: ExportedEvent) {
    this.pending.push(e);
    if (this.pending.length >= 1000) this.examinePending();
  }

  private examinePending() {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.apply(examineEvents(batch, this.options.keys));
  }

  /**
   * Applies the next batch of events, examined here or on a worker thread (examine.ts): the checks
   * that need them in order. Batches must come in the order of their events.
   */
  apply(x: Examined) {
    for (let i = 0, altered = 0; i < x.position.length; i++) {
      const position = x.position[i];
      if (position <= this.lastPosition) this.flag(position, 'events out of position order (reordered or duplicated)');
      this.lastPosition = position;
      this.checked++;
      if (x.altered[altered] === i) {
        altered++;
        this.flag(position, 'hash mismatch: the event was altered');
      }
      this.chain(x, i);
      const recordedAt = x.recordedAt[i];
      if (recordedAt < this.lastRecordedAt) this.flag(position, `recorded at ${recordedAt}, before the event ahead of it (${this.lastRecordedAt}): a backdated record`);
      this.lastRecordedAt = recordedAt;
      const head = this.heads[this.nextHead];
      // (By position: an event past the head's last one is not in it, whatever its rank says; the tree check catches that.)
      if (head && position <= head.lastPosition && recordedAt > head.timestamp) this.flag(position, `recorded at ${recordedAt}, after the signed head that covers it (${head.timestamp})`);
      this.tree.push(x.leaves.subarray(32 * i, 32 * i + 32));
      while (head && this.heads[this.nextHead]?.treeSize === this.tree.size) this.compare(this.heads[this.nextHead++], position);
    }
    if (!this.options.keys || x.position.length === 0) return;
    for (const position of x.unsigned) {
      if (this.signedSeen || (x.firstSigned !== null && position > x.firstSigned)) this.flag(position, 'no signature: the event was not recorded through the application (inserted with SQL)');
      else this.unsigned++;
    }
    if (x.firstSigned !== null) this.signedSeen = true;
    for (const f of x.flags) this.flag(f.position, f.reason);
    // The group open at the end of the last batch goes on with this one's first (the rows up to the one
    // that carries its signature); any other edge is a group of its own. A group is checked once its last row is read.
    x.edges.forEach((g, i) => {
      if (i === 0 && x.opensWithGroup && this.open) this.open = { ...g, position: this.open.position, texts: [...this.open.texts, ...g.texts] };
      else {
        this.closeOpen();
        this.open = g;
      }
      if (this.open.signature !== undefined) this.closeOpen();
    });
    if (!x.endsWithGroup) this.closeOpen();
  }

  private closeOpen() {
    const problem = this.open && checkGroup(this.open, this.options.keys!);
    this.open = undefined;
    if (problem) this.flag(problem.position, problem.reason);
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

  private chain(x: Examined, i: number) {
    const streamId = x.streamId[i];
    const position = x.position[i];
    const version = x.version[i];
    const prevPosition = x.prevPosition[i];
    const anchor = this.options.start?.anchors.get(streamId);
    const state = this.streams.get(streamId) ?? (anchor ? { version: version - 1, hash: anchor.prevHash, position: anchor.prevPosition } : { version: 0, hash: '', position: null });
    if (prevPosition !== state.position) {
      const missing = prevPosition !== null && (state.position === null || prevPosition > state.position);
      this.flag(missing ? prevPosition! : position, missing ? 'event missing from its stream' : 'stream chain reordered');
    } else if (version !== state.version + 1 || x.prevHash[i] !== state.hash) {
      this.flag(position, 'broken link to the previous event of the stream');
    }
    this.streams.set(streamId, { version, hash: x.hash[i], position });
  }

  /** The verdict, once every event was added (and, offline, every signature job answered). `streamHeads`: each stream's recorded head. */
  finish(streamHeads?: StreamHead[]): Verdict {
    this.examinePending();
    if (this.options.keys) this.closeOpen();
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
    // Every event matches, but a head the caller kept is gone: the ledger's signed heads were deleted (what bounded its recording times).
    const gone = !b && this.deletedHeads[0];
    return {
      ok: !b && !gone, checked: this.checked, checks,
      ...(b && { firstBrokenPosition: b.position, reason: b.reason, ...(t && { range: t.range }) }),
      ...(gone && { reason: `the signed head of size ${gone.treeSize} (${gone.timestamp}), kept outside the database, is not among the ledger's heads: `
        + 'signed heads were deleted (the events it covers still match it)' }),
      treeSize: this.tree.size, headsChecked: this.headsChecked, unsignedBeforeSigning: this.unsigned,
    };
  }

  /** The tree rebuilt so far (its root at the current size). */
  root() {
    this.examinePending();
    return { size: this.tree.size, rootHash: this.tree.root().toString('hex') };
  }
}

