import { document, unit } from '@reform-ledger/domain';
import { recordOf, View, withDomain } from '../view';

/** Units (names over time, for the other views' labels) and documents (their references), folded by the domain's own evolve. */
export const registryView = {
  name: 'registry',
  version: 3,
  types: ['UnitRegistered', 'UnitRenamed', 'UnitAliasAdded', 'UnitMerged', 'UnitDissolved', 'DocumentRegistered', 'DocumentCorrected'],
  route: (e) => {
    const { kind, id } = recordOf(e.streamId);
    return [{ kind, entity: id, scope: 'all' }];
  },
  evolve: (kind, state, e) => (kind === 'unit' ? withDomain(unit)(state, e) : withDomain(document)(state, e)),
} as const satisfies View<'registry'>;
