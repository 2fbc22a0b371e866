import { DataSource, EntityManager, EntitySchema } from 'typeorm';
import type { StoredEvent } from '@reform-ledger/ledger';
import { View } from './views';

/**
 * Where the views live (TypeORM; the ledger's tables are not touched here).
 *
 * Each view generation has two tables:
 *   <prefix>_rows      (kind, entity, valid_from, pos_from, state): "from ledger position pos_from
 *                      on, the entity's state from valid time valid_from on is `state`" — rows are
 *                      only ever added;
 *   <prefix>_entities  (kind, scope, entity, first_pos): which entities a scope lists.
 * An entity's state at a cut (valid time V, ledger position P) is the row with the greatest
 * valid_from <= V, and among those the greatest pos_from <= P: one index probe per entity, however
 * long the history. An event in valid-time order adds one row; a backdated one re-folds its entity
 * from the ledger and adds a row for each later breakpoint it changes.
 *
 * A generation is built by the live projector, or afresh by a rebuild while the active one keeps
 * answering; the swap is one update of rm_generations. Its checkpoint commits with its rows.
 */
export type Generation = { view: string; generation: number; version: number; status: 'building' | 'active' | 'retired'; checkpoint: number };

const bigint = { to: (v: number) => v, from: (v: string | number) => Number(v) };
export const GenerationSchema = new EntitySchema<Generation>({
  name: 'Generation',
  tableName: 'rm_generations',
  columns: {
    view: { type: 'text', primary: true },
    generation: { type: 'int', primary: true },
    version: { type: 'int' },
    status: { type: 'text' },
    checkpoint: { type: 'bigint', transformer: bigint },
  },
});

export type Cut = { validTime: string | null; position: number };
export type EntityState<S = unknown> = { entity: string; state: S };

const tablesOf = (view: string, generation: number) => {
  const prefix = `rm_${view.replace(/[^a-z0-9]/g, '_')}_g${generation}`;
  return { rows: `${prefix}_rows`, entities: `${prefix}_entities` };
};

type CacheEntry = { maxValid: string; state: unknown };

/** The read side's store of temporal view rows, over a TypeORM DataSource. */
export class TemporalStore {
  /** Per generation: the latest state of recently touched entities, so an in-order event needs no read. */
  private readonly caches = new Map<string, Map<string, CacheEntry>>();

  constructor(
    readonly dataSource: DataSource,
    private readonly cacheLimit = 200_000,
  ) {}

  static async open(url: string, poolSize = 5): Promise<TemporalStore> {
    const dataSource = new DataSource({ type: 'postgres', url, entities: [GenerationSchema], extra: { max: poolSize } });
    await dataSource.initialize();
    await dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('rm_generations schema'))`);
      await m.query(`CREATE TABLE IF NOT EXISTS rm_generations (
        view text NOT NULL, generation int NOT NULL, version int NOT NULL, status text NOT NULL,
        checkpoint bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (view, generation))`);
      await m.query(`CREATE UNIQUE INDEX IF NOT EXISTS rm_generations_one_active ON rm_generations (view) WHERE status = 'active'`);
    });
    return new TemporalStore(dataSource);
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }

  private get generations() {
    return this.dataSource.getRepository(GenerationSchema);
  }

  /** The generation that answers reads; created (empty, checkpoint 0) on first use. */
  async active(view: View): Promise<Generation> {
    const found = await this.generations.findOneBy({ view: view.name, status: 'active' });
    if (found) return found;
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('rm view ' || $1))`, [view.name]);
      return (await m.getRepository(GenerationSchema).findOneBy({ view: view.name, status: 'active' })) ?? this.create(m, view, 'active');
    });
  }

  /** A new, empty generation to rebuild into; the active one keeps answering. */
  async startBuild(view: View): Promise<Generation> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('rm view ' || $1))`, [view.name]);
      return this.create(m, view, 'building');
    });
  }

  private async create(m: EntityManager, view: View, status: Generation['status']): Promise<Generation> {
    const [{ next }] = await m.query(`SELECT coalesce(max(generation), 0) + 1 AS next FROM rm_generations WHERE view = $1`, [view.name]);
    const { rows, entities } = tablesOf(view.name, next);
    await m.query(`CREATE TABLE ${rows} (kind text NOT NULL, entity text NOT NULL, valid_from timestamptz NOT NULL,
      pos_from bigint NOT NULL, state jsonb, PRIMARY KEY (kind, entity, valid_from, pos_from))`);
    await m.query(`CREATE TABLE ${entities} (kind text NOT NULL, scope text NOT NULL, entity text NOT NULL,
      first_pos bigint NOT NULL, PRIMARY KEY (kind, scope, entity))`);
    const generation: Generation = { view: view.name, generation: next, version: view.version, status, checkpoint: 0 };
    await m.getRepository(GenerationSchema).insert(generation);
    return generation;
  }

  /** Makes a built generation the active one, retires the previous, and drops the retired tables. */
  async swap(view: View, built: Generation, finish: (m: EntityManager) => Promise<void>): Promise<void> {
    const retired = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('rm view ' || $1))`, [view.name]);
      await m.query(`SELECT 1 FROM rm_generations WHERE view = $1 FOR UPDATE`, [view.name]);
      await finish(m);
      const old: Generation[] = await m.getRepository(GenerationSchema).findBy({ view: view.name, status: 'active' });
      await m.query(`UPDATE rm_generations SET status = 'retired', updated_at = now() WHERE view = $1 AND status = 'active'`, [view.name]);
      await m.query(`UPDATE rm_generations SET status = 'active', updated_at = now() WHERE view = $1 AND generation = $2`, [view.name, built.generation]);
      return old;
    });
    for (const old of retired) await this.drop(old);
  }

  async drop(generation: Generation): Promise<void> {
    const { rows, entities } = tablesOf(generation.view, generation.generation);
    await this.dataSource.query(`DROP TABLE IF EXISTS ${rows}, ${entities}`);
    await this.dataSource.query(`DELETE FROM rm_generations WHERE view = $1 AND generation = $2`, [generation.view, generation.generation]);
    this.caches.delete(`${generation.view}#${generation.generation}`);
  }

  /** Forgets cached entity states: after another process may have written (a lease changed hands). */
  forget(): void {
    this.caches.clear();
  }

  async checkpoint(view: string): Promise<number> {
    const found = await this.generations.findOneBy({ view, status: 'active' });
    return found?.checkpoint ?? 0;
  }

  /**
   * Applies a batch of feed events (in position order, all after the checkpoint) to a generation:
   * rows, entities and the new checkpoint in one transaction. Refuses to apply over a checkpoint
   * that moved (another writer), so a batch is applied once. `refold` reads an entity's stream for
   * a backdated event.
   */
  async apply(
    view: View,
    generation: Generation,
    events: StoredEvent[],
    refold: (streamId: string, toVersion: number) => Promise<StoredEvent[]>,
    options: { upTo?: number; manager?: EntityManager } = {},
  ): Promise<number> {
    const { manager } = options;
    const last = Math.max(events.length ? events[events.length - 1].globalPosition : 0, options.upTo ?? 0);
    if (last <= generation.checkpoint) return generation.checkpoint;
    const cacheKey = `${generation.view}#${generation.generation}`;
    const cache = this.caches.get(cacheKey) ?? new Map<string, CacheEntry>();
    this.caches.set(cacheKey, cache);
    const { rows: rowsTable, entities: entitiesTable } = tablesOf(generation.view, generation.generation);
    const routed = events.map((e) => ({ event: e, targets: view.types.includes(e.type) ? view.route(e) : [] }));

    const missing = new Map<string, { kind: string; entity: string }>();
    for (const { targets } of routed) for (const t of targets) if (!cache.has(`${t.kind}|${t.entity}`)) missing.set(`${t.kind}|${t.entity}`, t);
    const run = manager ?? this.dataSource.manager;
    if (missing.size > 0) {
      // The row with the latest valid time (and, there, the latest position) is the state as known now.
      const found: { kind: string; entity: string; max_valid: string; state: unknown }[] = await run.query(
        `SELECT k.kind, k.entity, to_char(r.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS max_valid, r.state
           FROM unnest($1::text[], $2::text[]) AS k(kind, entity)
           CROSS JOIN LATERAL (SELECT valid_from, state FROM ${rowsTable} x WHERE x.kind = k.kind AND x.entity = k.entity
                                ORDER BY x.valid_from DESC, x.pos_from DESC LIMIT 1) r`,
        [[...missing.values()].map((t) => t.kind), [...missing.values()].map((t) => t.entity)],
      );
      for (const f of found) cache.set(`${f.kind}|${f.entity}`, { maxValid: f.max_valid, state: f.state });
    }

    const rows = new Map<string, [string, string, string, number, unknown]>();
    const entities: [string, string, string, number][] = [];
    const addRow = (kind: string, entity: string, validFrom: string, position: number, state: unknown) =>
      rows.set(`${kind}|${entity}|${validFrom}|${position}`, [kind, entity, validFrom, position, state]);

    for (const { event, targets } of routed) {
      for (const { kind, entity, scope } of targets) {
        const key = `${kind}|${entity}`;
        const known = cache.get(key);
        if (!known) entities.push([kind, scope ?? '', entity, event.globalPosition]);
        if (!known || event.occurredAt >= known.maxValid) {
          const state = view.evolve(kind, known?.state ?? null, event);
          addRow(kind, entity, event.occurredAt, event.globalPosition, state);
          cache.set(key, { maxValid: event.occurredAt, state });
          continue;
        }
        // Backdated: the entity's state changes from event.occurredAt on. Re-fold it from its stream.
        const history = (await refold(event.streamId, event.streamVersion))
          .filter((e) => view.types.includes(e.type) && view.route(e).some((t) => t.kind === kind && t.entity === entity));
        const fold = (until: string) => history.filter((e) => e.occurredAt <= until).reduce<unknown>((s, e) => view.evolve(kind, s, e), null);
        const breakpoints = [...new Set(history.map((e) => e.occurredAt).filter((t) => t >= event.occurredAt))].sort();
        for (const b of breakpoints) addRow(kind, entity, b, event.globalPosition, fold(b));
        cache.set(key, { maxValid: known.maxValid, state: fold('9999') });
      }
    }
    if (cache.size > this.cacheLimit) cache.clear();

    const write = async (m: EntityManager) => {
      const moved = await m.query(`UPDATE rm_generations SET checkpoint = $3, updated_at = now()
        WHERE view = $1 AND generation = $2 AND checkpoint = $4`, [generation.view, generation.generation, last, generation.checkpoint]);
      if (moved[1] !== 1) throw new Error(`${generation.view} generation ${generation.generation} moved past ${generation.checkpoint}: another projector is applying it`);
      if (entities.length > 0) {
        await m.query(`INSERT INTO ${entitiesTable} (kind, scope, entity, first_pos)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING`,
        [entities.map((e) => e[0]), entities.map((e) => e[1]), entities.map((e) => e[2]), entities.map((e) => e[3])]);
      }
      if (rows.size > 0) {
        const list = [...rows.values()];
        await m.query(`INSERT INTO ${rowsTable} (kind, entity, valid_from, pos_from, state)
          SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::jsonb[])`,
        [list.map((r) => r[0]), list.map((r) => r[1]), list.map((r) => r[2]), list.map((r) => r[3]), list.map((r) => JSON.stringify(r[4]))]);
      }
    };
    try {
      if (manager) await write(manager);
      else await this.dataSource.transaction(write);
    } catch (error) {
      this.caches.delete(cacheKey); // the cache may hold states that were not committed
      throw error;
    }
    generation.checkpoint = last;
    return last;
  }

  /** The entities a scope lists, each in its state at the cut (absent ones left out). */
  async list<S>(view: string, generation: number, kind: string, scope: string | null, cut: Cut): Promise<EntityState<S>[]> {
    return this.statesAt<S>(view, generation, kind, cut, '($2::text IS NULL OR e.scope = $2)', scope);
  }

  async one<S>(view: string, generation: number, kind: string, entity: string, cut: Cut): Promise<S | null> {
    const [found] = await this.statesAt<S>(view, generation, kind, cut, 'e.entity = $2', entity);
    return found?.state ?? null;
  }

  private async statesAt<S>(view: string, generation: number, kind: string, cut: Cut, where: string, value: string | null): Promise<EntityState<S>[]> {
    const { rows, entities } = tablesOf(view, generation);
    const found: { entity: string; state: S | null }[] = await this.dataSource.query(
      `SELECT e.entity, r.state FROM ${entities} e
        CROSS JOIN LATERAL (
          SELECT state FROM ${rows} r
           WHERE r.kind = e.kind AND r.entity = e.entity AND r.valid_from <= $3 AND r.pos_from <= $4
           ORDER BY r.valid_from DESC, r.pos_from DESC LIMIT 1) r
        WHERE e.kind = $1 AND ${where} AND e.first_pos <= $4
        ORDER BY e.entity`,
      [kind, value, cut.validTime ?? 'infinity', cut.position],
    );
    return found.filter((f): f is EntityState<S> => f.state !== null && (f.state as { status?: string }).status !== 'absent');
  }

  /** Every entity's current row, in a canonical order: two builds of the same ledger compare equal. */
  async dump(generation: Generation): Promise<string> {
    const { rows, entities } = tablesOf(generation.view, generation.generation);
    const r = await this.dataSource.query(`SELECT kind, entity, to_char(valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS v, pos_from, state::text
      FROM ${rows} ORDER BY kind, entity, valid_from, pos_from`);
    const e = await this.dataSource.query(`SELECT kind, scope, entity, first_pos FROM ${entities} ORDER BY kind, scope, entity`);
    return JSON.stringify({ rows: r, entities: e });
  }
}
