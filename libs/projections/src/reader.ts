import { cutEnd, dayOf, IsoDate, today } from '@reform-ledger/calendar';
import type { Ledger } from '@reform-ledger/ledger';
import type { Cut, EntityHistory, EntityState, TemporalStore } from './temporal-store';
import type { View } from './view';

/** A read's cut as asked: valid time, transaction time, ledger position — each optional. */
export type CutQuery = { asOf?: string; knownAt?: string; position?: number };
/** The cut a response answered for: the position is the one actually read (never past the view). */
export type AnsweredCut = { asOf: string | null; knownAt: string | null; position: number };

/** What narrows a read to one unit's share (the unit that leads a task, owns a plan or a drive, drafts a document…). */
export type UnitFilter = { unitId?: string };

/** The stored view was built by an older reducer (before an upgrade) and is being rebuilt: it does not answer. */
export class ViewRebuilding extends Error {
  constructor(readonly view: string, readonly stored: number, readonly current: number) {
    super(`View ${view} is being rebuilt (stored version ${stored}, current ${current})`);
    this.name = 'ViewRebuilding';
  }
}

/** Views' states at one resolved cut: what a query reads. */
export type At = {
  cut: Cut;
  answered: AnsweredCut;
  /** The day the answer is for, in the ledger's calendar: asOf's, or today. Overdue and stages are counted against it. */
  day: IsoDate;
  /** The entities a scope lists (all scopes when null), each in its state at the cut; none if the view is not built yet. */
  list<S>(view: View, kind: string, scope: string | null): Promise<EntityState<S>[]>;
  one<S>(view: View, kind: string, entity: string): Promise<S | null>;
  /** The valid-time histories of a scope's entities as known at the cut's position (its valid time ignored): for a series of cuts. */
  histories<S>(view: View, kind: string, scope: string): Promise<EntityHistory<S>[]>;
};

/** A query over some views: it declares the views it reads, so the caller can wait for them. */
export type ViewQuery<A extends unknown[], R> = { views: readonly View[]; run(at: At, ...args: A): Promise<R> };

export const defineQuery = <A extends unknown[], R>(views: readonly View[], run: (at: At, ...args: A) => Promise<R>): ViewQuery<A, R> => ({ views, run });

/** Resolves cuts over the views' materialised rows. Every answer comes from stored rows: no replay. */
export class ViewReader {
  constructor(
    readonly store: TemporalStore,
    readonly ledger: Ledger,
  ) {}

  /** The views at a cut: the position is the least of theirs, the one asked, and knownAt's. */
  async at(views: readonly View[], query: CutQuery): Promise<At> {
    const generations = new Map<string, number>();
    let position = Number.MAX_SAFE_INTEGER;
    for (const view of views) {
      const generation = await this.store.activeOf(view.name);
      // A generation built by an older reducer never answers: it is being rebuilt.
      if (generation && generation.version !== view.version) throw new ViewRebuilding(view.name, generation.version, view.version);
      generations.set(view.name, generation?.generation ?? 0);
      position = Math.min(position, generation?.checkpoint ?? 0);
    }
    if (query.position !== undefined) position = Math.min(position, query.position);
    if (query.knownAt !== undefined) position = Math.min(position, await this.ledger.positionAt(query.knownAt));
    const cut: Cut = { validTime: query.asOf === undefined ? null : cutEnd(query.asOf)!, position };
    const generationOf = (view: View) => {
      const generation = generations.get(view.name);
      if (generation === undefined) throw new Error(`A query read view ${view.name} without declaring it`);
      return generation;
    };
    return {
      cut,
      answered: { asOf: query.asOf ?? null, knownAt: query.knownAt ?? null, position },
      day: query.asOf === undefined ? today() : dayOf(query.asOf),
      list: async <S>(view: View, kind: string, scope: string | null) => {
        const generation = generationOf(view);
        return generation ? this.store.list<S>(view.name, generation, kind, scope, cut) : [];
      },
      one: async <S>(view: View, kind: string, entity: string) => {
        const generation = generationOf(view);
        return generation ? this.store.one<S>(view.name, generation, kind, entity, cut) : null;
      },
      histories: async <S>(view: View, kind: string, scope: string) => {
        const generation = generationOf(view);
        return generation ? this.store.histories<S>(view.name, generation, kind, scope, cut.position) : [];
      },
    };
  }

  /** Runs a query at a cut. */
  async answer<A extends unknown[], R>(query: ViewQuery<A, R>, cut: CutQuery, ...args: A): Promise<R> {
    return query.run(await this.at(query.views, cut), ...args);
  }
}
