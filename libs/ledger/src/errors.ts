/** Typed errors of the ledger. Each carries a stable `code` that callers map to their own responses. */

export type ExpectedVersion = number | 'no_stream' | 'any';

/** The stream was not at the expected version; `actual` is the version it is at. */
export class VersionConflictError extends Error {
  readonly code = 'ledger.version_conflict';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${expected}`);
    this.name = 'VersionConflictError';
  }
}

/** The idempotency key was already used on this stream for a different request. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'ledger.idempotency_key_reused';
  constructor(
    readonly streamId: string,
    readonly idempotencyKey: string,
  ) {
    super(`Idempotency key ${idempotencyKey} was already used on stream ${streamId} for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/**
 * Inside a transaction, a concurrent append with the same idempotency key committed first. The
 * transaction is aborted; retrying it returns the committed result.
 */
export class ConcurrentAppendError extends Error {
  readonly code = 'ledger.concurrent_append';
  constructor(
    readonly streamId: string,
    readonly idempotencyKey: string,
  ) {
    super(`A concurrent append to ${streamId} with key ${idempotencyKey} committed first; retry`);
    this.name = 'ConcurrentAppendError';
  }
}

export type LedgerInputErrorCode =
  | 'stream_id.invalid'
  | 'events.empty'
  | 'events.too_many'
  | 'event.type_invalid'
  | 'event.schema_version_invalid'
  | 'event.occurred_at_invalid'
  | 'event.id_invalid'
  | 'payload.not_serialisable'
  | 'payload.too_large'
  | 'idempotency_key.invalid'
  | 'expected_version.invalid';

/** A request the ledger refuses before writing anything. `field` names the offending input; `params` the limits it broke. */
export class LedgerInputError extends Error {
  constructor(
    readonly code: LedgerInputErrorCode,
    readonly field: string,
    message: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'LedgerInputError';
  }
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const CONNECTION_MESSAGES = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end|Client was closed|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i;

/**
 * Whether `error` says the database cannot be reached now (refused, lost, shutting down, starting up,
 * out of connections) rather than that a statement failed: the caller may retry later. Reads pg's
 * errors and TypeORM's (which wrap them as `driverError`).
 */
export const isDatabaseUnavailable = (error: unknown): boolean => {
  const e = ((error as { driverError?: unknown } | null)?.driverError ?? error) as { code?: unknown; message?: unknown; errors?: unknown[] } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECTION_ERRORS.has(code) || /^08/.test(code) || /^57P0[1-5]$/.test(code) || code === '53300') return true;
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message);
};
