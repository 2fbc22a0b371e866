import { DOCUMENT_TYPE_NAMES, type Document, type Unit, type UnitKind } from '@reform-ledger/domain';
import { At, defineQuery, UnitFilter } from '../reader';
import { registryView } from './registry.view';

/** Each unit's name at the cut (its id when it has none). */
export const unitNames = async (at: At): Promise<Map<string, string>> => {
  const units = await at.list<Unit>(registryView, 'unit', 'all');
  return new Map(units.map(({ entity, state }) => [entity, state.status === 'absent' ? entity : state.name]));
};

/** A registered unit at the cut: its name, kind and, while it is active, the unit above it. */
export type RegisteredUnit = { unitId: string; name: string; kind: UnitKind; parentUnitId?: string };

/** The units registered at the cut (merged and dissolved ones too: their names still label the past), by id. */
export const registeredUnits = async (at: At): Promise<Map<string, RegisteredUnit>> =>
  new Map((await at.list<Unit>(registryView, 'unit', 'all')).flatMap(({ entity, state }) => (state.status === 'absent' ? [] : [[entity, {
    unitId: entity, name: state.name, kind: state.kind, ...(state.status === 'active' && state.parentUnitId && { parentUnitId: state.parentUnitId }),
  }] as const])));

/** The units above `unitId`, nearest first (as far as the registry knows them). */
export const ancestorsOf = (unitId: string, units: Map<string, RegisteredUnit>): RegisteredUnit[] => {
  const chain: RegisteredUnit[] = [];
  for (let id = units.get(unitId)?.parentUnitId; id && chain.length < 20; id = units.get(id)?.parentUnitId) {
    const unit = units.get(id);
    if (!unit || chain.includes(unit)) break;
    chain.push(unit);
  }
  return chain;
};

/** The unit itself and every unit below it. */
export const subtreeOf = (unitId: string, units: Map<string, RegisteredUnit>): Set<string> =>
  new Set([unitId, ...[...units.keys()].filter((id) => ancestorsOf(id, units).some((a) => a.unitId === unitId))]);

export type RegisteredDocument = Extract<Document, { status: 'registered' }> & { documentId: string };

/** The documents registered at the cut. */
export const registeredDocuments = async (at: At): Promise<RegisteredDocument[]> =>
  (await at.list<Document>(registryView, 'document', 'all'))
    .flatMap(({ entity, state }) => (state.status === 'registered' ? [{ documentId: entity, ...state }] : []));

/** The unit register at the cut: every unit with its name, kind and standing (active, merged into…, dissolved), by name. */
export const unitsQuery = defineQuery([registryView], async (at) => {
  const units = await at.list<Unit>(registryView, 'unit', 'all');
  return {
    units: units.flatMap(({ entity, state }) => (state.status === 'absent' ? [] : [{
      unitId: entity, name: state.name, kind: state.kind, status: state.status,
      parentUnitId: state.status === 'active' ? state.parentUnitId ?? null : null,
      intoUnitId: state.status === 'merged' ? state.intoUnitId : null,
      since: state.status === 'merged' || state.status === 'dissolved' ? state.since : null,
    }])).sort((a, b) => a.name.localeCompare(b.name, 'vi')),
    cut: at.answered,
  };
});

/** Text as a search compares it: without diacritics or case (`Quyết định` finds `quyet dinh`, `QĐ` finds `qd`). */
const searchable = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();

/**
 * The documents registered at the cut, newest first: each with its number and symbol, type, date, issuer
 * and title. With `unitId`, those the unit issued or registered; with `q`, those whose number, title or id
 * hold every word of it (diacritics and case aside); at most `limit`.
 */
export const documentsQuery = defineQuery([registryView], async (at, filter: UnitFilter & { q?: string; limit?: number } = {}) => {
  const words = filter.q === undefined ? [] : searchable(filter.q).split(/\s+/).filter(Boolean);
  const documents = (await registeredDocuments(at))
    .filter((d) => filter.unitId === undefined || d.issuerUnitId === filter.unitId || d.registeredByUnitId === filter.unitId)
    .filter((d) => {
      const text = searchable(`${d.reference} ${d.title ?? ''} ${d.documentId}`);
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => b.date.localeCompare(a.date) || a.documentId.localeCompare(b.documentId));
  return {
    total: documents.length,
    documents: documents.slice(0, filter.limit ?? documents.length).map((d) => ({
      documentId: d.documentId, reference: d.reference, documentType: d.documentType, documentTypeName: DOCUMENT_TYPE_NAMES[d.documentType], date: d.date, issuerUnitId: d.issuerUnitId, title: d.title ?? null,
    })),
    cut: at.answered,
  };
});
