import { document, Document, DocumentEvent } from './documents/document';
import { inspection, InspectionEvent } from './inspections/inspection';
import { legalDocument, LegalDocumentEvent } from './legal-documents/legal-document';
import { plan, Plan, PlanEvent } from './plans/plan';
import { task, TaskEvent } from './plans/task';
import { recruitment, RecruitmentEvent } from './recruitment/recruitment';
import { occurredAt } from './shared/calendar';
import { codeOf, Command, DomainError, DomainEvent, RecordKind, Ref } from './shared/decider';
import { normaliseDeep } from './shared/text';
import { unit, Unit, UnitEvent } from './units/unit';

/** The other records a decision may read, folded to their current state by the caller beforehand. */
export type World = {
  unit(id: string): Unit;
  document(id: string): Document;
  plan(id: string): Plan;
};

/**
 * One context's decision model (a decider). All functions are pure: time, ids and the actor arrive
 * with the command and its envelope; nothing reads a clock or a database.
 */
export type Decider<E extends DomainEvent, S extends { status: string }> = {
  kind: RecordKind;
  initialState: S;
  /** The event types that start a record; any other event needs an existing record (else `<kind>.not_found`). */
  creates: readonly E['type'][];
  /** The other records `decide` and `writers` read, so the caller can load them first. */
  needs(command: Command<E>, state: S): Ref[];
  /** The units whose departments may record this command ('any': every department). Admins may record anything. */
  writers(command: Command<E>, state: S, world: World): readonly string[] | 'any';
  decide(command: Command<E>, state: S, world: World): E[];
  /** Total and never throws: events are facts. The same evolve serves decisions, audit replay and views. */
  evolve(state: S, event: E): S;
};

export type AnyDecider = Decider<any, { status: string }>;

/** Every event type with its current schema version; a new shape bumps it and ships an upcaster. */
export const SCHEMA_VERSIONS = {
  unit: { UnitRegistered: 1, UnitRenamed: 1, UnitAliasAdded: 1, UnitMerged: 1, UnitDissolved: 1 },
  document: { DocumentRegistered: 1, DocumentCorrected: 1 },
  plan: { PlanIssued: 1, PlanAmended: 1 },
  task: { TaskDefined: 1, TaskReassigned: 1, TaskDueChanged: 1, TaskProgressReported: 1, TaskCompleted: 1, TaskReopened: 1, TaskCancelled: 1 },
  inspection: { InspectionPlanned: 1, InspectionTeamFormed: 1, UnitInspected: 1, FindingRecorded: 1, InspectionConcluded: 1 },
  'legal-document': { DraftRegistered: 1, DraftAppraised: 1, LegalDocumentIssued: 1, SelfCheckRecorded: 1, ReviewRecorded: 1, LegalDocumentExpired: 1 },
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

export const fold = <S extends { status: string }>(decider: Decider<any, S>, events: Iterable<DomainEvent>): S => {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};

/**
 * The decision every command goes through: normalise its text (NFC), check its date, check that
 * the record exists (or, for a creating event, that it does not), then the context's own rules.
 */
export const decideCommand = <S extends { status: string }>(
  decider: Decider<any, S>, command: Command, state: S, world: World,
): DomainEvent[] => {
  const normalised = normaliseDeep(command);
  occurredAt(normalised.occurredAt);
  requireRecord(decider, normalised, state);
  return decider.decide(normalised, state, world);
};

/** A creating event needs no record yet (`<kind>.already_exists`); any other needs one (`<kind>.not_found`). */
export const requireRecord = (decider: AnyDecider, command: Command, state: { status: string }): void => {
  const code = codeOf(decider.kind);
  const creating = decider.creates.includes(command.type);
  if (state.status === 'absent' && !creating) {
    throw new DomainError(`${code}.not_found`, `No ${decider.kind} ${command.id} has been recorded`, 'id');
  }
  if (state.status !== 'absent' && creating) {
    throw new DomainError(`${code}.already_exists`, `${decider.kind} ${command.id} already exists`, 'id');
  }
};
