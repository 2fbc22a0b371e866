import { createHash, hash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency v2), §2.1: a leaf hash is SHA-256(0x00 ||
 * entry), an interior node SHA-256(0x01 || left || right), and a tree of n leaves splits at the
 * largest power of two below n. Here an entry is an event's 32-byte integrity hash, in feed order.
 * Pure functions: the tree store (tree.ts) keeps the perfect subtrees in the database and hands
 * them to these through `NodeSource`.
 */
export const leafHash = (entry: Buffer): Buffer => hash('sha256', Buffer.concat([LEAF, entry]), 'buffer');
export const nodeHash = (left: Buffer, right: Buffer): Buffer => hash('sha256', Buffer.concat([NODE, left, right]), 'buffer');
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const EMPTY_ROOT = createHash('sha256').digest();

/** The root of a perfect subtree: `level` 0 is a leaf hash, level l covers leaves [index·2^l, (index+1)·2^l). */
export type NodeSource = (level: number, index: number) => Buffer;

/** The largest power of two strictly below n (n ≥ 2). */
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
const isPowerOfTwo = (n: number) => n > 0 && Number.isInteger(Math.log2(n));

/** MTH(D[a:b]) from perfect subtrees: O(log n) of them. */
export const rangeHash = (node: NodeSource, a: number, b: number): Buffer => {
  const n = b - a;
  if (n === 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && a % n === 0) return node(Math.log2(n), a / n);
  const k = split(n);
  return nodeHash(rangeHash(node, a, a + k), rangeHash(node, a + k, b));
};

export const treeRoot = (node: NodeSource, size: number) => rangeHash(node, 0, size);

/** PATH(m, D[a:b]) of RFC 9162 §2.1.3.1: the audit path of leaf m in the tree over [a, b). */
export const inclusionProof = (node: NodeSource, m: number, size: number): Buffer[] => {
  const path = (index: number, a: number, b: number): Buffer[] => {
    const n = b - a;
    if (n <= 1) return [];
    const k = split(n);
    return index < k
      ? [...path(index, a, a + k), rangeHash(node, a + k, b)]
      : [...path(index - k, a + k, b), rangeHash(node, a, a + k)];
  };
  return path(m, 0, size);
};

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the tree of size m is a prefix of the tree of size n. */
export const consistencyProof = (node: NodeSource, m: number, size: number): Buffer[] => {
  if (m === 0 || m === size) return [];
  const sub = (mm: number, a: number, b: number, whole: boolean): Buffer[] => {
    const n = b - a;
    if (mm === n) return whole ? [] : [rangeHash(node, a, b)];
    const k = split(n);
    return mm <= k
      ? [...sub(mm, a, a + k, whole), rangeHash(node, a + k, b)]
      : [...sub(mm - k, a + k, b, false), rangeHash(node, a, a + k)];
  };
  return sub(m, 0, size, true);
};

/** RFC 9162 §2.1.3.2: does `proof` prove leaf `index` (its leaf hash) in the tree of `size` with `root`? */
export const verifyInclusion = (index: number, size: number, leaf: Buffer, proof: Buffer[], root: Buffer): boolean =>
  rootFromPath(index, size, leaf, proof)?.equals(root) ?? false;

/** The root that the audit path `proof` of leaf `index` in a tree of `size` leads to (RFC 9162 §2.1.3.2), or undefined if it cannot. */
export const rootFromPath = (index: number, size: number, leaf: Buffer, proof: Buffer[]): Buffer | undefined => {
  if (index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else r = nodeHash(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
};

/** RFC 9162 §2.1.4.2: does `proof` prove the tree (size1, root1) is a prefix of (size2, root2)? */
export const verifyConsistency = (size1: number, size2: number, root1: Buffer, root2: Buffer, proof: Buffer[]): boolean => {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else sr = nodeHash(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
};

/**
 * A tree grown leaf by leaf in O(log n) memory (the "compact range" of the perfect subtrees on its
 * right edge): what the verifiers use to rebuild the root of a whole ledger from a stream of events,
 * and the tree store to find which nodes a batch of new leaves completes.
 */
export class CompactTree {
  /** Perfect subtree roots, largest (leftmost) first; `levels[i]` is the level of `roots[i]`. */
  private roots: Buffer[] = [];
  private levels: number[] = [];
  size = 0;

  /** Starts from the perfect subtrees of an existing tree of `size` leaves (largest first). */
  static from(size: number, roots: Buffer[]): CompactTree {
    const tree = new CompactTree();
    tree.size = size;
    tree.levels = frontierLevels(size);
    if (tree.levels.length !== roots.length) throw new Error(`a tree of ${size} leaves has ${tree.levels.length} perfect subtrees, not ${roots.length}`);
    tree.roots = [...roots];
    return tree;
  }

  /** Adds a leaf (its leaf hash); calls `completed(level, index, hash)` for every node it completes, the leaf included. */
  push(leaf: Buffer, completed?: (level: number, index: number, hash: Buffer) => void): void {
    let hash = leaf;
    let level = 0;
    let index = this.size;
    completed?.(0, index, hash);
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      hash = nodeHash(this.roots.pop()!, hash);
      this.levels.pop();
      level++;
      index = Math.floor(index / 2);
      completed?.(level, index, hash);
    }
    this.roots.push(hash);
    this.levels.push(level);
    this.size++;
  }

  root(): Buffer {
    if (this.roots.length === 0) return EMPTY_ROOT;
    let acc = this.roots[this.roots.length - 1];
    for (let i = this.roots.length - 2; i >= 0; i--) acc = nodeHash(this.roots[i], acc);
    return acc;
  }
}

/** The levels of the perfect subtrees of a tree of `size` leaves, largest first (its binary digits). */
export const frontierLevels = (size: number): number[] => {
  const levels: number[] = [];
  for (let bit = Math.floor(Math.log2(Math.max(size, 1))); bit >= 0; bit--) if (size >= 1 && Math.floor(size / 2 ** bit) % 2 === 1) levels.push(bit);
  return levels;
};

/** The (level, index) of each perfect subtree of a tree of `size` leaves, largest first. */
export const frontierNodes = (size: number): { level: number; index: number }[] => {
  let offset = 0;
  return frontierLevels(size).map((level) => {
    const node = { level, index: offset / 2 ** level };
    offset += 2 ** level;
    return node;
  });
};

/**
 * Runs `compute` against nodes fetched in one go: a first pass records which nodes it needs, `fetch`
 * loads them, a second pass computes. Proofs and roots touch O(log n) nodes, so one query serves each.
 */
export const withNodes = async <T>(compute: (node: NodeSource) => T, fetch: (keys: { level: number; index: number }[]) => Promise<Map<string, Buffer>>): Promise<T> => {
  const wanted = new Map<string, { level: number; index: number }>();
  const dummy = Buffer.alloc(32);
  compute((level, index) => {
    wanted.set(`${level}:${index}`, { level, index });
    return dummy;
  });
  const nodes = await fetch([...wanted.values()]);
  return compute((level, index) => {
    const hash = nodes.get(`${level}:${index}`);
    if (!hash) throw new Error(`tree node ${level}:${index} is missing`);
    return hash;
  });
};
