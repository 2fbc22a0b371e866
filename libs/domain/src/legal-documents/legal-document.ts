import { dayOf, IsoDate } from '@reform-ledger/calendar';
import { documentRefs, requireDocumentIfGiven } from '../documents/document';
import { Decider, DomainEvent, recorded, Ref } from '../shared/decider';
import { assertNever, DomainError } from '../shared/domain-error';
import { requireActiveUnit } from '../units/unit';

/**
 * A draft legal normative document (dự thảo văn bản QPPL) prepared by `draftingUnitId`, to be appraised
 * by `appraisalUnitId` (Phòng Tư pháp). Schema version 2; a version-1 draft named no appraiser and is
 * read with `appraisalUnitId: null` (an admin records its appraisal).
 */
export type DraftRegistered = DomainEvent<'DraftRegistered', { title: string; draftingUnitId: string; appraisalUnitId: string | null }>;
/** An appraisal (thẩm định) by `appraisingUnitId` (Phòng Tư pháp), reported in `reportDocumentId` (01/BCTĐ-PTP). */
export type DraftAppraised = DomainEvent<'DraftAppraised', {
  appraisingUnitId: string; reportDocumentId?: string; outcome: 'eligible' | 'needs_revision' | 'not_eligible';
}>;
/** Issued (ban hành) as `documentId` (01/2022/QĐ-UBND). */
export type LegalDocumentIssued = DomainEvent<'LegalDocumentIssued', { documentId: string; effectiveOn?: IsoDate }>;
export type SelfCheckRecorded = DomainEvent<'SelfCheckRecorded', { outcome: 'lawful' | 'unlawful'; note?: string }>;
export type ReviewRecorded = DomainEvent<'ReviewRecorded', { outcome: 'keep' | 'amend' | 'replace' | 'repeal'; note?: string }>;
/** No longer in force, wholly (hết hiệu lực toàn bộ) or in part. */
export type LegalDocumentExpired = DomainEvent<'LegalDocumentExpired', { scope: 'whole' | 'partial'; note?: string }>;
export type LegalDocumentEvent =
  | DraftRegistered | DraftAppraised | LegalDocumentIssued | SelfCheckRecorded | ReviewRecorded | LegalDocumentExpired;

type Drafted = { title: string; draftingUnitId: string; appraisalUnitId: string | null; draftedOn: IsoDate; appraisedOn: IsoDate[] };
export type LegalDocument =
  | { status: 'absent' }
  | ({ status: 'draft' } & Drafted)
  | ({ status: 'issued'; documentId: string; issuedOn: IsoDate; partlyExpired: boolean } & Drafted)
  | ({ status: 'expired'; documentId: string; issuedOn: IsoDate; expiredOn: IsoDate } & Drafted);

export const legalDocument: Decider<LegalDocumentEvent, LegalDocument> = {
  kind: 'legal-document',
  initialState: { status: 'absent' },
  creates: ['DraftRegistered'],
  needs: (command) => {
    const refs: Ref[] = [];
    if (command.type === 'DraftRegistered') {
      refs.push({ kind: 'unit', id: command.data.draftingUnitId });
      if (command.data.appraisalUnitId) refs.push({ kind: 'unit', id: command.data.appraisalUnitId });
    }
    if (command.type === 'DraftAppraised') {
      refs.push({ kind: 'unit', id: command.data.appraisingUnitId }, ...documentRefs(command.data.reportDocumentId));
    }
    if (command.type === 'LegalDocumentIssued') refs.push(...documentRefs(command.data.documentId));
    return refs;
  },
  /** The drafting unit keeps its record; only the unit the draft names as its appraiser records the appraisal (none named: an admin). */
  writers: (command, state) => {
    if (command.type === 'DraftRegistered') return [command.data.draftingUnitId];
    if (state.status === 'absent') return [];
    if (command.type === 'DraftAppraised') return state.appraisalUnitId ? [state.appraisalUnitId] : [];
    return [state.draftingUnitId];
  },
  decide: (command, state, world) => {
    const { id } = command;
    if (state.status === 'expired') {
      throw new DomainError('legal_document.expired', `Legal document ${id} expired on ${state.expiredOn}`, undefined, { id, expiredOn: state.expiredOn });
    }
    switch (command.type) {
      case 'DraftRegistered':
        requireActiveUnit(world, command.data.draftingUnitId, 'data.draftingUnitId');
        if (command.data.appraisalUnitId) requireActiveUnit(world, command.data.appraisalUnitId, 'data.appraisalUnitId');
        return recorded(command);
      case 'DraftAppraised':
        if (state.status !== 'draft') {
          throw new DomainError('legal_document.not_a_draft', `Only a draft is appraised; ${id} is ${state.status}`, undefined, { id, type: command.type, status: state.status });
        }
        if (state.appraisalUnitId && command.data.appraisingUnitId !== state.appraisalUnitId) {
          throw new DomainError('legal_document.appraiser_mismatch', `Draft ${id} is appraised by ${state.appraisalUnitId}`, 'data.appraisingUnitId',
            { id, appraisalUnitId: state.appraisalUnitId, appraisingUnitId: command.data.appraisingUnitId });
        }
        requireActiveUnit(world, command.data.appraisingUnitId, 'data.appraisingUnitId');
        requireDocumentIfGiven(world, command.data.reportDocumentId, 'data.reportDocumentId');
        return recorded(command);
      case 'LegalDocumentIssued':
        if (state.status !== 'draft') {
          throw new DomainError('legal_document.not_a_draft', `Only a registered draft is issued; ${id} is ${state.status}`, undefined, { id, type: command.type, status: state.status });
        }
        requireDocumentIfGiven(world, command.data.documentId, 'data.documentId');
        return recorded(command);
      case 'SelfCheckRecorded':
      case 'ReviewRecorded':
      case 'LegalDocumentExpired':
        if (state.status !== 'issued') {
          throw new DomainError('legal_document.not_issued', `${command.type} needs an issued document; ${id} is ${state.status}`, undefined,
            { id, type: command.type, status: state.status });
        }
        return recorded(command);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    if (event.type === 'DraftRegistered') {
      return { status: 'draft', title: event.data.title, draftingUnitId: event.data.draftingUnitId, appraisalUnitId: event.data.appraisalUnitId ?? null,
        draftedOn: dayOf(event.occurredAt), appraisedOn: [] };
    }
    if (state.status === 'absent' || state.status === 'expired') return state;
    switch (event.type) {
      case 'DraftAppraised':
        return { ...state, appraisedOn: [...state.appraisedOn, dayOf(event.occurredAt)] };
      case 'LegalDocumentIssued':
        return { status: 'issued', title: state.title, draftingUnitId: state.draftingUnitId, appraisalUnitId: state.appraisalUnitId, draftedOn: state.draftedOn, appraisedOn: state.appraisedOn,
          documentId: event.data.documentId, issuedOn: dayOf(event.occurredAt), partlyExpired: false };
      case 'SelfCheckRecorded':
      case 'ReviewRecorded':
        return state;
      case 'LegalDocumentExpired':
        if (state.status !== 'issued') return state;
        if (event.data.scope === 'partial') return { ...state, partlyExpired: true };
        return { status: 'expired', title: state.title, draftingUnitId: state.draftingUnitId, appraisalUnitId: state.appraisalUnitId, draftedOn: state.draftedOn, appraisedOn: state.appraisedOn,
          documentId: state.documentId, issuedOn: state.issuedOn, expiredOn: dayOf(event.occurredAt) };
      default:
        return assertNever(event);
    }
  },
};
