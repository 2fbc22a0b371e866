import { createHash } from 'node:crypto';
import {
  CompactTree, consistencyProof, frontierNodes, inclusionProof, leafHash, nodeHash, NodeSource, treeRoot, verifyConsistency, verifyInclusion,
} from './merkle';

/** MTH of RFC 9162 §2.1.1, straight from its definition. */
const mth = (leaves: Buffer[]): Buffer => {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leafHash(leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};

const entries = Array.from({ length: 40 }, (_, i) => createHash('sha256').update(`event ${i}`).digest());

/** Every perfect subtree of the 40 leaves, as the tree store keeps them. */
const nodes = new Map<string, Buffer>();
{
  const tree = new CompactTree();
  for (const e of entries) tree.push(leafHash(e), (level, index, hash) => nodes.set(`${level}:${index}`, hash));
}
const node: NodeSource = (level, index) => nodes.get(`${level}:${index}`)!;

describe('the RFC 9162 Merkle tree', () => {
  it('matches the definition for every size, grown leaf by leaf or from a stored frontier', () => {
    const tree = new CompactTree();
    for (let n = 1; n <= entries.length; n++) {
      tree.push(leafHash(entries[n - 1]));
      const expected = mth(entries.slice(0, n));
      expect(tree.root()).toEqual(expected);
      expect(treeRoot(node, n)).toEqual(expected);
      const resumed = CompactTree.from(n, frontierNodes(n).map((f) => node(f.level, f.index)));
      expect(resumed.root()).toEqual(expected);
    }
  });

  it('gives inclusion proofs that verify, and fail for another leaf, index or root', () => {
    for (let n = 1; n <= entries.length; n++) {
      const root = treeRoot(node, n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(node, m, n);
        expect(verifyInclusion(m, n, leafHash(entries[m]), proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(entries[(m + 1) % 40]), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leafHash(entries[m]), proof, root)).toBe(false);
      }
    }
  });

  it('gives consistency proofs that verify, and fail against a rewritten tree', () => {
    const rewritten = entries.map((e, i) => (i === 5 ? createHash('sha256').update('forged').digest() : e));
    for (let n = 1; n <= entries.length; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(node, m, n);
        expect(verifyConsistency(m, n, treeRoot(node, m), treeRoot(node, n), proof)).toBe(true);
        if (m > 5) expect(verifyConsistency(m, n, mth(rewritten.slice(0, m)), treeRoot(node, n), proof)).toBe(false);
      }
    }
  });
});
