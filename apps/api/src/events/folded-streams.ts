import { DECIDERS, DomainEvent, fold, RecordKind, streamIdOf } from '@reform-ledger/domain';
import type { Ledger, StoredEvent } from '@reform-ledger/ledger';

/** A record's state folded from its stream up to `version`, whose last event is `eventId`. */
export type Folded = { state: { status: string }; version: number };
type Entry = Folded & { eventId: string };

const toDomain = (e: StoredEvent): DomainEvent => ({ type: e.type, occurredAt: e.occurredAt, data: e.data });

/** How many records' states a process keeps (least recently used out first). */
const LIMIT = 10_000;

/** One cache per database (a pool), so two apps in one process never share states. */
const caches = new WeakMap<object, Map<string, Entry>>();

/**
 * The current state of a record for a decision, without folding its whole stream on every write.
 *
 * The states of recently written records are kept in memory with the version they were folded to and
 * the id of the event at that version. A load reads the stream from that version on — the event
 * already folded, to check that it is still the same one (a stream that was not what it was, e.g. a
 * recreated database, is folded again from its first event), and the events after it, which are
 * folded onto the kept state. So a write reads and folds only what was written since the last one:
 * its cost does not grow with the stream. Events are facts that never change, and the fold is the
 * domain's own `evolve` over the events as stored, so the state is the one a fold from version 1
 * gives.
 *
 * Only what is committed is kept: a ledger inside a transaction may see its own appends, which a
 * rollback would undo, so it reads the cache but never fills it.
 */
export const loadRecord = async (ledger: Ledger, kind: RecordKind, id: string): Promise<Folded> => {
  const decider = DECIDERS[kind];
  const streamId = streamIdOf(kind, id);
  let cache = caches.get(ledger.pool);
  if (!cache) caches.set(ledger.pool, (cache = new Map()));
  const kept = cache.get(streamId);
  let state = decider.initialState;
  let version = 0;
  let events = await ledger.readStream(streamId, { fromVersion: kept?.version ?? 1 });
  if (kept) {
    if (events[0]?.eventId === kept.eventId) {
      ({ state, version } = kept);
      events = events.slice(1);
    } else {
      cache.delete(streamId);
      events = await ledger.readStream(streamId);
    }
  }
  state = fold(decider, events.map(toDomain), state);
  const last = events[events.length - 1];
  if (last) version = last.streamVersion;
  if (last && !ledger.transactional) {
    const current = cache.get(streamId);
    if (!current || current.version <= version) {
      cache.delete(streamId);
      cache.set(streamId, { state, version, eventId: last.eventId });
      if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
    }
  } else if (kept && cache.get(streamId) === kept) {
    // Most recently used: to the end of the map's order.
    cache.delete(streamId);
    cache.set(streamId, kept);
  }
  return { state, version };
};
