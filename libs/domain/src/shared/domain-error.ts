/**
 * A refusal by a domain rule. `code` is stable (`task.already_completed`): clients and the API key on
 * it. Codes ending in `.not_found` mean the record the command needs does not exist. `message` is for
 * developers (English); `params` carry the facts of the refusal (ids, dates, limits) from which the API
 * writes the user's message in Vietnamese or English.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * A refusal by the rules of who may write what (403): the role may not write, the record is another
 * unit's, or the author's unit has been merged or dissolved.
 */
export class Forbidden extends DomainError {
  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(code, message, undefined, params);
    this.name = 'Forbidden';
  }
}

export const assertNever = (value: never): never => {
  throw new Error(`Unexpected ${JSON.stringify(value)}`);
};
