import { epochMs, isCalendarDate, localDayOf, OccurredAt } from '@reform-ledger/calendar';
import type { Document } from '../documents/document';
import type { Plan } from '../plans/plan';
import type { Unit } from '../units/unit';
import { occurredAt } from './calendar';
import { DomainError } from './domain-error';
import { normaliseDeep } from './text';

/** The kinds of record, each one stream per record: `task:T-07`. */
export const RECORD_KINDS = ['unit', 'document', 'plan', 'task', 'inspection', 'legal-document', 'recruitment'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const streamIdOf = (kind: RecordKind, id: string): string => `${kind}:${id}`;

/** The prefix of a kind's error codes: `legal-document` → `legal_document`. */
export const codeOf = (kind: RecordKind): string => kind.replace('-', '_');

/** A fact as it is stored: plain data named in the past tense. */
export type DomainEvent<T extends string = string, D = unknown> = { type: T; occurredAt: OccurredAt; data: D };

/**
 * What a department asks the ledger to record about record `id`: the fact it reports, and
 * `receivedAt`, the moment the request reached the ledger (an ISO instant stamped by the shell: the
 * decision reads no clock). The decision accepts it (returning the events to store, normalised) or
 * refuses it with a DomainError.
 */
export type Command<E extends DomainEvent = DomainEvent> = E & { id: string; receivedAt: string };

/** Another record a decision reads (a plan for a task, a unit for a visit). */
export type Ref = { kind: RecordKind; id: string };

/** The command accepted as it stands: the fact it reports, without the record id and the moment of receipt. */
export const recorded = <E extends DomainEvent>(command: Command<E>): E[] => {
  const { id: _id, receivedAt: _receivedAt, ...event } = command;
  return [event as unknown as E];
};

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

/** The state after `events`, from the initial state or from `state`, a state already folded from the events before them. */
export const fold = <S extends { status: string }>(decider: Decider<any, S>, events: Iterable<DomainEvent>, state: S = decider.initialState): S => {
  for (const event of events) state = decider.evolve(state, event);
  return state;
};

/** How far ahead of the moment of receipt an instant may be: clocks of the sender and the ledger differ a little. */
export const FUTURE_TOLERANCE_MINUTES = 5;

/**
 * What happened cannot be in the future: a date may be at most the day the command is received (a
 * fact dated today is fine), compared as a day of the ledger's calendar; an instant at most
 * FUTURE_TOLERANCE_MINUTES after it. Planned dates (a due date, an application window) are data and may lie ahead.
 */
export const requirePast = (command: Command): void => {
  const received = epochMs(command.receivedAt);
  if (Number.isNaN(received) || isCalendarDate(command.receivedAt)) {
    throw new Error(`A command needs receivedAt, the instant the ledger received it; got ${JSON.stringify(command.receivedAt)}`);
  }
  const today = localDayOf(command.receivedAt);
  const ahead = isCalendarDate(command.occurredAt)
    ? command.occurredAt > today
    : epochMs(command.occurredAt) > received + FUTURE_TOLERANCE_MINUTES * 60_000;
  if (ahead) {
    throw new DomainError('occurred_at.in_future', `occurredAt ${command.occurredAt} is after the moment it is recorded (${command.receivedAt})`,
      'occurredAt', { occurredAt: command.occurredAt, receivedAt: command.receivedAt, today, toleranceMinutes: FUTURE_TOLERANCE_MINUTES });
  }
};

/**
 * The decision every command goes through: normalise its text (NFC), check its date and that it is
 * not in the future, check that the record exists (or, for a creating event, that it does not),
 * then the context's own rules.
 */
export const decideCommand = <S extends { status: string }>(
  decider: Decider<any, S>, command: Command, state: S, world: World,
): DomainEvent[] => {
  const normalised = normaliseDeep(command);
  occurredAt(normalised.occurredAt);
  requirePast(normalised);
  requireRecord(decider, normalised, state);
  return decider.decide(normalised, state, world);
};

/** A creating event needs no record yet (`<kind>.already_exists`); any other needs one (`<kind>.not_found`). */
export const requireRecord = (decider: AnyDecider, command: Command, state: { status: string }): void => {
  const code = codeOf(decider.kind);
  const creating = decider.creates.includes(command.type);
  if (state.status === 'absent' && !creating) {
    throw new DomainError(`${code}.not_found`, `No ${decider.kind} ${command.id} has been recorded`, 'id', { kind: decider.kind, id: command.id });
  }
  if (state.status !== 'absent' && creating) {
    throw new DomainError(`${code}.already_exists`, `${decider.kind} ${command.id} already exists`, 'id', { kind: decider.kind, id: command.id });
  }
};
