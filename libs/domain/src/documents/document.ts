import { dayOf, IsoDate } from '@reform-ledger/calendar';
import { calendarDate } from '../shared/calendar';
import { Decider, DomainEvent, recorded, Ref, World } from '../shared/decider';
import { assertNever, DomainError } from '../shared/domain-error';
import { requireActiveUnit } from '../units/unit';
import { documentId, resolveDocument } from './document-number';

export const DOCUMENT_TYPES = [
  'quyet_dinh', 'ke_hoach', 'cong_van', 'bao_cao', 'thong_bao', 'chi_thi', 'nghi_quyet', 'nghi_dinh',
  'thong_tu', 'thong_tu_lien_tich', 'luat', 'to_trinh', 'bao_cao_tham_dinh', 'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
/** Each type's Vietnamese name, as a citation writes it ("Quyết định số 39/QĐ-UBND"). */
export const DOCUMENT_TYPE_NAMES: Record<DocumentType, string> = {
  quyet_dinh: 'Quyết định', ke_hoach: 'Kế hoạch', cong_van: 'Công văn', bao_cao: 'Báo cáo', thong_bao: 'Thông báo',
  chi_thi: 'Chỉ thị', nghi_quyet: 'Nghị quyết', nghi_dinh: 'Nghị định', thong_tu: 'Thông tư', thong_tu_lien_tich: 'Thông tư liên tịch',
  luat: 'Luật', to_trinh: 'Tờ trình', bao_cao_tham_dinh: 'Báo cáo thẩm định', other: 'Văn bản',
};

/**
 * A document cited by the work (a plan's decision, an inspection report). Its record id is derived
 * from its identity (see documentId), so the same document cannot be registered twice.
 * `occurredAt` is the date on the document.
 */
export type DocumentRegistered = DomainEvent<'DocumentRegistered', {
  reference: string; issuerUnitId: string; documentType: DocumentType; title?: string;
  /** For a report: the period it reports on (a report dated before it is flagged by the data-quality checks). */
  reportsOn?: { from: IsoDate; to: IsoDate };
  /** The reference as the caller wrote it, when the canonical spelling differs. */
  writtenAs?: string;
  /** The unit whose department registered it (stamped by the decision; none when an admin did): it alone corrects it. */
  registeredByUnitId?: string;
}>;
export type DocumentCorrected = DomainEvent<'DocumentCorrected', { title?: string; documentType?: DocumentType; reason: string }>;
export type DocumentEvent = DocumentRegistered | DocumentCorrected;

export type Document =
  | { status: 'absent' }
  | { status: 'registered'; reference: string; issuerUnitId: string; date: IsoDate; documentType: DocumentType; title?: string;
      reportsOn?: { from: IsoDate; to: IsoDate }; registeredByUnitId?: string };

/** The document a command cites, for `needs`: none when no id is given. */
export const documentRefs = (documentId: string | undefined): Ref[] => (documentId ? [{ kind: 'document', id: documentId }] : []);

/** Refuses a cited document that is not registered; citing none is fine. */
export const requireDocumentIfGiven = (world: World, documentId: string | undefined, field: string): void => {
  if (documentId && world.document(documentId).status === 'absent') {
    throw new DomainError('document.not_registered', `Document ${documentId} is not registered`, field, { documentId });
  }
};

export const document: Decider<DocumentEvent, Document> = {
  kind: 'document',
  initialState: { status: 'absent' },
  creates: ['DocumentRegistered'],
  needs: (command) => (command.type === 'DocumentRegistered' ? [{ kind: 'unit', id: command.data.issuerUnitId }] : []),
  /**
   * A unit registers the documents it issued; the documents of other bodies are registered by a unit
   * that keeps the register of incoming documents. A correction is made by the unit that registered the
   * document (an admin's registration, or one from before this rule, is corrected by an admin).
   */
  writers: (command, state, world, author) => {
    if (command.type === 'DocumentCorrected') return state.status === 'registered' && state.registeredByUnitId ? [state.registeredByUnitId] : [];
    const own = author.unitId ? world.unit(author.unitId) : undefined;
    const keeper = own?.status === 'active' && own.keepsRegister ? [author.unitId!] : [];
    return [...new Set([command.data.issuerUnitId, ...keeper])];
  },
  decide: (command, _state, world) => {
    switch (command.type) {
      case 'DocumentRegistered': {
        requireActiveUnit(world, command.data.issuerUnitId, 'data.issuerUnitId');
        const ref = resolveDocument(command.data.reference, dayOf(command.occurredAt), command.data.issuerUnitId);
        if (command.data.reportsOn && calendarDate(command.data.reportsOn.from, 'data.reportsOn.from') > calendarDate(command.data.reportsOn.to, 'data.reportsOn.to')) {
          throw new DomainError('document.period_invalid', 'The reported period ends before it starts', 'data.reportsOn.to', { ...command.data.reportsOn });
        }
        const expected = documentId(ref);
        if (command.id !== expected) {
          throw new DomainError('document.id_mismatch',
            `A document's id is derived from its issuer, year, number and symbol: ${ref.reference} of ${ref.date} is ${expected}`, 'id',
            { id: command.id, expected, reference: ref.reference, date: ref.date, issuerUnitId: ref.issuerUnitId });
        }
        const { writtenAs: _ignored, registeredByUnitId: _stamped, ...data } = command.data;
        const by = command.author?.role === 'department' ? command.author.unitId : undefined;
        return [{
          type: 'DocumentRegistered',
          occurredAt: command.occurredAt,
          data: { ...data, reference: ref.reference, ...(ref.reference !== command.data.reference && { writtenAs: command.data.reference }),
            ...(by && { registeredByUnitId: by }) },
        }];
      }
      case 'DocumentCorrected':
        if (command.data.title === undefined && command.data.documentType === undefined) {
          throw new DomainError('document.nothing_to_correct', 'A correction changes the title or the document type', 'data', { id: command.id });
        }
        return recorded(command);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'DocumentRegistered':
        return { status: 'registered', reference: event.data.reference, issuerUnitId: event.data.issuerUnitId,
          date: dayOf(event.occurredAt), documentType: event.data.documentType, ...(event.data.title && { title: event.data.title }),
          ...(event.data.reportsOn && { reportsOn: event.data.reportsOn }),
          ...(event.data.registeredByUnitId && { registeredByUnitId: event.data.registeredByUnitId }) };
      case 'DocumentCorrected':
        return state.status === 'absent' ? state : {
          ...state,
          ...(event.data.title !== undefined && { title: event.data.title }),
          ...(event.data.documentType !== undefined && { documentType: event.data.documentType }),
        };
      default:
        return assertNever(event);
    }
  },
};
