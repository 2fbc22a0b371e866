import type { Ledger } from '@reform-ledger/ledger';
import type { CutQuery, Projector, View, ViewReader } from '@reform-ledger/projections';
import { invalid, Problem } from '../problem';
import type { ParsedQuery } from '../query-params';

const READ_YOUR_WRITES_MS = 5_000;

export type ReadSide = { ledger: Ledger; projector: Projector; reader: ViewReader };

/**
 * The cut a read asked for (asOf, knownAt, position), once the views it reads have what the caller
 * needs: its own write (minPosition) or the position it asks for. A position the ledger never assigned
 * is refused at once (400); one assigned but not yet applied is waited for, up to 5 s, then 503 with
 * Retry-After (or view.outdated while a view is rebuilt after an upgrade). Every read route, the
 * report and its command line take their cut through here.
 */
export const readyCut = async ({ ledger, projector, reader }: ReadSide, views: readonly View[], p: ParsedQuery): Promise<CutQuery> => {
  const cut = { asOf: p.asOf, knownAt: p.knownAt, position: p.position };
  const needed = Math.max(p.minPosition ?? 0, p.position ?? 0);
  const field = needed === p.position ? 'position' : 'minPosition';
  if (needed > 0) {
    const last = await ledger.lastAssignedPosition();
    if (needed > last) throw invalid([{ field, reason: 'query.position_beyond_ledger', params: { position: needed, last } }]);
  }
  if (!(await projector.waitFor(views.map((v) => v.name), needed, READ_YOUR_WRITES_MS))) {
    await reader.at(views, cut); // a view being rebuilt after an upgrade says so (503 view.outdated)
    throw new Problem(503, 'view.behind', { position: needed }, [{ field, reason: 'query.behind' }], { headers: { 'Retry-After': '1' } });
  }
  return cut;
};
