import { document, DocumentEvent } from './documents/document';
import { inspection, InspectionEvent } from './inspections/inspection';
import { legalDocument, LegalDocumentEvent } from './legal-documents/legal-document';
import { plan, PlanEvent } from './plans/plan';
import { task, TaskEvent } from './plans/task';
import { recruitment, RecruitmentEvent } from './recruitment/recruitment';
import type { AnyDecider, RecordKind } from './shared/decider';
import { unit, UnitEvent } from './units/unit';

/** Every event type with its current schema version; a new shape bumps it and ships an upcaster. */
export const SCHEMA_VERSIONS = {
  unit: { UnitRegistered: 1, UnitRenamed: 1, UnitAliasAdded: 1, UnitMerged: 1, UnitDissolved: 1 },
  document: { DocumentRegistered: 1, DocumentCorrected: 1 },
  plan: { PlanIssued: 1, PlanAmended: 1 },
  task: { TaskDefined: 1, TaskReassigned: 1, TaskDueChanged: 1, TaskProgressReported: 1, TaskCompleted: 1, TaskReopened: 1, TaskCancelled: 1 },
  inspection: { InspectionPlanned: 1, InspectionTeamFormed: 2, UnitInspected: 1, FindingRecorded: 1, InspectionConcluded: 1 },
  'legal-document': { DraftRegistered: 2, DraftAppraised: 1, LegalDocumentIssued: 1, SelfCheckRecorded: 1, ReviewRecorded: 1, LegalDocumentExpired: 1 },
  recruitment: {
    RecruitmentPlanApproved: 1, NoticePublished: 1, ApplicationReceived: 1, ApplicationWithdrawn: 1, EligibilityDecided: 1,
    CouncilFormed: 1, RoundHeld: 1, ResultApproved: 1, CandidateAppointed: 1, RecruitmentClosed: 1,
  },
} satisfies {
  unit: Record<UnitEvent['type'], number>;
  document: Record<DocumentEvent['type'], number>;
  plan: Record<PlanEvent['type'], number>;
  task: Record<TaskEvent['type'], number>;
  inspection: Record<InspectionEvent['type'], number>;
  'legal-document': Record<LegalDocumentEvent['type'], number>;
  recruitment: Record<RecruitmentEvent['type'], number>;
};

/**
 * How an older version of an event's data reads today: (type, fromVersion) → the data of the next
 * version. The ledger applies them on read (the stored event stays as it was); the app registers them.
 */
export const UPCASTERS = [
  // A draft registered before it named its appraiser: an admin records its appraisal.
  { type: 'DraftRegistered', fromVersion: 1, upcast: (data: object) => ({ ...data, appraisalUnitId: null }) },
  // A team formed before it listed its units: only the lead records visits.
  { type: 'InspectionTeamFormed', fromVersion: 1, upcast: (data: object) => ({ memberUnitIds: [], ...data }) },
] as const satisfies readonly { type: string; fromVersion: number; upcast: (data: object) => object }[];

export type EventType = { [K in RecordKind]: keyof (typeof SCHEMA_VERSIONS)[K] }[RecordKind];
export type ReformEvent = UnitEvent | DocumentEvent | PlanEvent | TaskEvent | InspectionEvent | LegalDocumentEvent | RecruitmentEvent;

export const DECIDERS: Record<RecordKind, AnyDecider> = {
  unit, document, plan, task, inspection, 'legal-document': legalDocument, recruitment,
};

/** The event types a kind of record accepts, in catalogue order. */
export const eventTypesOf = (kind: RecordKind): string[] => Object.keys(SCHEMA_VERSIONS[kind]);

/** The kind whose streams carry `type`. */
export const kindOfEventType = (type: string): RecordKind | undefined =>
  (Object.keys(SCHEMA_VERSIONS) as RecordKind[]).find((kind) => Object.hasOwn(SCHEMA_VERSIONS[kind], type));

/**
 * Where an event names the unit responsible for its record: the lead of a task (also after a
 * reassignment), the owner of a plan or a drive, the lead of an inspection, the drafter of a legal
 * document, the issuer of a document. A unit's own record is its own. For the audit trail by owner.
 */
export const RESPONSIBLE_UNIT_FIELDS = [
  { type: 'TaskDefined', field: 'leadUnitId' }, { type: 'TaskReassigned', field: 'leadUnitId' }, { type: 'PlanIssued', field: 'ownerUnitId' },
  { type: 'InspectionPlanned', field: 'leadUnitId' }, { type: 'RecruitmentPlanApproved', field: 'ownerUnitId' },
  { type: 'DraftRegistered', field: 'draftingUnitId' }, { type: 'DocumentRegistered', field: 'issuerUnitId' },
] as const satisfies readonly { [T in ReformEvent['type']]: { type: T; field: keyof Extract<ReformEvent, { type: T }>['data'] & string } }[ReformEvent['type']][];
