import { storedInstant } from '@reform-ledger/calendar';
import type { DomainEvent } from '@reform-ledger/domain';
import type { StoredEvent } from '@reform-ledger/ledger';
import type { View } from './view';

let position = 0;

/** An event as the ledger hands it back (occurredAt in its stored UTC form), for the reducer specs. */
export const stored = (streamId: string, e: DomainEvent): StoredEvent => ({
  eventId: `e-${++position}`, streamId, streamVersion: position, globalPosition: position, type: e.type, schemaVersion: 1, data: e.data,
  occurredAt: storedInstant(e.occurredAt)!, recordedAt: '2026-11-27T00:00:00.000000Z', prevHash: '', hash: '',
});

/** Folds one entity of a view from a history, in recording order, as the temporal store does for "now". */
export const foldView = (view: View, kind: string, entity: string, history: StoredEvent[]) =>
  history.filter((e) => view.route(e).some((r) => r.kind === kind && r.entity === entity)).reduce<unknown>((s, e) => view.evolve(kind, s, e), null);
