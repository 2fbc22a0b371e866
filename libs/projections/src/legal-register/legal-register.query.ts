import { yearOf } from '@reform-ledger/calendar';
import type { LegalDocument } from '@reform-ledger/domain';
import { defineQuery, UnitFilter } from '../reader';
import { registeredDocuments, registeredUnits, subtreeOf } from '../registry/registry.query';
import { registryView } from '../registry/registry.view';
import { legalRegisterView } from './legal-register.view';

type Known = Exclude<LegalDocument, { status: 'absent' }>;

/**
 * The legal-document register of a year: every document drafted, appraised, issued or expired in it,
 * and the counts of each (in force: issued and not wholly expired at the cut). With `unitId`, that
 * unit's register: the documents it drafts or issues, and the drafts being prepared by the units under
 * it (a district's departments draft what the district will issue). A document issued by another
 * body below it (a commune's own) is that body's, not its.
 */
export const legalDocumentsQuery = defineQuery([legalRegisterView, registryView], async (at, filter: UnitFilter & { year?: number } = {}) => {
  const { year, unitId } = filter;
  const inYear = (d: string | null | undefined) => year === undefined || (!!d && yearOf(d) === year);
  const registered = new Map((await registeredDocuments(at)).map((d) => [d.documentId, d]));
  const under = unitId === undefined ? null : subtreeOf(unitId, await registeredUnits(at));
  const theirs = (state: Known) => {
    if (unitId === undefined || state.draftingUnitId === unitId) return true;
    if (state.status === 'draft') return under!.has(state.draftingUnitId);
    return registered.get(state.documentId)?.issuerUnitId === unitId;
  };
  const documents = (await at.list<Known>(legalRegisterView, 'legal-document', 'all'))
    .filter(({ state }) => theirs(state))
    .map(({ entity, state }) => {
      const documentId = state.status === 'draft' ? null : state.documentId;
      return {
        legalDocumentId: entity, title: state.title, status: state.status, draftingUnitId: state.draftingUnitId, draftedOn: state.draftedOn,
        appraisedOn: state.appraisedOn, documentId, reference: documentId ? registered.get(documentId)?.reference ?? null : null,
        issuedOn: state.status === 'draft' ? null : state.issuedOn, expiredOn: state.status === 'expired' ? state.expiredOn : null,
        partlyExpired: state.status === 'issued' && state.partlyExpired,
      };
    })
    .filter((d) => inYear(d.draftedOn) || d.appraisedOn.some(inYear) || inYear(d.issuedOn) || inYear(d.expiredOn));
  return {
    documents,
    counts: {
      drafted: documents.filter((d) => inYear(d.draftedOn)).length,
      appraised: documents.filter((d) => d.appraisedOn.some(inYear)).length,
      issued: documents.filter((d) => d.issuedOn && inYear(d.issuedOn)).length,
      inForce: documents.filter((d) => d.status === 'issued').length,
      expired: documents.filter((d) => d.expiredOn && inYear(d.expiredOn)).length,
    },
    cut: at.answered,
  };
});
