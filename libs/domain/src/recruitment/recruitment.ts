import { dayOf, IsoDate } from '@reform-ledger/calendar';
import { Map as PersistentMap } from 'immutable';
import { documentRefs, requireDocumentIfGiven } from '../documents/document';
import { calendarDate } from '../shared/calendar';
import { Decider, DomainEvent, recorded, Ref } from '../shared/decider';
import { assertNever, DomainError } from '../shared/domain-error';
import { requireActiveUnit } from '../units/unit';

export type Position = { positionId: string; title: string; quota: number; unitId?: string };

/**
 * A recruitment drive (đợt tuyển dụng): public employees (viên chức) or commune civil servants
 * (công chức cấp xã), by selection (xét tuyển) or examination (thi tuyển), with quotas per position.
 */
export type RecruitmentPlanApproved = DomainEvent<'RecruitmentPlanApproved', {
  title: string; recruitmentKind: 'vien_chuc' | 'cong_chuc_cap_xa'; method: 'xet_tuyen' | 'thi_tuyen';
  ownerUnitId: string; documentId?: string; positions: Position[];
}>;
/** The notice opens the application window, both days included. A later notice replaces the window. */
export type NoticePublished = DomainEvent<'NoticePublished', { applicationsOpenOn: IsoDate; applicationsCloseOn: IsoDate; documentId?: string }>;
/**
 * An application (phiếu đăng ký). Applicants are people: `applicantRef` is an opaque reference to a
 * record kept outside the ledger, never a name, so erasing a person never breaks the chain.
 */
export type ApplicationReceived = DomainEvent<'ApplicationReceived', { applicationId: string; positionId: string; applicantRef: string }>;
export type ApplicationWithdrawn = DomainEvent<'ApplicationWithdrawn', { applicationId: string; reason?: string }>;
export type EligibilityDecided = DomainEvent<'EligibilityDecided', { applicationId: string; eligible: boolean; reason?: string }>;
export type CouncilFormed = DomainEvent<'CouncilFormed', { documentId?: string }>;
export type RoundHeld = DomainEvent<'RoundHeld', { round: number; note?: string }>;
export type ResultApproved = DomainEvent<'ResultApproved', { passedApplicationIds: string[]; documentId?: string }>;
export type CandidateAppointed = DomainEvent<'CandidateAppointed', { applicationId: string; documentId?: string }>;
export type RecruitmentClosed = DomainEvent<'RecruitmentClosed', { reason?: string }>;
export type RecruitmentEvent =
  | RecruitmentPlanApproved | NoticePublished | ApplicationReceived | ApplicationWithdrawn | EligibilityDecided
  | CouncilFormed | RoundHeld | ResultApproved | CandidateAppointed | RecruitmentClosed;

export type ApplicationStatus = 'received' | 'withdrawn' | 'eligible' | 'ineligible' | 'passed' | 'appointed';
type Application = { positionId: string; status: ApplicationStatus };
type Drive = {
  ownerUnitId: string;
  approvedOn: IsoDate;
  positions: Record<string, { quota: number; appointed: number }>;
  window?: { from: IsoDate; to: IsoDate };
  /**
   * A persistent map: an event changes one application and shares the rest with the state before it, so
   * folding a drive of n applications costs O(n), not O(n²) (a copied object cost O(n) per event).
   */
  applications: PersistentMap<string, Application>;
  councilFormed: boolean;
  resultApproved: boolean;
};
export type Recruitment = { status: 'absent' } | ({ status: 'open' } & Drive) | ({ status: 'closed'; closedOn: IsoDate } & Drive);

const fail = (code: string, message: string, field?: string, params: Record<string, unknown> = {}): never => {
  throw new DomainError(`recruitment.${code}`, message, field, params);
};

const application = (drive: Drive, applicationId: string) =>
  drive.applications.get(applicationId) ?? fail('application_unknown', `No application ${applicationId} was received`, 'data.applicationId', { applicationId });

const documentIdOf = (data: object): string | undefined => (data as { documentId?: string }).documentId;

export const recruitment: Decider<RecruitmentEvent, Recruitment> = {
  kind: 'recruitment',
  initialState: { status: 'absent' },
  creates: ['RecruitmentPlanApproved'],
  needs: (command) => {
    const refs: Ref[] = documentRefs(documentIdOf(command.data));
    if (command.type === 'RecruitmentPlanApproved') {
      refs.push({ kind: 'unit', id: command.data.ownerUnitId });
      for (const p of command.data.positions) if (p.unitId) refs.push({ kind: 'unit', id: p.unitId });
    }
    return refs;
  },
  writers: (command, state) =>
    command.type === 'RecruitmentPlanApproved' ? [command.data.ownerUnitId] : state.status === 'absent' ? [] : [state.ownerUnitId],
  decide: (command, state, world) => {
    requireDocumentIfGiven(world, documentIdOf(command.data), 'data.documentId');
    if (command.type === 'RecruitmentPlanApproved') {
      requireActiveUnit(world, command.data.ownerUnitId, 'data.ownerUnitId');
      const seen = new Set<string>();
      command.data.positions.forEach((p, i) => {
        if (seen.has(p.positionId)) fail('position_duplicate', `Position ${p.positionId} is listed twice`, `data.positions[${i}].positionId`, { positionId: p.positionId });
        seen.add(p.positionId);
        if (p.unitId) requireActiveUnit(world, p.unitId, `data.positions[${i}].unitId`);
      });
      return recorded(command);
    }
    if (state.status === 'absent') return fail('not_found', `Recruitment ${command.id} has not been approved`, 'id', { kind: 'recruitment', id: command.id });
    if (state.status === 'closed') return fail('closed', `Recruitment ${command.id} was closed on ${state.closedOn}`, undefined, { id: command.id, closedOn: state.closedOn });
    const day = dayOf(command.occurredAt);
    if (day < state.approvedOn) fail('before_approval', `${command.type} on ${day} is before the plan was approved on ${state.approvedOn}`, 'occurredAt', { type: command.type, day, approvedOn: state.approvedOn });
    switch (command.type) {
      case 'NoticePublished': {
        const { applicationsOpenOn: from, applicationsCloseOn: to } = command.data;
        if (calendarDate(from, 'data.applicationsOpenOn') > calendarDate(to, 'data.applicationsCloseOn')) {
          fail('window_invalid', `The window closes (${to}) before it opens (${from})`, 'data.applicationsCloseOn', { from, to });
        }
        return recorded(command);
      }
      case 'ApplicationReceived': {
        const { applicationId, positionId } = command.data;
        if (!state.window) fail('no_notice', 'Applications are received only after the notice is published', 'occurredAt', { id: command.id });
        if (!state.positions[positionId]) fail('position_unknown', `Position ${positionId} is not in the approved plan`, 'data.positionId', { positionId, positions: Object.keys(state.positions) });
        if (day < state.window!.from || day > state.window!.to) {
          fail('outside_window', `Received on ${day}, outside the window ${state.window!.from} – ${state.window!.to}`, 'occurredAt', { day, ...state.window });
        }
        if (state.applications.has(applicationId)) fail('application_exists', `Application ${applicationId} was already received`, 'data.applicationId', { applicationId });
        return recorded(command);
      }
      case 'ApplicationWithdrawn': {
        const { status } = application(state, command.data.applicationId);
        if (status !== 'received' && status !== 'eligible') {
          fail('application_not_active', `Application ${command.data.applicationId} is ${status}`, 'data.applicationId', { applicationId: command.data.applicationId, status });
        }
        return recorded(command);
      }
      case 'EligibilityDecided': {
        const { status } = application(state, command.data.applicationId);
        if (status === 'withdrawn') fail('application_not_received', `Application ${command.data.applicationId} was withdrawn`, 'data.applicationId', { applicationId: command.data.applicationId });
        if (status !== 'received') {
          fail('eligibility_already_decided', `Eligibility of ${command.data.applicationId} is already decided (${status})`, 'data.applicationId', { applicationId: command.data.applicationId, status });
        }
        if (!command.data.eligible && !command.data.reason) fail('reason_required', 'An ineligibility decision states its reason', 'data.reason', { applicationId: command.data.applicationId });
        return recorded(command);
      }
      case 'CouncilFormed':
      case 'RoundHeld':
        return recorded(command);
      case 'ResultApproved':
        if (!state.councilFormed) fail('no_council', 'Results are approved after the recruitment council is formed', undefined, { id: command.id });
        if (state.resultApproved) fail('result_already_approved', 'The result of this recruitment is already approved', undefined, { id: command.id });
        command.data.passedApplicationIds.forEach((applicationId, i) => {
          if (application(state, applicationId).status !== 'eligible') {
            fail('not_eligible', `Application ${applicationId} is not an eligible, active application`, `data.passedApplicationIds[${i}]`,
              { applicationId, status: application(state, applicationId).status });
          }
        });
        return recorded(command);
      case 'CandidateAppointed': {
        const app = application(state, command.data.applicationId);
        if (app.status !== 'passed') fail('not_passed', `Application ${command.data.applicationId} is ${app.status}, not passed`, 'data.applicationId', { applicationId: command.data.applicationId, status: app.status });
        const position = state.positions[app.positionId];
        if (position.appointed >= position.quota) {
          fail('quota_exceeded', `Position ${app.positionId} has its ${position.quota} appointment(s) already`, 'data.applicationId', { positionId: app.positionId, quota: position.quota });
        }
        return recorded(command);
      }
      case 'RecruitmentClosed':
        return recorded(command);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    if (event.type === 'RecruitmentPlanApproved') {
      return {
        status: 'open', ownerUnitId: event.data.ownerUnitId, approvedOn: dayOf(event.occurredAt),
        positions: Object.fromEntries(event.data.positions.map((p) => [p.positionId, { quota: p.quota, appointed: 0 }])),
        applications: PersistentMap(), councilFormed: false, resultApproved: false,
      };
    }
    if (state.status !== 'open') return state;
    const setStatus = (applicationId: string, status: ApplicationStatus) => {
      const app = state.applications.get(applicationId);
      return app ? state.applications.set(applicationId, { ...app, status }) : state.applications;
    };
    switch (event.type) {
      case 'NoticePublished':
        return { ...state, window: { from: event.data.applicationsOpenOn, to: event.data.applicationsCloseOn } };
      case 'ApplicationReceived':
        return { ...state, applications: state.applications.set(event.data.applicationId, { positionId: event.data.positionId, status: 'received' }) };
      case 'ApplicationWithdrawn':
        return { ...state, applications: setStatus(event.data.applicationId, 'withdrawn') };
      case 'EligibilityDecided':
        return { ...state, applications: setStatus(event.data.applicationId, event.data.eligible ? 'eligible' : 'ineligible') };
      case 'CouncilFormed':
        return { ...state, councilFormed: true };
      case 'RoundHeld':
        return state;
      case 'ResultApproved': {
        const applications = state.applications.withMutations((all) => {
          for (const id of event.data.passedApplicationIds) {
            const app = all.get(id);
            if (app) all.set(id, { ...app, status: 'passed' });
          }
        });
        return { ...state, applications, resultApproved: true };
      }
      case 'CandidateAppointed': {
        const app = state.applications.get(event.data.applicationId);
        if (!app) return state;
        const position = state.positions[app.positionId];
        return {
          ...state,
          applications: setStatus(event.data.applicationId, 'appointed'),
          positions: position ? { ...state.positions, [app.positionId]: { ...position, appointed: position.appointed + 1 } } : state.positions,
        };
      }
      case 'RecruitmentClosed':
        return { ...state, status: 'closed', closedOn: dayOf(event.occurredAt) };
      default:
        return assertNever(event);
    }
  },
};
