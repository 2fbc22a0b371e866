import { DECIDERS, DomainEvent, fold, RecordKind, Ref, streamIdOf } from '@reform-ledger/domain';
import type { Ledger, StreamEvent } from '@reform-ledger/ledger';

/** A record's state folded from its stream up to `version`, whose last event is `eventId`. */
export type Folded = { state: { status: string }; version: number };
type Entry = Folded & { eventId: string };

const toDomain = (e: StreamEvent): DomainEvent => ({ type: e.type, occurredAt: e.occurredAt, data: e.data });

/** How many records' states a process keeps (least recently used out first). */
const LIMIT = 10_000;

/** One cache per database (a pool), so two apps in one process never share states. */
const caches = new WeakMap<object, Map<string, Entry>>();

const cacheOf = (ledger: Ledger) => {
  let cache = caches.get(ledger.pool);
  if (!cache) caches.set(ledger.pool, (cache = new Map()));
  return cache;
};

/** The state kept in memory for a record, without reading anything (null when none is kept): a guess at what a read will give. */
export const keptState = (ledger: Ledger, kind: RecordKind, id: string): { status: string } | null =>
  cacheOf(ledger).get(streamIdOf(kind, id))?.state ?? null;

/**
 * The current states of records for a decision, without folding their whole streams on every write,
 * in one read for all of them (Ledger.readStreams: one statement, one snapshot).
 *
 * The states of recently written records are kept in memory with the version they were folded to and
 * the id of the event at that version. A load reads each stream from that version on — the event
 * already folded, to check that it is still the same one (a stream that was not what it was, e.g. a
 * recreated database, is read and folded again from its first event), and the events after it, which
 * are folded onto the kept state. So a write reads and folds only what was written since the last one:
 * its cost does not grow with the stream. Events are facts that never change, and the fold is the
 * domain's own `evolve` over the events as stored, so the state is the one a fold from version 1
 * gives.
 *
 * Only what is committed is kept: a ledger inside a transaction may see its own appends, which a
 * rollback would undo, so it reads the cache but never fills it.
 */
export const loadRecords = async (ledger: Ledger, refs: Ref[]): Promise<Folded[]> => {
  const cache = cacheOf(ledger);
  const streamIds = refs.map((ref) => streamIdOf(ref.kind, ref.id));
  const kept = streamIds.map((streamId) => cache.get(streamId));
  const read = await ledger.readStreams(streamIds.map((streamId, i) => ({ streamId, fromVersion: kept[i]?.version ?? 1 })));
  return Promise.all(refs.map(async (ref, i) => {
    const decider = DECIDERS[ref.kind];
    const streamId = streamIds[i];
    let events = read[i];
    let from = kept[i];
    if (from && events[0]?.eventId !== from.eventId) {
      cache.delete(streamId);
      from = undefined;
      [events] = await ledger.readStreams([{ streamId }]);
    }
    const state = fold(decider, (from ? events.slice(1) : events).map(toDomain), from?.state ?? decider.initialState);
    const last = events[events.length - 1];
    const version = last?.streamVersion ?? 0;
    if (last && !ledger.transactional) {
      const current = cache.get(streamId);
      // Most recently used: to the end of the map's order.
      if (!current || current.version <= version) {
        cache.delete(streamId);
        cache.set(streamId, { state, version, eventId: last.eventId });
        if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
      }
    }
    return { state, version };
  }));
};

/** The current state of one record for a decision (loadRecords). */
export const loadRecord = async (ledger: Ledger, kind: RecordKind, id: string): Promise<Folded> => (await loadRecords(ledger, [{ kind, id }]))[0];
