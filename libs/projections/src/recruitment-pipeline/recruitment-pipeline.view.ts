import { dayOf, IsoDate, yearOf } from '@reform-ledger/calendar';
import type { Position } from '@reform-ledger/domain';
import { dataOf, recordOf, Routed, View } from '../view';

/** A drive: its plan (and the decision approving it), the notice's window, the council, the result, the close — each with the document it was decided by. */
export type Drive = {
  title: string; recruitmentKind: string; method: string; ownerUnitId: string; documentId?: string; approvedOn: IsoDate;
  positions: Position[]; window?: { from: IsoDate; to: IsoDate }; noticeDocumentId?: string;
  councilFormedOn?: IsoDate; councilDocumentId?: string; resultApprovedOn?: IsoDate; resultDocumentId?: string;
  status: 'open' | 'closed'; closedOn?: IsoDate;
};
export type Application = {
  positionId: string; receivedOn: IsoDate; withdrawn: boolean; eligible: boolean | null; passed: boolean; appointed: boolean;
};

/** Recruitment drives (listed by the year of approval) and their applications (listed by drive). */
export const recruitmentPipelineView = {
  name: 'recruitment-pipeline',
  version: 3,
  types: ['RecruitmentPlanApproved', 'NoticePublished', 'ApplicationReceived', 'ApplicationWithdrawn', 'EligibilityDecided',
    'CouncilFormed', 'RoundHeld', 'ResultApproved', 'CandidateAppointed', 'RecruitmentClosed'],
  route: (e) => {
    const { id } = recordOf(e.streamId);
    const drive: Routed = { kind: 'drive', entity: id, scope: e.type === 'RecruitmentPlanApproved' ? String(yearOf(dayOf(e.occurredAt))) : undefined };
    const application = (applicationId: string): Routed => ({ kind: 'application', entity: `${id}/${applicationId}`, scope: id });
    if (e.type === 'ResultApproved') return [drive, ...(dataOf(e).passedApplicationIds as string[]).map(application)];
    if (typeof dataOf(e).applicationId === 'string') return [application(dataOf(e).applicationId)];
    return [drive];
  },
  evolve: (kind, state, e) => {
    const d = dataOf(e);
    if (kind === 'drive') {
      if (e.type === 'RecruitmentPlanApproved') {
        return { title: d.title, recruitmentKind: d.recruitmentKind, method: d.method, ownerUnitId: d.ownerUnitId,
          ...(d.documentId && { documentId: d.documentId }), approvedOn: dayOf(e.occurredAt), positions: d.positions, status: 'open' } satisfies Drive;
      }
      const drive = state as Drive | null;
      if (!drive) return null;
      if (e.type === 'NoticePublished') {
        return { ...drive, window: { from: d.applicationsOpenOn, to: d.applicationsCloseOn }, ...(d.documentId && { noticeDocumentId: d.documentId }) };
      }
      if (e.type === 'CouncilFormed') return { ...drive, councilFormedOn: dayOf(e.occurredAt), ...(d.documentId && { councilDocumentId: d.documentId }) };
      if (e.type === 'ResultApproved') return { ...drive, resultApprovedOn: dayOf(e.occurredAt), ...(d.documentId && { resultDocumentId: d.documentId }) };
      if (e.type === 'RecruitmentClosed') return { ...drive, status: 'closed', closedOn: dayOf(e.occurredAt) };
      return drive;
    }
    if (e.type === 'ApplicationReceived') {
      return { positionId: d.positionId, receivedOn: dayOf(e.occurredAt), withdrawn: false, eligible: null, passed: false, appointed: false } satisfies Application;
    }
    const app = state as Application | null;
    if (!app) return null;
    switch (e.type) {
      case 'ApplicationWithdrawn': return { ...app, withdrawn: true };
      case 'EligibilityDecided': return { ...app, eligible: d.eligible === true };
      case 'ResultApproved': return { ...app, passed: true };
      case 'CandidateAppointed': return { ...app, appointed: true };
      default: return app;
    }
  },
} as const satisfies View<'recruitment-pipeline'>;
