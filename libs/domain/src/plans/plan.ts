import { dayOf, IsoDate, yearOf } from '@reform-ledger/calendar';
import { documentRefs, requireDocumentIfGiven } from '../documents/document';
import { Decider, DomainEvent, recorded } from '../shared/decider';
import { assertNever, DomainError } from '../shared/domain-error';
import { requireActiveUnit } from '../units/unit';

/** The reform fields (lĩnh vực CCHC) a task belongs to. */
export const REFORM_FIELDS = {
  chi_dao_dieu_hanh: 'Chỉ đạo, điều hành',
  the_che: 'Cải cách thể chế',
  thu_tuc_hanh_chinh: 'Cải cách thủ tục hành chính',
  to_chuc_bo_may: 'Cải cách tổ chức bộ máy',
  che_do_cong_vu: 'Cải cách chế độ công vụ',
  tai_chinh_cong: 'Cải cách tài chính công',
  chinh_quyen_so: 'Xây dựng chính quyền điện tử, chính quyền số',
} as const;
export type ReformField = keyof typeof REFORM_FIELDS;

/** A reform plan (kế hoạch CCHC) for `year`, issued on `occurredAt`, usually by a decision (documentId). */
export type PlanIssued = DomainEvent<'PlanIssued', { title: string; year: number; ownerUnitId: string; documentId?: string }>;
export type PlanAmended = DomainEvent<'PlanAmended', { reason: string; title?: string; documentId?: string }>;
export type PlanEvent = PlanIssued | PlanAmended;

/** A plan keeps its own issuing document; each amendment (a later decision or plan) is listed apart, in order. */
export type Plan =
  | { status: 'absent' }
  | { status: 'issued'; title: string; year: number; ownerUnitId: string; issuedOn: IsoDate; documentId?: string;
      amendments: { on: IsoDate; documentId?: string }[] };

export const plan: Decider<PlanEvent, Plan> = {
  kind: 'plan',
  initialState: { status: 'absent' },
  creates: ['PlanIssued'],
  needs: (command) => [
    ...(command.type === 'PlanIssued' ? [{ kind: 'unit' as const, id: command.data.ownerUnitId }] : []),
    ...documentRefs(command.data.documentId),
  ],
  writers: (command, state) =>
    command.type === 'PlanIssued' ? [command.data.ownerUnitId] : state.status === 'issued' ? [state.ownerUnitId] : [],
  decide: (command, _state, world) => {
    requireDocumentIfGiven(world, command.data.documentId, 'data.documentId');
    switch (command.type) {
      case 'PlanIssued': {
        requireActiveUnit(world, command.data.ownerUnitId, 'data.ownerUnitId');
        const issuedIn = yearOf(dayOf(command.occurredAt));
        if (Math.abs(command.data.year - issuedIn) > 1) {
          throw new DomainError('plan.year_mismatch',
            `A plan for ${command.data.year} issued in ${issuedIn}: plans are issued in their year or the one before`, 'data.year',
            { year: command.data.year, issuedIn });
        }
        return recorded(command);
      }
      case 'PlanAmended':
        return recorded(command);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'PlanIssued':
        return { status: 'issued', title: event.data.title, year: event.data.year, ownerUnitId: event.data.ownerUnitId,
          issuedOn: dayOf(event.occurredAt), ...(event.data.documentId && { documentId: event.data.documentId }), amendments: [] };
      case 'PlanAmended':
        return state.status !== 'issued' ? state : {
          ...state,
          ...(event.data.title && { title: event.data.title }),
          amendments: [...state.amendments, { on: dayOf(event.occurredAt), ...(event.data.documentId && { documentId: event.data.documentId }) }],
        };
      default:
        return assertNever(event);
    }
  },
};
