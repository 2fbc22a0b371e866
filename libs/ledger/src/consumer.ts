import type { PoolClient } from 'pg';
import type { Ledger, StoredEvent } from './ledger';

export type ConsumerOptions = {
  /** The checkpoint's name, and the lease's. */
  name: string;
  /**
   * Applies a batch inside the consumer's transaction (`client`). The rows it writes and the
   * checkpoint commit together: a crash loses both or neither, so each event takes effect once.
   */
  handle: (client: PoolClient, events: StoredEvent[]) => Promise<void>;
  batchSize?: number;
  types?: string[];
  /** Idle poll interval while following the feed. */
  pollMs?: number;
};

const LEASE_NAMESPACE = 1919364177;

/**
 * A checkpointed consumer of the global feed for projectors. It holds a lease, a session advisory
 * lock on its own connection, so two processes never apply the same checkpoint at once; the lease
 * ends with the connection, so a crashed holder frees it.
 */
export class Consumer {
  private client?: PoolClient;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly ledger: Ledger,
    private readonly options: ConsumerOptions,
  ) {}

  /** Takes the lease; false when another process holds it. */
  async acquire(): Promise<boolean> {
    if (this.client) return true;
    const client = await this.ledger.pool.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
      [LEASE_NAMESPACE, this.options.name],
    );
    if (!rows[0].ok) {
      client.release();
      return false;
    }
    await client.query(
      'INSERT INTO ledger_checkpoints (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING',
      [this.options.name],
    );
    this.client = client;
    return true;
  }

  async checkpoint(): Promise<number> {
    const { rows } = await this.ledger.pool.query<{ position: string }>(
      'SELECT position FROM ledger_checkpoints WHERE name = $1',
      [this.options.name],
    );
    return Number(rows[0]?.position ?? 0);
  }

  /** Applies one batch; returns how many events it applied (0 when caught up). Needs the lease. */
  async step(): Promise<number> {
    const client = this.client;
    if (!client) throw new Error(`Consumer ${this.options.name} does not hold its lease`);
    const from = await this.checkpoint();
    const events = await this.ledger.readAll({ after: from, limit: this.options.batchSize ?? 1000, types: this.options.types });
    if (events.length === 0) return 0;
    const to = events[events.length - 1].globalPosition;
    await client.query('BEGIN');
    try {
      await this.options.handle(client, events);
      const { rowCount } = await client.query(
        'UPDATE ledger_checkpoints SET position = $3, updated_at = now() WHERE name = $1 AND position = $2',
        [this.options.name, from, to],
      );
      if (rowCount !== 1) throw new Error(`Checkpoint ${this.options.name} moved under this consumer`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return events.length;
  }

  /** Applies batches until the feed has nothing more. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (let n = await this.step(); n > 0; n = await this.step()) total += n;
    return total;
  }

  /** Follows the feed in the background until `stop()`; waits for the lease when another holds it. */
  start(onError: (error: unknown) => void = () => undefined): void {
    if (this.running) return;
    this.running = true;
    const pollMs = this.options.pollMs ?? 100;
    this.loop = (async () => {
      while (this.running) {
        let applied = 0;
        try {
          if (await this.acquire()) applied = await this.catchUp();
        } catch (error) {
          onError(error);
        }
        if (applied === 0 && this.running) {
          await new Promise<void>((r) => {
            this.wake = r;
            setTimeout(r, pollMs);
          });
        }
      }
    })();
  }

  /** Wakes a sleeping follower now (e.g. right after an append in this process). */
  nudge(): void {
    this.wake?.();
  }

  /** Stops following, waits for the batch in flight, and gives the lease back. */
  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
    const client = this.client;
    this.client = undefined;
    if (client) {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEASE_NAMESPACE, this.options.name]).catch(() => undefined);
      client.release();
    }
  }
}
