import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, Forbidden } from '@reform-ledger/domain';
import { ConcurrentAppendError, IdempotencyKeyReusedError, LedgerInputError, VersionConflictError } from '@reform-ledger/ledger';
import { ViewRebuilding } from '@reform-ledger/projections';
import { BatchRefused } from './events/command-path';
import { languageOf, Params, render } from './messages';

/** One field at fault: its name, the reason (a message key, messages.ts) with its parameters, and for a batch item the item's code. */
export type FieldProblem = { field: string; reason: string; params?: Params; code?: string };

export type ProblemOptions = {
  /** The message key of the detail, when it is not the code itself. */
  detail?: string;
  /** Extra members of the body (e.g. currentVersion). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
};

/**
 * An error answered as an RFC 7807 problem: a stable `code`, the facts of the refusal (`params`), the
 * fields at fault. Its title, detail and reasons are written in the reader's language when it is sent.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Params = {},
    readonly errors: FieldProblem[] = [],
    readonly options: ProblemOptions = {},
  ) {
    super(render(options.detail ?? code, params, 'en'));
    this.name = 'Problem';
  }

  get detailKey(): string {
    return this.options.detail ?? this.code;
  }
}

/** A 400 for fields at fault, counted in the detail. */
export const invalid = (errors: FieldProblem[], options: ProblemOptions & { params?: Params } = {}) =>
  new Problem(400, 'request.invalid', { count: errors.length, ...options.params }, errors, options);

const MB = 1024 * 1024;
const size = (bytes: unknown) => (typeof bytes === 'number' ? (bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / 1024)} KiB`) : String(bytes));

/** Turns any thrown error into a Problem; bad input never becomes a 500. */
export const toProblem = (error: unknown, req?: Request): Problem => {
  if (error instanceof Problem) return error;
  if (error instanceof BatchRefused) {
    const items = error.refusals.map(({ index, error: refusal }) => itemProblem(index, toProblem(refusal)));
    const status = Math.min(...items.map((p) => p.status));
    return new Problem(status, 'batch.refused', { refused: items.length, total: error.total }, items.flatMap((p) => p.errors));
  }
  if (error instanceof DomainError) {
    const status = error instanceof Forbidden ? 403 : error.code.endsWith('.not_found') ? 404 : 422;
    return new Problem(status, error.code, error.params, error.field ? [{ field: error.field, reason: error.code, params: error.params }] : []);
  }
  if (error instanceof VersionConflictError) {
    return new Problem(409, 'version_conflict', { streamId: error.streamId, actual: error.actual, expected: error.expected },
      [{ field: 'If-Match', reason: 'header.if_match.current', params: { actual: error.actual } }], { extra: { currentVersion: error.actual } });
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return new Problem(422, 'idempotency_key.reused', { key: error.idempotencyKey, streamId: error.streamId },
      [{ field: 'Idempotency-Key', reason: 'header.idempotency_key.reused' }]);
  }
  if (error instanceof ConcurrentAppendError) return new Problem(409, 'concurrent_append', { streamId: error.streamId });
  if (error instanceof LedgerInputError) {
    return new Problem(error.code === 'payload.too_large' ? 413 : 400, error.code, error.params, [{ field: error.field, reason: error.code, params: error.params }]);
  }
  if (error instanceof ViewRebuilding) {
    return new Problem(503, 'view.outdated', { view: error.view }, [], { headers: { 'Retry-After': '1' } });
  }
  // body-parser's errors carry a `type` and a status (malformed JSON, entity too large, bad charset…).
  const parser = error as { type?: string; status?: number; limit?: number };
  if ((typeof parser.type === 'string' && parser.type.startsWith('entity.')) || parser.type === 'charset.unsupported' || parser.type === 'encoding.unsupported') {
    if (parser.status === 413) {
      return new Problem(413, 'request.too_large', {
        limit: size(parser.limit),
        hint: 'one event may be up to 1 MB, a batch (POST /api/v1/events:batch) up to 32 MB, and each event\'s data up to 256 KiB',
        hintVi: 'một sự kiện tối đa 1 MB, một lô (POST /api/v1/events:batch) tối đa 32 MB, dữ liệu của mỗi sự kiện tối đa 256 KiB',
      }, [{ field: 'body', reason: 'body.too_large', params: { limit: size(parser.limit) } }]);
    }
    if (parser.type === 'entity.parse.failed') return new Problem(400, 'request.malformed_json', {}, [{ field: 'body', reason: 'body.malformed' }]);
    return new Problem(parser.status === 415 ? 415 : 400, 'request.unreadable', {}, [{ field: 'body', reason: 'body.unreadable' }]);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return new Problem(404, 'route.not_found', { method: req?.method, path: req?.path });
    return new Problem(status, `http.${status}`, { status }, [], { detail: 'http.error' });
  }
  return new Problem(500, 'internal');
};

/** One refused item of a batch, as a field problem naming the item; its reason is the item's own detail. */
const itemProblem = (index: number, problem: Problem): Problem =>
  new Problem(problem.status, problem.code, problem.params, [{
    field: `[${index}]${problem.errors[0]?.field ? `.${problem.errors[0].field}` : ''}`,
    reason: problem.detailKey,
    params: problem.params,
    code: problem.code,
  }]);

export const sendProblem = (problem: Problem, req: Request, res: Response) => {
  const lang = languageOf((...langs) => req.acceptsLanguages(...langs));
  for (const [name, value] of Object.entries(problem.options.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Language', lang);
  res.status(problem.status).type('application/problem+json').json({
    type: `/problems/${problem.code}`,
    title: render(`title.${problem.status}`, {}, lang),
    status: problem.status,
    detail: render(problem.detailKey, problem.params, lang),
    code: problem.code,
    errors: problem.errors.map((e) => ({ field: e.field, reason: render(e.reason, e.params ?? {}, lang), ...(e.code && { code: e.code }) })),
    instance: req.originalUrl,
    ...((req as { id?: unknown }).id !== undefined && { requestId: String((req as { id?: unknown }).id) }),
    ...problem.options.extra,
  });
};

/** Every error leaves as application/problem+json. Refused credentials and rights are logged. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const problem = toProblem(error, req);
    const context = { status: problem.status, code: problem.code, method: req.method, url: req.originalUrl, actor: req.actor };
    if (problem.status >= 500) this.logger.error({ ...context, err: error }, 'request failed');
    else if (problem.status === 401 || problem.status === 403) this.logger.warn(context, `refused: ${problem.message}`);
    sendProblem(problem, req, http.getResponse<Response>());
  }
}
