import {
  AnyDecider, dayOf, document, DomainEvent, inspection, IsoDate, legalDocument, plan, Position, RecordKind, task, unit, yearOf,
} from '@reform-ledger/domain';
import type { FeedEvent } from '@reform-ledger/ledger';

/**
 * The read side's views. Each is a set of entity reducers: `route` says which entities an event
 * changes (and the scope each is listed under: the plan of a task, the drive of an application),
 * `evolve` is the entity's pure reducer. The temporal store keeps every entity's state through
 * valid and transaction time, so any cut is answered without replaying the ledger.
 *
 * All views are async (Marten's vocabulary): a projector applies them from the ledger's feed with a
 * checkpoint. An entity's events all come from one stream (out-of-order events are refolded from it).
 */
export type Routed = { kind: string; entity: string; scope?: string };

export type View = {
  name: string;
  /** Bumped when a reducer changes: the stored view must then be rebuilt. */
  version: number;
  types: readonly string[];
  route(event: FeedEvent): Routed[];
  evolve(kind: string, state: unknown, event: FeedEvent): unknown;
};

export const recordOf = (streamId: string): { kind: RecordKind; id: string } => {
  const at = streamId.indexOf(':');
  return { kind: streamId.slice(0, at) as RecordKind, id: streamId.slice(at + 1) };
};

const domainEvent = (e: FeedEvent): DomainEvent => ({ type: e.type, occurredAt: e.occurredAt, data: e.data });
/** A domain context's own evolve, reused for a view entity: decisions and views fold the same way. */
const withDomain = (decider: AnyDecider) => (state: unknown, e: FeedEvent) =>
  decider.evolve((state ?? decider.initialState) as { status: string }, domainEvent(e));
const data = (e: FeedEvent) => e.data as Record<string, any>;

const TASK_TYPES = ['TaskDefined', 'TaskReassigned', 'TaskDueChanged', 'TaskProgressReported', 'TaskCompleted', 'TaskReopened', 'TaskCancelled'];

/** Plans (listed by year) and their tasks (listed by plan): plan progress and the task board. */
export const planProgressView: View = {
  name: 'plan-progress',
  version: 1,
  types: ['PlanIssued', 'PlanAmended', ...TASK_TYPES],
  route: (e) => {
    const { kind, id } = recordOf(e.streamId);
    if (kind === 'plan') return [{ kind: 'plan', entity: id, scope: e.type === 'PlanIssued' ? String(data(e).year) : undefined }];
    return [{ kind: 'task', entity: id, scope: e.type === 'TaskDefined' ? data(e).planId : undefined }];
  },
  evolve: (kind, state, e) => (kind === 'plan' ? withDomain(plan)(state, e) : withDomain(task)(state, e)),
};

export type UnitVisits = { unitId: string; visits: { date: IsoDate; findings?: string }[]; findings: string[] };

/** Inspections (listed by the year their period starts) and, per inspection, the visits to each unit. */
export const inspectionLogView: View = {
  name: 'inspection-log',
  version: 1,
  types: ['InspectionPlanned', 'InspectionTeamFormed', 'UnitInspected', 'FindingRecorded', 'InspectionConcluded'],
  route: (e) => {
    const { id } = recordOf(e.streamId);
    const routed: Routed[] = [{ kind: 'inspection', entity: id, scope: e.type === 'InspectionPlanned' ? String(yearOf(data(e).periodFrom)) : undefined }];
    if (e.type === 'UnitInspected' || e.type === 'FindingRecorded') routed.push({ kind: 'visits', entity: `${id}/${data(e).unitId}`, scope: id });
    return routed;
  },
  evolve: (kind, state, e) => {
    if (kind === 'inspection') return withDomain(inspection)(state, e);
    const visits = (state as UnitVisits | null) ?? { unitId: data(e).unitId, visits: [], findings: [] };
    if (e.type === 'UnitInspected') {
      return { ...visits, visits: [...visits.visits, { date: dayOf(e.occurredAt), ...(data(e).findings && { findings: data(e).findings }) }] };
    }
    return e.type === 'FindingRecorded' ? { ...visits, findings: [...visits.findings, data(e).finding] } : visits;
  },
};

export type Drive = {
  title: string; recruitmentKind: string; method: string; ownerUnitId: string; documentId?: string; approvedOn: IsoDate;
  positions: Position[]; window?: { from: IsoDate; to: IsoDate }; councilFormedOn?: IsoDate; status: 'open' | 'closed'; closedOn?: IsoDate;
};
export type Application = {
  positionId: string; receivedOn: IsoDate; withdrawn: boolean; eligible: boolean | null; passed: boolean; appointed: boolean;
};

/** Recruitment drives (listed by the year of approval) and their applications (listed by drive). */
export const recruitmentPipelineView: View = {
  name: 'recruitment-pipeline',
  version: 1,
  types: ['RecruitmentPlanApproved', 'NoticePublished', 'ApplicationReceived', 'ApplicationWithdrawn', 'EligibilityDecided',
    'CouncilFormed', 'RoundHeld', 'ResultApproved', 'CandidateAppointed', 'RecruitmentClosed'],
  route: (e) => {
    const { id } = recordOf(e.streamId);
    const application = (applicationId: string): Routed => ({ kind: 'application', entity: `${id}/${applicationId}`, scope: id });
    if (e.type === 'ResultApproved') return (data(e).passedApplicationIds as string[]).map(application);
    if (typeof data(e).applicationId === 'string') return [application(data(e).applicationId)];
    return [{ kind: 'drive', entity: id, scope: e.type === 'RecruitmentPlanApproved' ? String(yearOf(dayOf(e.occurredAt))) : undefined }];
  },
  evolve: (kind, state, e) => {
    const d = data(e);
    if (kind === 'drive') {
      if (e.type === 'RecruitmentPlanApproved') {
        return { title: d.title, recruitmentKind: d.recruitmentKind, method: d.method, ownerUnitId: d.ownerUnitId,
          ...(d.documentId && { documentId: d.documentId }), approvedOn: dayOf(e.occurredAt), positions: d.positions, status: 'open' } satisfies Drive;
      }
      const drive = state as Drive | null;
      if (!drive) return null;
      if (e.type === 'NoticePublished') return { ...drive, window: { from: d.applicationsOpenOn, to: d.applicationsCloseOn } };
      if (e.type === 'CouncilFormed') return { ...drive, councilFormedOn: dayOf(e.occurredAt) };
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
};

/** Legal normative documents: drafts, appraisals, issue, expiry. */
export const legalRegisterView: View = {
  name: 'legal-register',
  version: 1,
  types: ['DraftRegistered', 'DraftAppraised', 'LegalDocumentIssued', 'SelfCheckRecorded', 'ReviewRecorded', 'LegalDocumentExpired'],
  route: (e) => [{ kind: 'legal-document', entity: recordOf(e.streamId).id, scope: 'all' }],
  evolve: (_kind, state, e) => withDomain(legalDocument)(state, e),
};

/** Units (names over time, for the other views' labels) and documents (their references). */
export const registryView: View = {
  name: 'registry',
  version: 1,
  types: ['UnitRegistered', 'UnitRenamed', 'UnitAliasAdded', 'UnitMerged', 'UnitDissolved', 'DocumentRegistered', 'DocumentCorrected'],
  route: (e) => {
    const { kind, id } = recordOf(e.streamId);
    return [{ kind, entity: id, scope: 'all' }];
  },
  evolve: (kind, state, e) => (kind === 'unit' ? withDomain(unit)(state, e) : withDomain(document)(state, e)),
};

export const VIEWS: readonly View[] = [planProgressView, inspectionLogView, recruitmentPipelineView, legalRegisterView, registryView];
export type ViewName = 'plan-progress' | 'inspection-log' | 'recruitment-pipeline' | 'legal-register' | 'registry';
export const viewNamed = (name: string): View | undefined => VIEWS.find((v) => v.name === name);
