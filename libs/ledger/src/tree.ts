import type { Pool, PoolClient } from 'pg';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CompactTree, consistencyProof, frontierNodes, inclusionProof, leafHash, rangeHash, withNodes } from './merkle';
import type { KeyRing, PublicKeyRecord } from './keys';
import { headMessage, TreeHead } from './signing';
import { withTransaction } from './transaction';

const TREE_LOCK = 7246183902;

export class TreeRegressionError extends Error {
  constructor(readonly position: number) {
    super(`The ledger no longer holds the event at position ${position} as the Merkle tree recorded it: it was changed or deleted after a head was signed. `
      + 'No new head is signed; run GET /api/v1/audit/verify.');
  }
}

export type InclusionProof = { treeSize: number; leafIndex: number; position: number; leafHash: string; path: string[] };
export type ConsistencyProof = { from: number; to: number; path: string[] };

type HeadRow = { tree_size: string; root_hash: Buffer; last_position: string; signed_at: string; key_id: string; signature: Buffer };
const toHead = (r: HeadRow): TreeHead => ({
  format: 'reform-ledger-tree-head/1', treeSize: Number(r.tree_size), rootHash: r.root_hash.toString('hex'),
  lastPosition: Number(r.last_position), timestamp: r.signed_at, keyId: r.key_id, signature: r.signature.toString('base64'),
});
const HEAD_COLUMNS = 'tree_size, root_hash, last_position, signed_at, key_id, signature';

/**
 * The Merkle tree over the ledger (merkle.ts) as stored in `ledger_tree`, and its signed heads. The
 * tree grows over the gap-free feed only (Ledger.readAll explains why that prefix is final), so a
 * leaf's index is its rank in the feed, for good. Heads, roots and proofs read O(log n) nodes.
 */
export class LedgerTree {
  constructor(private readonly pool: Pool) {}

  /** The stored tree's size and the position of its last leaf. */
  async size(client: Pick<PoolClient, 'query'> = this.pool): Promise<{ size: number; lastPosition: number; lastLeaf?: Buffer }> {
    const { rows } = await client.query<{ index: string; position: string; hash: Buffer }>(
      'SELECT index, position, hash FROM ledger_tree WHERE level = 0 ORDER BY index DESC LIMIT 1');
    return rows.length ? { size: Number(rows[0].index) + 1, lastPosition: Number(rows[0].position), lastLeaf: rows[0].hash } : { size: 0, lastPosition: 0 };
  }

  /**
   * Grows the tree to the gap-free head and, if it grew (or the head at its size was deleted), signs a
   * head over it (one transaction, one signer at a time). Refuses (TreeRegressionError) when the last
   * leaf's event is gone or changed. Returns the new head, or null when nothing was new.
   */
  extend(keys: KeyRing): Promise<TreeHead | null> {
    return withTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [TREE_LOCK]);
      const { size, lastPosition, lastLeaf } = await this.size(client);
      if (lastLeaf) {
        const { rows } = await client.query<{ hash: Buffer }>('SELECT hash FROM ledger_events WHERE global_position = $1', [lastPosition]);
        if (!rows[0] || !leafHash(rows[0].hash).equals(lastLeaf)) throw new TreeRegressionError(lastPosition);
      }
      const frontier = frontierNodes(size);
      const nodes = await this.nodes(frontier, client);
      const tree = CompactTree.from(size, frontier.map((n) => nodes.get(`${n.level}:${n.index}`)!));
      let after = lastPosition;
      await client.query('SET LOCAL enable_seqscan = off');
      for (;;) {
        const { rows } = await client.query<{ p: string; hash: Buffer }>(
          `SELECT global_position AS p, hash FROM ledger_events
            WHERE global_position > $1 AND tx_id < (SELECT ledger_feed_horizon()) ORDER BY global_position LIMIT 10000`, [after]);
        if (rows.length === 0) break;
        const level: number[] = [], index: number[] = [], hash: Buffer[] = [], position: (number | null)[] = [];
        for (const row of rows) {
          const p = Number(row.p);
          tree.push(leafHash(row.hash), (l, i, h) => {
            level.push(l); index.push(i); hash.push(h); position.push(l === 0 ? p : null);
          });
          after = p;
        }
        await client.query(
          'INSERT INTO ledger_tree (level, index, hash, position) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[], $4::bigint[])',
          [level, index, hash, position]);
      }
      if (tree.size === size) {
        // Nothing new; but a tree that grew to `size` had a head signed at `size`, in the same transaction.
        // If none is there, heads were deleted: sign one again, so the ledger has a head (verify names the deletion).
        const { rows: [{ n }] } = await client.query<{ n: string | null }>('SELECT max(tree_size) AS n FROM ledger_tree_heads');
        if (size === 0 || Number(n ?? 0) >= size) {
          return null;
        }
      }
      const { rows: [{ t }] } = await client.query<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`);
      const unsigned = { treeSize: tree.size, rootHash: tree.root().toString('hex'), lastPosition: after, timestamp: t };
      const head: TreeHead = { format: 'reform-ledger-tree-head/1', ...unsigned, keyId: keys.keyId, signature: keys.sign(headMessage(unsigned)).toString('base64') };
      await client.query(`INSERT INTO ledger_tree_heads (${HEAD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`,
        [head.treeSize, Buffer.from(head.rootHash, 'hex'), head.lastPosition, head.timestamp, head.keyId, Buffer.from(head.signature, 'base64')]);
      return head;
    });
  }

  /** True once the ledger holds an event or a signed head (then its key must not be replaced silently). */
  async holdsLedger(): Promise<boolean> {
    const { rows } = await this.pool.query<{ held: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM ledger_events) OR EXISTS (SELECT 1 FROM ledger_tree_heads) AS held');
    return rows[0].held;
  }

  async latestHead(): Promise<TreeHead | null> {
    const { rows } = await this.pool.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM ledger_tree_heads ORDER BY tree_size DESC LIMIT 1`);
    return rows[0] ? toHead(rows[0]) : null;
  }

  /** Every stored head, smallest first (the verifiers check each one's signature: rows are not trusted). */
  async heads(client: Pick<PoolClient, 'query'> = this.pool): Promise<TreeHead[]> {
    const { rows } = await client.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM ledger_tree_heads ORDER BY tree_size`);
    return rows.map(toHead);
  }

  async head(treeSize: number): Promise<TreeHead | null> {
    const { rows } = await this.pool.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM ledger_tree_heads WHERE tree_size = $1`, [treeSize]);
    return rows[0] ? toHead(rows[0]) : null;
  }

  /** Stores the public keys (copies: for exports and backups). */
  async storePublicKeys(records: PublicKeyRecord[]): Promise<void> {
    for (const r of records) {
      await this.pool.query('INSERT INTO ledger_signing_keys (key_id, record) VALUES ($1, $2) ON CONFLICT (key_id) DO UPDATE SET record = EXCLUDED.record', [r.keyId, r]);
    }
  }

  async publicKeys(): Promise<PublicKeyRecord[]> {
    const { rows } = await this.pool.query<{ record: PublicKeyRecord }>('SELECT record FROM ledger_signing_keys ORDER BY key_id');
    return rows.map((r) => r.record);
  }

  /** The tree before the first event after `afterPosition`: its size and perfect subtrees (hex), for a partial export. */
  async startAt(afterPosition: number): Promise<{ treeSize: number; frontier: string[] }> {
    const { rows } = await this.pool.query<{ n: string | null }>('SELECT max(index) + 1 AS n FROM ledger_tree WHERE level = 0 AND position <= $1', [afterPosition]);
    const treeSize = Number(rows[0].n ?? 0);
    const keys = frontierNodes(treeSize);
    const nodes = await this.nodes(keys);
    return { treeSize, frontier: keys.map((k) => nodes.get(`${k.level}:${k.index}`)!.toString('hex')) };
  }

  /** The first signed head that covers `position` (the smallest whose last event is at or past it), or null. */
  async headCovering(position: number): Promise<TreeHead | null> {
    const { rows } = await this.pool.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM ledger_tree_heads WHERE last_position >= $1 ORDER BY tree_size LIMIT 1`, [position]);
    return rows[0] ? toHead(rows[0]) : null;
  }

  /** The root of the stored tree at `size` (≤ its size). */
  root(size: number): Promise<Buffer> {
    return withNodes((node) => rangeHash(node, 0, size), (keys) => this.nodes(keys));
  }

  /** The inclusion proof of the event at `position` in the tree of `treeSize`; null when the tree of that size does not hold it. */
  async inclusion(position: number, treeSize: number): Promise<InclusionProof | null> {
    const { rows } = await this.pool.query<{ index: string; hash: Buffer }>('SELECT index, hash FROM ledger_tree WHERE level = 0 AND position = $1', [position]);
    if (!rows[0] || Number(rows[0].index) >= treeSize) return null;
    const leafIndex = Number(rows[0].index);
    const path = await withNodes((node) => inclusionProof(node, leafIndex, treeSize), (keys) => this.nodes(keys));
    return { treeSize, leafIndex, position, leafHash: rows[0].hash.toString('hex'), path: path.map((h) => h.toString('hex')) };
  }

  async consistency(from: number, to: number): Promise<ConsistencyProof> {
    const path = await withNodes((node) => consistencyProof(node, from, to), (keys) => this.nodes(keys));
    return { from, to, path: path.map((h) => h.toString('hex')) };
  }

  /** The nodes (level, index) asked for, by `level:index`. */
  async nodes(keys: { level: number; index: number }[], client: Pick<PoolClient, 'query'> = this.pool): Promise<Map<string, Buffer>> {
    if (keys.length === 0) return new Map();
    const { rows } = await client.query<{ level: number; index: string; hash: Buffer }>(
      'SELECT t.level, t.index, t.hash FROM ledger_tree t JOIN unnest($1::smallint[], $2::bigint[]) AS k(level, index) ON t.level = k.level AND t.index = k.index',
      [keys.map((k) => k.level), keys.map((k) => k.index)]);
    return new Map(rows.map((r) => [`${r.level}:${Number(r.index)}`, r.hash]));
  }
}

/**
 * Signs a tree head at most `intervalMs` (default 1 s, well inside the promised 5 s) after the ledger
 * grows, and writes the latest one beside the key file (`<key>.head.json`, outside the database), so a
 * live verify can hold the database to the last head this process signed even if its rows are deleted.
 */
export class TreeHeadSigner {
  readonly tree: LedgerTree;
  private timer?: NodeJS.Timeout;
  private running?: Promise<TreeHead | null>;

  constructor(pool: Pool, readonly keys: KeyRing, private readonly options: { intervalMs?: number; onError?: (error: unknown) => void } = {}) {
    this.tree = new LedgerTree(pool);
  }

  /** The head this process signed last (from the file beside the key), if any. */
  lastSigned(): TreeHead | undefined {
    const file = this.headFile();
    return file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TreeHead) : undefined;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.signNow().catch((error) => this.options.onError?.(error));
    }, this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Grows the tree and signs a head now if the ledger grew (one at a time); the new head or null. */
  async signNow(): Promise<TreeHead | null> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.tree.extend(this.keys).then((head) => {
      const file = this.headFile();
      // Only a larger head replaces the kept one: a head signed again at the same size (its rows were deleted) does not hide the deletion.
      if (head && file && head.treeSize > (this.lastSigned()?.treeSize ?? 0)) writeFileSync(file, JSON.stringify(head, null, 2));
      return head;
    }).finally(() => (this.running = undefined));
    return this.running;
  }

  private headFile() {
    return this.keys.path && `${this.keys.path}.head.json`;
  }
}
