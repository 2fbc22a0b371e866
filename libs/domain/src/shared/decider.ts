import { epochMs, isCalendarDate, localDayOf, OccurredAt } from '@reform-ledger/calendar';
import type { Document } from '../documents/document';
import type { Plan } from '../plans/plan';
import type { Unit } from '../units/unit';
import { occurredAt } from './calendar';
import { DomainError, Forbidden } from './domain-error';

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
export type Command<E extends DomainEvent = DomainEvent> = E & { id: string; receivedAt: string; author?: Author };

/** Another record a decision reads (a plan for a task, a unit for a visit). */
export type Ref = { kind: RecordKind; id: string };

/** The command accepted as it stands: the fact it reports, without the record id and the moment of receipt. */
export const recorded = <E extends DomainEvent>(command: Command<E>): E[] => {
  const { id: _id, receivedAt: _receivedAt, author: _author, ...event } = command;
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
  /**
   * The units whose departments may record this command ('any': every department; none: only an admin).
   * Admins may record anything. `author` is who asks (its unit is in `world`), for rules that depend on
   * what the author's unit is (the keeper of a register) rather than on the record.
   */
  writers(command: Command<E>, state: S, world: World, author: Author): readonly string[] | 'any';
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
 * The decision every command goes through: check its date and that it is not in the future, check
 * that the record exists (or, for a creating event, that it does not), then the context's own rules.
 * The command's text is already normalised (normaliseDeep, once, by the caller: a retry in another
 * Unicode form is the same request).
 */
export const decideCommand = <S extends { status: string }>(
  decider: Decider<any, S>, command: Command, state: S, world: World,
): DomainEvent[] => {
  occurredAt(command.occurredAt);
  requirePast(command);
  requireRecord(decider, command, state);
  return decider.decide(command, state, world);
};

export const AUTHOR_ROLES = ['department', 'inspector', 'manager', 'admin'] as const;
/** Who records a command: a role and, for a department, its unit. Admins record anything; inspectors and managers read. */
export type Author = { role: (typeof AUTHOR_ROLES)[number]; unitId?: string };

/** A unit that took over another's work: the unit itself, then what it was merged into, and so on. */
const successionOf = (world: World, unitId: string): string[] => {
  const chain = [unitId];
  for (let unit = world.unit(unitId); unit.status === 'merged' && !chain.includes(unit.intoUnitId); unit = world.unit(unit.intoUnitId)) {
    chain.push(unit.intoUnitId);
  }
  return chain;
};

/**
 * The units `authorise` reads beyond what the decision needs, not loaded yet (`loaded`): the author's own
 * unit, and each writer with the units it was merged into. The caller loads them until none is missing.
 */
export const authorityRefs = (
  decider: AnyDecider, command: Command, state: { status: string }, world: World, author: Author, loaded: (ref: Ref) => boolean,
): Ref[] => {
  if (author.role !== 'department' || !author.unitId) return [];
  const own: Ref = { kind: 'unit', id: author.unitId };
  if (!loaded(own)) return [own];
  if (state.status === 'absent' && !decider.creates.includes(command.type)) return [];
  const writers = decider.writers(command, state, world, author);
  if (writers === 'any') return [];
  const missing: Ref[] = [];
  const visit = (id: string, seen: string[]): void => {
    const ref: Ref = { kind: 'unit', id };
    if (!loaded(ref)) missing.push(ref);
    else if (!seen.includes(id)) {
      const unit = world.unit(id);
      if (unit.status === 'merged') visit(unit.intoUnitId, [...seen, id]);
    }
  };
  for (const id of writers) visit(id, []);
  return missing;
};

/**
 * Who may write what, the same for every context: an admin anything; a department what its context's
 * `writers` name for the command, or what a unit merged into it did (late entries about its earlier
 * work); any other role nothing. A department whose unit has been merged or dissolved writes nothing
 * more: its unit's state now (the clock), not the valid time of what it reports. A command about a
 * record that does not exist is left to requireRecord (404), so a refusal never depends on the order of checks.
 */
export const authorise = (decider: AnyDecider, command: Command, state: { status: string }, world: World, author: Author): void => {
  if (author.role === 'admin') return;
  if (author.role !== 'department' || !author.unitId) {
    throw new Forbidden('auth.role_forbidden', `A ${author.role} key does not record events`, { role: author.role });
  }
  const own = world.unit(author.unitId);
  if (own.status === 'merged' || own.status === 'dissolved') {
    throw new Forbidden('unit.inactive', `Unit ${author.unitId} was ${own.status} on ${own.since}; its keys record nothing more`,
      { unitId: author.unitId, name: own.name, status: own.status, since: own.since, ...(own.status === 'merged' && { intoUnitId: own.intoUnitId }) });
  }
  if (state.status === 'absent' && !decider.creates.includes(command.type)) return;
  const writers = decider.writers(command, state, world, author);
  if (writers === 'any' || writers.some((w) => successionOf(world, w).includes(author.unitId!))) return;
  throw new Forbidden('auth.not_your_record', `${command.type} on ${decider.kind} ${command.id} is recorded by ${writers.join(', ') || 'an admin'}`,
    { unitId: author.unitId, type: command.type, kind: decider.kind, id: command.id, writers: [...writers] });
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
