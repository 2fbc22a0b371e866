import { Type as Class } from '@nestjs/common';
import {
  DOCUMENT_TYPES, DocumentEvent, EventType, examples, InspectionEvent, LegalDocumentEvent, PlanEvent, Position, Ratio,
  RecruitmentEvent, REFORM_FIELDS, ReformEvent, TaskEvent, UNIT_KINDS, UnitEvent,
} from '@reform-ledger/domain';
import { Bool, CalendarDate, Id, Ids, Int, Nested, NestedList, OneOf, Text, TextList } from './fields';

/**
 * The request schema of each event type's `data`, checked with class-validator. Each class
 * `implements` the domain event's data type, so the compiler keeps the two in step; fields the
 * domain computes itself (a document's `writtenAs`) are not accepted from callers.
 */
type DataOf<T extends EventType> = Extract<ReformEvent, { type: T }>['data'];
type Of<U extends ReformEvent, T extends U['type']> = Extract<U, { type: T }>['data'];

const NAME = 300;
const NOTE = 4000;

class UnitRegisteredData implements Of<UnitEvent, 'UnitRegistered'> {
  @Text(NAME) name!: string;
  @OneOf(UNIT_KINDS) kind!: Of<UnitEvent, 'UnitRegistered'>['kind'];
  @Id({ optional: true }) parentUnitId?: string;
  @TextList(NAME, { optional: true, max: 50 }) aliases?: string[];
  @Bool({ optional: true, description: 'The unit keeps the register of incoming documents (the Văn phòng): its department registers documents of other bodies' })
  keepsRegister?: boolean;
}
class UnitRenamedData implements Of<UnitEvent, 'UnitRenamed'> {
  @Text(NAME) name!: string;
  @Text(NOTE, { optional: true }) reason?: string;
}
class UnitAliasAddedData implements Of<UnitEvent, 'UnitAliasAdded'> {
  @Text(NAME) alias!: string;
}
class UnitMergedData implements Of<UnitEvent, 'UnitMerged'> {
  @Id() intoUnitId!: string;
  @Text(NOTE, { optional: true }) reason?: string;
}
class UnitDissolvedData implements Of<UnitEvent, 'UnitDissolved'> {
  @Text(NOTE, { optional: true }) reason?: string;
}

class PeriodData {
  @CalendarDate() from!: string;
  @CalendarDate() to!: string;
}
class DocumentRegisteredData implements Of<DocumentEvent, 'DocumentRegistered'> {
  @Text(100, { description: 'Number and symbol as written: 39/QĐ-UBND, 01/2022/QĐ-UBND, 09-NQ/TU' }) reference!: string;
  @Id() issuerUnitId!: string;
  @OneOf(DOCUMENT_TYPES) documentType!: Of<DocumentEvent, 'DocumentRegistered'>['documentType'];
  @Text(NOTE, { optional: true }) title?: string;
  @Nested(() => PeriodData, { optional: true, description: 'For a report: the period it reports on' }) reportsOn?: { from: string; to: string };
}
class DocumentCorrectedData implements Of<DocumentEvent, 'DocumentCorrected'> {
  @Text(NOTE, { optional: true }) title?: string;
  @OneOf(DOCUMENT_TYPES, { optional: true }) documentType?: Of<DocumentEvent, 'DocumentCorrected'>['documentType'];
  @Text(NOTE) reason!: string;
}

class PlanIssuedData implements Of<PlanEvent, 'PlanIssued'> {
  @Text(NOTE) title!: string;
  @Int(1990, 2100) year!: number;
  @Id() ownerUnitId!: string;
  @Id({ optional: true }) documentId?: string;
}
class PlanAmendedData implements Of<PlanEvent, 'PlanAmended'> {
  @Text(NOTE) reason!: string;
  @Text(NOTE, { optional: true }) title?: string;
  @Id({ optional: true }) documentId?: string;
}

class RatioData implements Ratio {
  @Int(0, 1_000_000_000) numerator!: number;
  @Int(1, 1_000_000_000) denominator!: number;
}
class TaskDefinedData implements Of<TaskEvent, 'TaskDefined'> {
  @Id() planId!: string;
  @Text(NOTE) title!: string;
  @OneOf(Object.keys(REFORM_FIELDS)) field!: Of<TaskEvent, 'TaskDefined'>['field'];
  @Id() leadUnitId!: string;
  @Ids({ optional: true, max: 100 }) supportingUnitIds?: string[];
  @Text(NOTE, { optional: true }) deliverable?: string;
  @CalendarDate() dueOn!: string;
}
class TaskReassignedData implements Of<TaskEvent, 'TaskReassigned'> {
  @Id() leadUnitId!: string;
  @Text(NOTE, { optional: true }) reason?: string;
}
class TaskDueChangedData implements Of<TaskEvent, 'TaskDueChanged'> {
  @CalendarDate() dueOn!: string;
  @Text(NOTE, { optional: true }) reason?: string;
}
class TaskProgressReportedData implements Of<TaskEvent, 'TaskProgressReported'> {
  @Nested(() => RatioData, { description: 'Done so far as counts (3 of 5), never a typed percentage' }) progress!: Ratio;
  @Text(NOTE, { optional: true }) note?: string;
}
class TaskCompletedData implements Of<TaskEvent, 'TaskCompleted'> {
  @Id({ optional: true }) evidenceDocumentId?: string;
  @Text(NOTE, { optional: true }) note?: string;
}
class ReasonData implements Of<TaskEvent, 'TaskReopened'> {
  @Text(NOTE) reason!: string;
}

class InspectionPlannedData implements Of<InspectionEvent, 'InspectionPlanned'> {
  @Text(NOTE) title!: string;
  @Id() leadUnitId!: string;
  @Ids({ max: 500 }) targetUnitIds!: string[];
  @CalendarDate() periodFrom!: string;
  @CalendarDate() periodTo!: string;
  @Id({ optional: true }) documentId?: string;
}
class InspectionTeamFormedData implements Of<InspectionEvent, 'InspectionTeamFormed'> {
  @Id({ optional: true }) documentId?: string;
  @Int(1, 100, { optional: true }) memberCount?: number;
  @Ids({ max: 50, description: 'The units on the team: with the lead, they record visits and findings', example: ['phong-tu-phap'] }) memberUnitIds!: string[];
}
class UnitInspectedData implements Of<InspectionEvent, 'UnitInspected'> {
  @Id() unitId!: string;
  @Text(NOTE, { optional: true }) findings?: string;
}
class FindingRecordedData implements Of<InspectionEvent, 'FindingRecorded'> {
  @Id() unitId!: string;
  @Text(NOTE) finding!: string;
  @Bool() requiresAction!: boolean;
}
class InspectionConcludedData implements Of<InspectionEvent, 'InspectionConcluded'> {
  @Id({ optional: true }) reportDocumentId?: string;
  @Text(NOTE, { optional: true }) summary?: string;
}

class DraftRegisteredData implements Of<LegalDocumentEvent, 'DraftRegistered'> {
  @Text(NOTE) title!: string;
  @Id() draftingUnitId!: string;
  @Id({ description: 'The unit that appraises the draft (Phòng Tư pháp): only its department records the appraisal', example: 'phong-tu-phap' })
  appraisalUnitId!: string;
}
class DraftAppraisedData implements Of<LegalDocumentEvent, 'DraftAppraised'> {
  @Id() appraisingUnitId!: string;
  @Id({ optional: true }) reportDocumentId?: string;
  @OneOf(['eligible', 'needs_revision', 'not_eligible']) outcome!: Of<LegalDocumentEvent, 'DraftAppraised'>['outcome'];
}
class LegalDocumentIssuedData implements Of<LegalDocumentEvent, 'LegalDocumentIssued'> {
  @Id() documentId!: string;
  @CalendarDate({ optional: true }) effectiveOn?: string;
}
class SelfCheckRecordedData implements Of<LegalDocumentEvent, 'SelfCheckRecorded'> {
  @OneOf(['lawful', 'unlawful']) outcome!: 'lawful' | 'unlawful';
  @Text(NOTE, { optional: true }) note?: string;
}
class ReviewRecordedData implements Of<LegalDocumentEvent, 'ReviewRecorded'> {
  @OneOf(['keep', 'amend', 'replace', 'repeal']) outcome!: Of<LegalDocumentEvent, 'ReviewRecorded'>['outcome'];
  @Text(NOTE, { optional: true }) note?: string;
}
class LegalDocumentExpiredData implements Of<LegalDocumentEvent, 'LegalDocumentExpired'> {
  @OneOf(['whole', 'partial']) scope!: 'whole' | 'partial';
  @Text(NOTE, { optional: true }) note?: string;
}

class PositionData implements Position {
  @Id() positionId!: string;
  @Text(NAME) title!: string;
  @Int(1, 10_000) quota!: number;
  @Id({ optional: true }) unitId?: string;
}
class RecruitmentPlanApprovedData implements Of<RecruitmentEvent, 'RecruitmentPlanApproved'> {
  @Text(NOTE) title!: string;
  @OneOf(['vien_chuc', 'cong_chuc_cap_xa']) recruitmentKind!: 'vien_chuc' | 'cong_chuc_cap_xa';
  @OneOf(['xet_tuyen', 'thi_tuyen']) method!: 'xet_tuyen' | 'thi_tuyen';
  @Id() ownerUnitId!: string;
  @Id({ optional: true }) documentId?: string;
  @NestedList(() => PositionData, { min: 1, max: 200 }) positions!: Position[];
}
class NoticePublishedData implements Of<RecruitmentEvent, 'NoticePublished'> {
  @CalendarDate() applicationsOpenOn!: string;
  @CalendarDate() applicationsCloseOn!: string;
  @Id({ optional: true }) documentId?: string;
}
class ApplicationReceivedData implements Of<RecruitmentEvent, 'ApplicationReceived'> {
  @Id() applicationId!: string;
  @Id() positionId!: string;
  @Id({ description: 'An opaque reference to the applicant kept outside the ledger; never a name' }) applicantRef!: string;
}
class ApplicationWithdrawnData implements Of<RecruitmentEvent, 'ApplicationWithdrawn'> {
  @Id() applicationId!: string;
  @Text(NOTE, { optional: true }) reason?: string;
}
class EligibilityDecidedData implements Of<RecruitmentEvent, 'EligibilityDecided'> {
  @Id() applicationId!: string;
  @Bool() eligible!: boolean;
  @Text(NOTE, { optional: true }) reason?: string;
}
class DocumentOnlyData implements Of<RecruitmentEvent, 'CouncilFormed'> {
  @Id({ optional: true }) documentId?: string;
}
class RoundHeldData implements Of<RecruitmentEvent, 'RoundHeld'> {
  @Int(1, 10) round!: number;
  @Text(NOTE, { optional: true }) note?: string;
}
class ResultApprovedData implements Of<RecruitmentEvent, 'ResultApproved'> {
  @Ids({ max: 10_000 }) passedApplicationIds!: string[];
  @Id({ optional: true }) documentId?: string;
}
class CandidateAppointedData implements Of<RecruitmentEvent, 'CandidateAppointed'> {
  @Id() applicationId!: string;
  @Id({ optional: true }) documentId?: string;
}
class OptionalReasonData implements Of<RecruitmentEvent, 'RecruitmentClosed'> {
  @Text(NOTE, { optional: true }) reason?: string;
}

export type EventSchema<T extends EventType> = { data: Class<DataOf<T>>; example: { type: T; occurredAt: string; data: DataOf<T> } };

/** Every event type's data schema and an example from the seed district; the compiler checks that none is missing. */
export const EVENT_SCHEMAS: { [T in EventType]: EventSchema<T> } = {
  UnitRegistered: { data: UnitRegisteredData, example: examples.unitRegistered() },
  UnitRenamed: { data: UnitRenamedData, example: examples.unitRenamed() },
  UnitAliasAdded: { data: UnitAliasAddedData, example: examples.unitAliasAdded() },
  UnitMerged: { data: UnitMergedData, example: examples.unitMerged() },
  UnitDissolved: { data: UnitDissolvedData, example: examples.unitDissolved() },
  DocumentRegistered: { data: DocumentRegisteredData, example: examples.documentRegistered() },
  DocumentCorrected: { data: DocumentCorrectedData, example: examples.documentCorrected() },
  PlanIssued: { data: PlanIssuedData, example: examples.planIssued() },
  PlanAmended: { data: PlanAmendedData, example: examples.planAmended() },
  TaskDefined: { data: TaskDefinedData, example: examples.taskDefined() },
  TaskReassigned: { data: TaskReassignedData, example: examples.taskReassigned() },
  TaskDueChanged: { data: TaskDueChangedData, example: examples.taskDueChanged() },
  TaskProgressReported: { data: TaskProgressReportedData, example: examples.taskProgressReported() },
  TaskCompleted: { data: TaskCompletedData, example: examples.taskCompleted({ evidenceDocumentId: examples.DOCUMENTS.inspectionReport }) },
  TaskReopened: { data: ReasonData, example: examples.taskReopened() },
  TaskCancelled: { data: ReasonData, example: examples.taskCancelled() },
  InspectionPlanned: { data: InspectionPlannedData, example: examples.inspectionPlanned() },
  InspectionTeamFormed: { data: InspectionTeamFormedData, example: examples.inspectionTeamFormed() },
  UnitInspected: { data: UnitInspectedData, example: examples.unitInspected() },
  FindingRecorded: { data: FindingRecordedData, example: examples.findingRecorded() },
  InspectionConcluded: { data: InspectionConcludedData, example: examples.inspectionConcluded() },
  DraftRegistered: { data: DraftRegisteredData, example: examples.draftRegistered() },
  DraftAppraised: { data: DraftAppraisedData, example: examples.draftAppraised() },
  LegalDocumentIssued: { data: LegalDocumentIssuedData, example: examples.legalDocumentIssued() },
  SelfCheckRecorded: { data: SelfCheckRecordedData, example: examples.selfCheckRecorded() },
  ReviewRecorded: { data: ReviewRecordedData, example: examples.reviewRecorded() },
  LegalDocumentExpired: { data: LegalDocumentExpiredData, example: examples.legalDocumentExpired() },
  RecruitmentPlanApproved: { data: RecruitmentPlanApprovedData, example: examples.recruitmentPlanApproved() },
  NoticePublished: { data: NoticePublishedData, example: examples.noticePublished() },
  ApplicationReceived: { data: ApplicationReceivedData, example: examples.applicationReceived() },
  ApplicationWithdrawn: { data: ApplicationWithdrawnData, example: examples.applicationWithdrawn() },
  EligibilityDecided: { data: EligibilityDecidedData, example: examples.eligibilityDecided() },
  CouncilFormed: { data: DocumentOnlyData, example: examples.councilFormed() },
  RoundHeld: { data: RoundHeldData, example: examples.roundHeld() },
  ResultApproved: { data: ResultApprovedData, example: examples.resultApproved() },
  CandidateAppointed: { data: CandidateAppointedData, example: examples.candidateAppointed() },
  RecruitmentClosed: { data: OptionalReasonData, example: examples.recruitmentClosed() },
};
