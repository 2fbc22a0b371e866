import type { Document, Unit } from '@reform-ledger/domain';
import type { At } from '../reader';
import { registryView } from './registry.view';

/** Each unit's name at the cut (its id when it has none). */
export const unitNames = async (at: At): Promise<Map<string, string>> => {
  const units = await at.list<Unit>(registryView, 'unit', 'all');
  return new Map(units.map(({ entity, state }) => [entity, state.status === 'absent' ? entity : state.name]));
};

export type RegisteredDocument = Extract<Document, { status: 'registered' }> & { documentId: string };

/** The documents registered at the cut. */
export const registeredDocuments = async (at: At): Promise<RegisteredDocument[]> =>
  (await at.list<Document>(registryView, 'document', 'all'))
    .flatMap(({ entity, state }) => (state.status === 'registered' ? [{ documentId: entity, ...state }] : []));
