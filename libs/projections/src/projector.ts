import type { FeedEvent, Ledger } from '@reform-ledger/ledger';
import type { QueryRunner } from 'typeorm';
import { Generation, TemporalStore } from './temporal-store';
import type { View } from './view';
import { VIEWS } from './views';

export type ViewStatus = { view: string; generation: number; checkpoint: number; lag: number };
export type Progress = { view: string; position: number; head: number; events: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Applies the views from the ledger's gap-free feed. Each (view, generation) has a lease — a
 * session advisory lock — so two projectors (in the API and in a separate process, or a rebuild)
 * never apply the same generation; rows and checkpoint commit together, so a crash replays at most
 * an uncommitted batch.
 */
export class Projector {
  private running = false;
  private wake?: () => void;
  private lease?: QueryRunner;
  private readonly held = new Map<string, number>();
  private readonly status = new Map<string, ViewStatus>();
  private loop?: Promise<void>;

  constructor(
    private readonly ledger: Ledger,
    readonly store: TemporalStore,
    readonly views: readonly View[] = VIEWS,
    private readonly options: { batchSize?: number; pollMs?: number; onError?: (error: unknown) => void } = {},
  ) {}

  private async leaseRunner(): Promise<QueryRunner> {
    if (!this.lease) {
      this.lease = this.store.dataSource.createQueryRunner();
      await this.lease.connect();
    }
    return this.lease;
  }

  /** Takes the lease of (view, generation) for `slot`, giving up the slot's previous one; false if another holds it. */
  private async acquire(view: string, generation: number, slot = view): Promise<boolean> {
    if (this.held.get(slot) === generation) return true;
    const runner = await this.leaseRunner();
    const previous = this.held.get(slot);
    if (previous !== undefined) {
      await runner.query(`SELECT pg_advisory_unlock(hashtext('rm lease ' || $1), $2)`, [view, previous]);
      this.held.delete(slot);
    }
    const [{ ok }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext('rm lease ' || $1), $2) AS ok`, [view, generation]);
    if (ok) {
      this.held.set(slot, generation);
      this.store.forget(); // another holder may have written since this process last did
    }
    return ok;
  }

  /** One pass: apply every view's pending events (one batch each). Returns how many events were applied. */
  async step(): Promise<number> {
    const head = await this.ledger.headPosition();
    let applied = 0;
    for (const view of this.views) {
      const generation = await this.store.active(view);
      if (!(await this.acquire(view.name, generation.generation))) {
        this.status.set(view.name, { view: view.name, generation: generation.generation, checkpoint: generation.checkpoint, lag: head - generation.checkpoint });
        continue;
      }
      if (generation.version !== view.version) {
        // Built by an older reducer (an upgrade): rebuilt now; reads refuse it meanwhile (ViewRebuilding).
        await this.rebuild(view);
        applied++;
        continue;
      }
      const events = await this.batch(view, generation, head);
      applied += events;
      this.status.set(view.name, { view: view.name, generation: generation.generation, checkpoint: generation.checkpoint, lag: Math.max(0, head - generation.checkpoint) });
    }
    return applied;
  }

  /**
   * Reads the view's next batch after its checkpoint and applies it. `head` was read before the
   * batch: every event up to it is committed, so a short batch means the view has seen everything
   * up to `head`, and its checkpoint moves there even if no event of its types came.
   */
  private async batch(view: View, generation: Generation, head: number): Promise<number> {
    const limit = this.options.batchSize ?? 2000;
    const events: FeedEvent[] = await this.ledger.readFeed({ after: generation.checkpoint, limit, types: [...view.types] });
    const upTo = events.length < limit ? head : undefined;
    await this.store.apply(view, generation, events, { upTo });
    return events.length;
  }

  /**
   * Applies until every view has reached the head read at the start. A view leased by another
   * projector is waited for (it applies it), up to `timeoutMs`.
   */
  async catchUp(timeoutMs = 60_000): Promise<void> {
    const target = await this.ledger.headPosition();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const applied = await this.step();
      const behind = this.statuses().filter((s) => s.checkpoint < target);
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`Views still behind ${target}: ${behind.map((s) => `${s.view} at ${s.checkpoint}`).join(', ')}`);
      if (applied === 0) await sleep(20);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let applied = 0;
        try {
          applied = await this.step();
        } catch (error) {
          this.options.onError?.(error);
          this.store.forget();
          await this.dropLease(); // its session (and the advisory locks it held) may be gone with the connection
        }
        if (applied === 0 && this.running) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            setTimeout(resolve, this.options.pollMs ?? 200);
          });
        }
      }
    })();
  }

  /** Wakes the loop now (after a write), instead of at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
    await this.lease?.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await this.dropLease();
  }

  /** Gives up the lease connection (a new one is taken when next needed) and forgets the leases held on it. */
  private async dropLease(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    this.held.clear();
    await lease?.release().catch(() => undefined);
  }

  /** Each view's generation, checkpoint and lag (positions behind the head), as of the last pass. */
  statuses(): ViewStatus[] {
    return this.views.map((v) => this.status.get(v.name) ?? { view: v.name, generation: 0, checkpoint: 0, lag: 0 });
  }

  /**
   * Builds `view` afresh into a new generation while the active one keeps answering, then swaps:
   * the last events are applied inside the swap's transaction, so no event is missed or doubled.
   */
  async rebuild(view: View, onProgress?: (p: Progress) => void, batchSize = 10_000): Promise<Generation> {
    const generation = await this.store.startBuild(view);
    const slot = `${view.name} rebuild`;
    if (!(await this.acquire(view.name, generation.generation, slot))) throw new Error(`Could not lease ${view.name} generation ${generation.generation}`);
    try {
      let applied = 0;
      // Read the next batch while the current one is written: the feed read and the insert overlap.
      const fetch = async (after: number) => {
        const head = await this.ledger.headPosition();
        return { head, events: await this.ledger.readFeed({ after, limit: batchSize, types: [...view.types] }) };
      };
      // And compute batch n+1 while batch n is inserted: Node and PostgreSQL work at the same time.
      let next = fetch(generation.checkpoint);
      let writing: Promise<unknown> = Promise.resolve();
      for (;;) {
        const { head, events } = await next;
        const full = events.length === batchSize;
        if (full) next = fetch(events[events.length - 1].globalPosition);
        const prepared = await this.store.prepare(view, generation, events, { upTo: full ? undefined : head, beforeRead: () => writing });
        await writing;
        if (prepared) writing = this.store.commit(generation, prepared);
        applied += events.length;
        onProgress?.({ view: view.name, position: prepared?.last ?? generation.checkpoint, head, events: applied });
        if (!full) break;
      }
      await writing;
      await this.store.swap(view, generation, async (manager) => {
        for (;;) {
          const head = await this.ledger.headPosition();
          const events = await this.ledger.readFeed({ after: generation.checkpoint, limit: batchSize, types: [...view.types] });
          await this.store.apply(view, generation, events, { upTo: events.length < batchSize ? head : undefined, manager });
          if (events.length < batchSize) return;
        }
      });
      generation.status = 'active';
      return generation;
    } catch (error) {
      await this.store.drop(generation).catch(() => undefined);
      throw error;
    } finally {
      const runner = await this.leaseRunner();
      await runner.query(`SELECT pg_advisory_unlock(hashtext('rm lease ' || $1), $2)`, [view.name, generation.generation]);
      this.held.delete(slot);
    }
  }

  /**
   * Resolves once every named view is built by its current reducer and has applied `position`; false
   * after `timeoutMs`.
   */
  async waitFor(views: string[], position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const versions = new Map(this.views.map((v) => [v.name, v.version]));
    for (;;) {
      const generations = await Promise.all(views.map((v) => this.store.activeOf(v)));
      if (generations.every((g, i) => g && g.version === (versions.get(views[i]) ?? g.version) && g.checkpoint >= position)) return true;
      if (Date.now() >= deadline) return false;
      this.nudge();
      await sleep(Math.min(25, Math.max(1, deadline - Date.now())));
    }
  }
}
