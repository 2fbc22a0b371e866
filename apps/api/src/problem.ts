import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '@reform-ledger/domain';
import { ConcurrentAppendError, IdempotencyKeyReusedError, LedgerInputError, VersionConflictError } from '@reform-ledger/ledger';
import type { FieldError } from './events/validate';

/** An error answered as an RFC 7807 problem: a stable `code`, the fields at fault, extra members. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: (FieldError & { code?: string })[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

const TITLES: Record<number, string> = {
  400: 'The request is invalid',
  401: 'Credentials are missing or not valid',
  403: 'Not allowed for these credentials',
  404: 'Not found',
  409: 'Conflict with the current version of the record',
  413: 'The request is too large',
  422: 'Refused by a rule of the domain',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Turns any thrown error into a Problem; bad input never becomes a 500. */
export const toProblem = (error: unknown): Problem => {
  if (error instanceof Problem) return error;
  if (error instanceof DomainError) {
    const status = error.code.endsWith('.not_found') ? 404 : 422;
    return new Problem(status, error.code, error.message, error.field ? [{ field: error.field, reason: error.message }] : []);
  }
  if (error instanceof VersionConflictError) {
    return new Problem(409, 'version_conflict',
      `${error.streamId} is at version ${error.actual}, not ${error.expected}; read it again and retry with If-Match: "${error.actual}"`,
      [{ field: 'If-Match', reason: `the current version is ${error.actual}` }], { currentVersion: error.actual });
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return new Problem(422, 'idempotency_key.reused',
      `Idempotency key ${error.idempotencyKey} was already used on ${error.streamId} for a different request`,
      [{ field: 'Idempotency-Key', reason: 'was used for a different request; use a new key for a new request' }]);
  }
  if (error instanceof ConcurrentAppendError) return new Problem(409, 'concurrent_append', error.message);
  if (error instanceof LedgerInputError) {
    return new Problem(error.code === 'payload.too_large' ? 413 : 400, error.code, error.message, [{ field: error.field, reason: error.message }]);
  }
  // body-parser's errors carry a `type` and a status (malformed JSON, entity too large, bad charset…).
  const parser = error as { type?: string; status?: number; message?: string };
  if (typeof parser.type === 'string' && parser.type.startsWith('entity.') || parser.type === 'charset.unsupported' || parser.type === 'encoding.unsupported') {
    const status = parser.status === 413 ? 413 : parser.status === 415 ? 415 : 400;
    const code = status === 413 ? 'request.too_large' : parser.type === 'entity.parse.failed' ? 'request.malformed_json' : 'request.unreadable';
    return new Problem(status, code, status === 413 ? 'The request body is larger than allowed' : `The body could not be read: ${parser.message}`,
      [{ field: 'body', reason: parser.message ?? 'unreadable' }]);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'route.not_found' : `http.${status}`;
    return new Problem(status, code, error.message);
  }
  return new Problem(500, 'internal', 'An unexpected error occurred; it has been logged');
};

export const sendProblem = (problem: Problem, req: Request, res: Response) => {
  res.status(problem.status).type('application/problem+json').json({
    type: `/problems/${problem.code}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    errors: problem.errors,
    instance: req.originalUrl,
    ...((req as { id?: unknown }).id !== undefined && { requestId: String((req as { id?: unknown }).id) }),
    ...problem.extra,
  });
};

/** Every error leaves as application/problem+json. Refused credentials and rights are logged. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const problem = toProblem(error);
    const context = { status: problem.status, code: problem.code, method: req.method, url: req.originalUrl, actor: req.actor };
    if (problem.status >= 500) this.logger.error({ ...context, err: error }, 'request failed');
    else if (problem.status === 401 || problem.status === 403) this.logger.warn(context, `refused: ${problem.detail}`);
    sendProblem(problem, req, http.getResponse<Response>());
  }
}
