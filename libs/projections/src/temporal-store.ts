import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, EntityManager, EntitySchema } from 'typeorm';
import { validFrom } from '@reform-ledger/calendar';
import { FeedEvent, SupervisedClient } from '@reform-ledger/ledger';
import type { View } from './view';

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
/** An entity's states through valid time: [valid from (epoch ms), state], oldest first. */
export type EntityHistory<S = unknown> = { entity: string; steps: [validFrom: number, state: S | null][] };

/** The state a history holds just before valid time `until` (epoch ms): its last step before it (a day's cut: until the next day starts). */
export const stateBefore = <S>(history: EntityHistory<S>, until: number): S | null => {
  let state: S | null = null;
  for (const [v, s] of history.steps) {
    if (v >= until) break;
    state = s;
  }
  return state;
};

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const copyText = (value: string) =>
  COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : value;

/**
 * Rows in COPY's text format, a thousand lines to a chunk: a batch's text is never held whole, and
 * each chunk is garbage as soon as it is sent (a rebuild's heap is capped).
 */
function* copyLines(rows: Row[]): Generator<string> {
  for (let i = 0; i < rows.length; i += 1000) {
    let text = '';
    for (let j = i; j < Math.min(i + 1000, rows.length); j++) {
      const [k, e, v, p, st] = rows[j];
      text += `${copyText(k)}\t${copyText(e)}\t${v}\t${p}\t${copyText(JSON.stringify(st))}\n`;
    }
    yield text;
  }
}

const tablesOf = (view: string, generation: number) => {
  const prefix = `rm_${view.replace(/[^a-z0-9]/g, '_')}_g${generation}`;
  return { rows: `${prefix}_rows`, entities: `${prefix}_entities` };
};

/** An entity's valid-time step function as currently known: its last breakpoints, oldest first. */
type Step = [validFrom: string, state: unknown];
type CacheEntry = { steps: Step[]; truncated: boolean };
type Row = [kind: string, entity: string, validFrom: string, position: number, state: unknown];
export type Prepared = { cacheKey: string; last: number; rows: Row[]; entities: [string, string, string, number][] };

/** The read side's store of temporal view rows, over a TypeORM DataSource. */
export class TemporalStore {
  /** Per generation: the latest state of recently touched entities, so an in-order event needs no read. */
  private readonly caches = new Map<string, Map<string, CacheEntry>>();

  private readonly cacheLimit: number;
  private readonly stepsKept: number;

  /** `cacheLimit` entities and `stepsKept` breakpoints each are kept in memory (bounded RSS); older ones are read back when needed. */
  constructor(
    readonly dataSource: DataSource,
    options: { cacheLimit?: number; stepsKept?: number } = {},
  ) {
    this.cacheLimit = options.cacheLimit ?? 50_000;
    this.stepsKept = options.stepsKept ?? 8;
  }

  static async open(url: string, options: { poolSize?: number; cacheLimit?: number; stepsKept?: number } = {}): Promise<TemporalStore> {
    // The ledger's SupervisedClient: a connection lost while checked out (a lease, a transaction) never ends the process.
    const dataSource = new DataSource({
      type: 'postgres', url, entities: [GenerationSchema],
      extra: { max: options.poolSize ?? 5, Client: SupervisedClient },
    });
    await dataSource.initialize();
    await dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('rm_generations schema'))`);
      await m.query(`CREATE TABLE IF NOT EXISTS rm_generations (
        view text NOT NULL, generation int NOT NULL, version int NOT NULL, status text NOT NULL,
        checkpoint bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (view, generation))`);
      await m.query(`CREATE UNIQUE INDEX IF NOT EXISTS rm_generations_one_active ON rm_generations (view) WHERE status = 'active'`);
    });
    return new TemporalStore(dataSource, options);
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
    // The state as json (its text, checked), not jsonb: it is only ever read whole, and PostgreSQL takes in
    // json text about twice as fast as it builds jsonb, the larger part of a rebuild's server time.
    await m.query(`CREATE TABLE ${rows} (kind text NOT NULL, entity text NOT NULL, valid_from timestamptz NOT NULL,
      pos_from bigint NOT NULL, state json, PRIMARY KEY (kind, entity, valid_from, pos_from))`);
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

  /** The generation answering reads for `view`, if it has one yet. */
  activeOf(view: string): Promise<Generation | null> {
    return this.generations.findOneBy({ view, status: 'active' });
  }

  async checkpoint(view: string): Promise<number> {
    return (await this.activeOf(view))?.checkpoint ?? 0;
  }

  /**
   * Applies a batch of feed events (in position order, all after the checkpoint) to a generation:
   * rows, entities and the new checkpoint in one transaction. Refuses to apply over a checkpoint
   * that moved (another writer), so a batch is applied once. `upTo` moves the checkpoint past
   * events of other types.
   *
   * Why no replay is needed for a backdated event e: the projector meets an entity's events in
   * stream order, so e is the last of them. The entity's state at any valid time b >= e.occurredAt
   * becomes evolve(old state at b, e); before it, nothing changes. So e adds one row per existing
   * breakpoint at or after its valid time, plus one at its own.
   */
  async apply(view: View, generation: Generation, events: FeedEvent[], options: { upTo?: number; manager?: EntityManager } = {}): Promise<number> {
    const prepared = await this.prepare(view, generation, events, options);
    return prepared ? this.commit(generation, prepared, options.manager) : generation.checkpoint;
  }

  /**
   * The first half of apply: the rows a batch adds, computed in memory (the cache is updated).
   * `beforeRead` is awaited before any read of the rows table — a rebuild passes its write in flight,
   * so that it computes batch n+1 while batch n is being inserted.
   */
  async prepare(view: View, generation: Generation, events: FeedEvent[],
    options: { upTo?: number; manager?: EntityManager; beforeRead?: () => Promise<unknown> } = {}): Promise<Prepared | null> {
    const { manager } = options;
    const last = Math.max(events.length ? events[events.length - 1].globalPosition : 0, options.upTo ?? 0, generation.checkpoint);
    if (last <= generation.checkpoint && events.length === 0) return null;
    const cacheKey = `${generation.view}#${generation.generation}`;
    const cache = this.caches.get(cacheKey) ?? new Map<string, CacheEntry>();
    this.caches.set(cacheKey, cache);
    const tables = tablesOf(generation.view, generation.generation);
    const run = manager ?? this.dataSource.manager;
    const routed = events.map((e) => ({ event: e, targets: view.types.includes(e.type) ? view.route(e) : [] }));

    const missing = new Map<string, { kind: string; entity: string }>();
    for (const { targets } of routed) for (const t of targets) if (!cache.has(`${t.kind}|${t.entity}`)) missing.set(`${t.kind}|${t.entity}`, t);
    if (missing.size > 0) {
      await options.beforeRead?.();
      for (const [key, steps] of await this.loadSteps(run, tables.rows, [...missing.values()], this.stepsKept + 1)) {
        cache.set(key, { steps: steps.slice(-this.stepsKept), truncated: steps.length > this.stepsKept });
      }
    }

    const rows: Row[] = [];
    const entities: [string, string, string, number][] = [];
    for (const { event, targets } of routed) {
      const t = validFrom(event.occurredAt);
      const p = event.globalPosition;
      for (const { kind, entity, scope } of targets) {
        const key = `${kind}|${entity}`;
        let known = cache.get(key);
        if (!known) {
          entities.push([kind, scope ?? '', entity, p]);
          known = { steps: [], truncated: false };
          cache.set(key, known);
        }
        const steps = known.steps;
        const lastStep = steps[steps.length - 1];
        if (!lastStep || t >= lastStep[0]) {
          const state = view.evolve(kind, lastStep ? lastStep[1] : null, event);
          rows.push([kind, entity, t, p, state]);
          if (lastStep && lastStep[0] === t) lastStep[1] = state;
          else steps.push([t, state]);
          if (steps.length > this.stepsKept) {
            steps.shift();
            known.truncated = true;
          }
          continue;
        }
        // Backdated. Needs the breakpoints from t on; older cached ones are not needed.
        let all = steps;
        if (known.truncated && t < steps[0][0]) {
          await options.beforeRead?.();
          const stored = (await this.loadSteps(run, tables.rows, [{ kind, entity }], Number.MAX_SAFE_INTEGER, t)).get(key) ?? [];
          const merged = new Map(stored.map(([v, s]) => [v, s] as Step));
          for (const r of rows) if (r[0] === kind && r[1] === entity) merged.set(r[2], r[4]); // this batch's rows are newer
          all = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        }
        const before = all.filter(([v]) => v <= t).pop();
        const updated: Step[] = [[t, view.evolve(kind, before ? before[1] : null, event)]];
        for (const [v, s] of all) if (v > t) updated.push([v, view.evolve(kind, s, event)]);
        for (const [v, s] of updated) rows.push([kind, entity, v, p, s]);
        const kept = new Map(all.filter(([v]) => v < t));
        for (const [v, s] of updated) kept.set(v, s);
        const next = [...kept.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        known.truncated = known.truncated || next.length > this.stepsKept;
        known.steps = next.slice(-this.stepsKept);
      }
    }
    if (cache.size > this.cacheLimit) cache.clear();
    return { cacheKey, last, rows, entities };
  }

  /** The second half of apply: rows, entities and checkpoint in one transaction. */
  async commit(generation: Generation, prepared: Prepared, manager?: EntityManager): Promise<number> {
    const { rows, entities, last } = prepared;
    const tables = tablesOf(generation.view, generation.generation);
    const write = async (m: EntityManager) => {
      // A generation being built is not read until its swap, which commits durably; a crash before
      // that only loses batches whose checkpoint is lost with them.
      if (generation.status === 'building') await m.query('SET LOCAL synchronous_commit TO OFF');
      const moved = await m.query(`UPDATE rm_generations SET checkpoint = $3, updated_at = now()
        WHERE view = $1 AND generation = $2 AND checkpoint = $4`, [generation.view, generation.generation, last, generation.checkpoint]);
      if (moved[1] !== 1) throw new Error(`${generation.view} generation ${generation.generation} moved past ${generation.checkpoint}: another projector is applying it`);
      if (entities.length > 0) {
        await m.query(`INSERT INTO ${tables.entities} (kind, scope, entity, first_pos)
          SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(kind text, scope text, entity text, first_pos bigint) ON CONFLICT DO NOTHING`,
        [JSON.stringify(entities.map(([kind, scope, entity, first_pos]) => ({ kind, scope, entity, first_pos })))]);
      }
      if (rows.length > 0) {
        // COPY on the transaction's own connection: one event gives one row per (entity, valid time),
        // and later batches never repeat a position.
        const client = (await m.queryRunner!.connect()) as PoolClient;
        await pipeline(Readable.from(copyLines(rows)), client.query(copyFrom(`COPY ${tables.rows} (kind, entity, valid_from, pos_from, state) FROM STDIN`)));
      }
    };
    try {
      if (manager) await write(manager);
      else await this.dataSource.transaction(write);
    } catch (error) {
      this.caches.delete(prepared.cacheKey); // the cache may hold states that were not committed
      throw error;
    }
    generation.checkpoint = last;
    return last;
  }

  /**
   * Each entity's current breakpoints (the latest row per valid time), oldest first: the last `limit`,
   * or, with `from`, the one in force at `from` and all after it.
   */
  private async loadSteps(run: EntityManager, rowsTable: string, keys: { kind: string; entity: string }[], limit: number, from?: string) {
    const found: { kind: string; entity: string; v: string; state: unknown }[] = await run.query(
      `SELECT k.kind, k.entity, r.v, r.state
         FROM unnest($1::text[], $2::text[]) AS k(kind, entity)
         CROSS JOIN LATERAL (
           SELECT DISTINCT ON (x.valid_from) to_char(x.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS v, x.valid_from, x.state
             FROM ${rowsTable} x WHERE x.kind = k.kind AND x.entity = k.entity
              AND ($4::timestamptz IS NULL OR x.valid_from >= coalesce(
                (SELECT max(y.valid_from) FROM ${rowsTable} y WHERE y.kind = k.kind AND y.entity = k.entity AND y.valid_from <= $4), '-infinity'))
            ORDER BY x.valid_from DESC, x.pos_from DESC LIMIT $3) r
        ORDER BY k.kind, k.entity, r.valid_from`,
      [keys.map((k) => k.kind), keys.map((k) => k.entity), limit, from ?? null],
    );
    const steps = new Map<string, Step[]>();
    for (const f of found) {
      const key = `${f.kind}|${f.entity}`;
      steps.set(key, [...(steps.get(key) ?? []), [f.v, f.state]]);
    }
    return steps;
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

  /**
   * The valid-time history of every entity a scope lists, as the ledger held it at `position`: for each
   * valid time it changes at, its state then (the latest row at or before the position). One query for
   * a whole series of valid-time cuts; a state at valid time V is the last step at or before V.
   */
  async histories<S>(view: string, generation: number, kind: string, scope: string, position: number): Promise<EntityHistory<S>[]> {
    const { rows, entities } = tablesOf(view, generation);
    // Per entity, one index range scan of its rows (as statesAt probes them), newest position first within each valid time.
    const found: { entity: string; v: number; state: S | null }[] = await this.dataSource.query(
      `SELECT e.entity, r.v, r.state FROM ${entities} e
        CROSS JOIN LATERAL (
          SELECT DISTINCT ON (x.valid_from) x.valid_from, (extract(epoch FROM x.valid_from) * 1000)::float8 AS v, x.state
            FROM ${rows} x WHERE x.kind = e.kind AND x.entity = e.entity AND x.pos_from <= $3
           ORDER BY x.valid_from, x.pos_from DESC) r
        WHERE e.kind = $1 AND e.scope = $2 AND e.first_pos <= $3
        ORDER BY e.entity, r.valid_from`,
      [kind, scope, position],
    );
    const byEntity = new Map<string, EntityHistory<S>>();
    for (const f of found) {
      const history = byEntity.get(f.entity) ?? { entity: f.entity, steps: [] };
      history.steps.push([f.v, f.state]);
      byEntity.set(f.entity, history);
    }
    return [...byEntity.values()];
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
