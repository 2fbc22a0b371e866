import type { OccurredAt } from './calendar';

/**
 * A refusal by a domain rule. `code` is stable (`task.already_completed`): clients and the API key on
 * it. Codes ending in `.not_found` mean the record the command needs does not exist.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const assertNever = (value: never): never => {
  throw new Error(`Unexpected ${JSON.stringify(value)}`);
};

/** The kinds of record, each one stream per record: `task:T-07`. */
export const RECORD_KINDS = ['unit', 'document', 'plan', 'task', 'inspection', 'legal-document', 'recruitment'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const streamIdOf = (kind: RecordKind, id: string): string => `${kind}:${id}`;

/** The prefix of a kind's error codes: `legal-document` → `legal_document`. */
export const codeOf = (kind: RecordKind): string => kind.replace('-', '_');

/** A fact as it is stored: plain data named in the past tense. */
export type DomainEvent<T extends string = string, D = unknown> = { type: T; occurredAt: OccurredAt; data: D };

/**
 * What a department asks the ledger to record about record `id`: the fact it reports. The decision
 * accepts it (returning the events to store, normalised) or refuses it with a DomainError.
 */
export type Command<E extends DomainEvent = DomainEvent> = E & { id: string };

/** Another record a decision reads (a plan for a task, a unit for a visit). */
export type Ref = { kind: RecordKind; id: string };

/** The command accepted as it stands: the fact it reports, without the record id. */
export const recorded = <E extends DomainEvent>(command: Command<E>): E[] => {
  const { id: _id, ...event } = command;
  return [event as unknown as E];
};
