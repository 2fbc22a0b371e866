import type { AnyDecider, DomainEvent, RecordKind } from '@reform-ledger/domain';
import type { FeedEvent } from '@reform-ledger/ledger';

/**
 * A view of the read side: a set of entity reducers. `route` says which entities an event changes
 * (and the scope each is listed under: the plan of a task, the drive of an application), `evolve` is
 * the entity's pure reducer. The temporal store keeps every entity's state through valid and
 * transaction time, so any cut is answered without replaying the ledger.
 *
 * All views are async (Marten's vocabulary): a projector applies them from the ledger's feed with a
 * checkpoint. An entity's events all come from one stream (out-of-order events are refolded from it).
 * Each view lives in its own folder with its reducer (`*.view.ts`), its queries (`*.query.ts`) and its spec.
 */
export type Routed = { kind: string; entity: string; scope?: string };

export type View<N extends string = string> = {
  name: N;
  /** Bumped when a reducer changes: a stored generation of an older version is rebuilt, and answers nothing meanwhile. */
  version: number;
  types: readonly string[];
  route(event: FeedEvent): Routed[];
  evolve(kind: string, state: unknown, event: FeedEvent): unknown;
};

export const recordOf = (streamId: string): { kind: RecordKind; id: string } => {
  const at = streamId.indexOf(':');
  return { kind: streamId.slice(0, at) as RecordKind, id: streamId.slice(at + 1) };
};

const domainEvent = (e: FeedEvent): DomainEvent => ({ type: e.type, occurredAt: e.occurredAt, data: e.data });

/** A domain context's own evolve, reused for a view entity: decisions and views fold the same way. */
export const withDomain = (decider: AnyDecider) => (state: unknown, e: FeedEvent) =>
  decider.evolve((state ?? decider.initialState) as { status: string }, domainEvent(e));

export const dataOf = (e: FeedEvent) => e.data as Record<string, any>;
