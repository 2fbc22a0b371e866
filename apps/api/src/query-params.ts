import {
  applyDecorators, CallHandler, createParamDecorator, ExecutionContext, Injectable, NestInterceptor, SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiQuery } from '@nestjs/swagger';
import type { Request } from 'express';
import { describeDate, isOccurredAt } from '@reform-ledger/calendar';
import { normaliseText } from '@reform-ledger/domain';
import { DIFFABLE, SERIES_STEPS } from '@reform-ledger/projections';
import { PERIODS, SHEET_FORMATS } from '@reform-ledger/reports';
import { ID_PATTERN } from './events/fields';
import type { Params } from './messages';
import { FieldProblem, invalid } from './problem';

/**
 * The query parameters of every route, declared in one place. A route names the ones it takes with
 * `@QueryParams(…)`; that one list is both its OpenAPI documentation and what it accepts: any other
 * parameter is refused with a 400 that names the closest known one (`?asof=` → `asOf`), and each value
 * is parsed here (a bad one is a 400 naming it) before the handler reads it with `@Query()`-like `@Parsed()`.
 *
 * To add a parameter, describe it in PARAMS (its name on the wire, OpenAPI schema, description,
 * parser). To give every read route of a view a new parameter (e.g. `format=xlsx|csv`), add it to
 * VIEW_READ. A route-specific description: `@QueryParams(['unitId', 'Only the tasks this unit leads'])`.
 */
type Parsed<T> = { value: T } | { reason: string; params?: Params };
type Spec<T> = { name: string; description: string; schema: Record<string, unknown>; example?: unknown; parse(raw: string): Parsed<T> };
const spec = <T>(s: Spec<T>) => s;

const POSITION = /^\d{1,15}$/;
/** A ledger bound given as a position or as a moment (transaction time). */
export type Bound = { position: number; knownAt?: undefined } | { knownAt: string; position?: undefined };

const moment = (raw: string): Parsed<string> => {
  const problem = describeDate(raw);
  return problem ? { reason: 'date.problem', params: { ...problem } } : { value: raw };
};
const day = (raw: string): Parsed<string> => {
  const problem = describeDate(raw, true);
  return problem ? { reason: 'date.problem', params: { ...problem } } : { value: raw };
};
const position = (raw: string): Parsed<number> => (POSITION.test(raw) ? { value: Number(raw) } : { reason: 'query.position' });
const id = (raw: string): Parsed<string> => (ID_PATTERN.test(raw) ? { value: raw } : { reason: 'id.format' });
const bound = (raw: string): Parsed<Bound> =>
  POSITION.test(raw) ? { value: { position: Number(raw) } } : isOccurredAt(raw) ? { value: { knownAt: raw } } : { reason: 'query.bound' };
const integer = (min: number, max: number) => (raw: string): Parsed<number> =>
  /^\d{1,9}$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? { value: Number(raw) } : { reason: 'query.range', params: { min, max } };
const text = (min: number, max: number) => (raw: string): Parsed<string> => {
  const value = normaliseText(raw);
  return value.length >= min && value.length <= max ? { value } : { reason: 'text.length', params: { min, max } };
};
const oneOf = <T extends string>(values: readonly T[]) => (raw: string): Parsed<T> =>
  (values as readonly string[]).includes(raw) ? { value: raw as T } : { reason: 'one_of', params: { values } };

const CUT_DESCRIPTION = 'Cuts combine: asOf (valid time) with knownAt or position (transaction time).';

export const PARAMS = {
  asOf: spec({
    name: 'asOf', schema: { type: 'string' }, example: '2022-11-30', parse: moment,
    description: `Valid time: the world on this day (a date means the whole day, in the ledger's time zone, Asia/Ho_Chi_Minh by default) or at this moment (an ISO datetime with a zone), as known now. ${CUT_DESCRIPTION}`,
  }),
  knownAt: spec({
    name: 'knownAt', schema: { type: 'string' }, parse: moment,
    description: 'Transaction time: only what the ledger held at this moment (a date: at the end of that day). The marks of GET /api/v1/ledger/marks give moments such as the end of the seed\'s phase 1.',
  }),
  position: spec({
    name: 'position', schema: { type: 'integer', minimum: 0 }, parse: position,
    description: 'The ledger up to this position. A position not yet assigned is refused (400); one assigned but not yet applied by the views is waited for, like minPosition.',
  }),
  minPosition: spec({
    name: 'minPosition', schema: { type: 'integer', minimum: 0 }, parse: position,
    description: 'Read your own write: the globalPosition a write returned. The read waits (up to 5 s, then 503 with Retry-After) until the views have applied it.',
  }),
  year: spec({ name: 'year', schema: { type: 'integer', minimum: 1900, maximum: 2199 }, example: 2022, parse: integer(1900, 2199), description: 'The year (its days in the ledger\'s calendar)' }),
  unitId: spec({ name: 'unitId', schema: { type: 'string', pattern: ID_PATTERN.source }, parse: id, description: 'Only what this unit is responsible for' }),
  withStates: spec({
    name: 'withStates', schema: { type: 'boolean', default: false }, parse: (raw) => (raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { reason: 'query.boolean' }),
    description: 'Also give, with each event, the record\'s state before and after it (folded by the domain\'s own evolve)',
  }),
  q: spec({
    name: 'q', schema: { type: 'string', minLength: 1, maxLength: 100 }, example: 'kế hoạch', parse: text(1, 100),
    description: 'Words to look for (all of them), diacritics and case aside: in the number and symbol, the title or the record id',
  }),
  unit: spec({ name: 'unit', schema: { type: 'string', pattern: ID_PATTERN.source }, parse: id, description: 'Events recorded by this unit (the unit of the key that wrote them)' }),
  ownerUnit: spec({
    name: 'ownerUnit', schema: { type: 'string', pattern: ID_PATTERN.source }, parse: id,
    description: 'Events of the records this unit is responsible for: the tasks it leads (or has led), the plans and drives it owns, the inspections it leads, the drafts it prepares, the documents it issues, its own unit record',
  }),
  actor: spec({ name: 'actor', schema: { type: 'string' }, parse: id, description: 'Events recorded with this key id (e.g. demo-admin, scenario-loader)' }),
  recordedFrom: spec({ name: 'from', schema: { type: 'string' }, parse: moment, description: 'Recorded at or after this moment (a date: from the start of that day)' }),
  recordedTo: spec({ name: 'to', schema: { type: 'string' }, parse: moment, description: 'Recorded at or before this moment (a date: to the end of that day)' }),
  seriesFrom: spec({ name: 'from', schema: { type: 'string', format: 'date' }, example: '2022-01-01', parse: day, description: 'The first day of the series (YYYY-MM-DD). Default: 1 January of the plan\'s year' }),
  seriesTo: spec({ name: 'to', schema: { type: 'string', format: 'date' }, example: '2022-12-31', parse: day, description: 'The last day of the series, always a point (YYYY-MM-DD). Default: 31 December of the plan\'s year' }),
  step: spec({ name: 'step', schema: { type: 'string', enum: [...SERIES_STEPS], default: 'week' }, parse: oneOf(SERIES_STEPS), description: 'The distance between points: a day, a week, a month' }),
  after: spec({ name: 'after', schema: { type: 'integer', minimum: 0 }, parse: position, description: 'Page on: the `next` of the previous page (a ledger position)' }),
  limit: spec({ name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 10000, default: 500 }, parse: integer(1, 10_000), description: 'At most this many events (1–10000)' }),
  view: spec({
    name: 'view', schema: { type: 'string', enum: Object.keys(DIFFABLE) }, example: 'plan-progress', parse: oneOf(Object.keys(DIFFABLE) as (keyof typeof DIFFABLE)[]),
    description: 'The view to compare; keyed by planId (plan-progress), inspectionId (inspection-log), recruitmentId (recruitment-pipeline) or year (legal-register)',
  }),
  planId: spec({ name: 'planId', schema: { type: 'string' }, example: 'cchc-2022', parse: id, description: 'The plan (with view=plan-progress)' }),
  inspectionId: spec({ name: 'inspectionId', schema: { type: 'string' }, parse: id, description: 'The inspection (with view=inspection-log), e.g. kt-ct01-2022' }),
  recruitmentId: spec({ name: 'recruitmentId', schema: { type: 'string' }, parse: id, description: 'The drive (with view=recruitment-pipeline), e.g. vien-chuc-2022' }),
  boundFrom: spec({ name: 'from', schema: { type: 'string' }, example: '0', parse: bound, description: 'The earlier cut: a ledger position, or a moment (transaction time). Default: the start' }),
  boundTo: spec({ name: 'to', schema: { type: 'string' }, parse: bound, description: 'The later cut: a ledger position, or a moment (transaction time). Default: now' }),
  format: spec({
    name: 'format', schema: { type: 'string', enum: ['json', ...SHEET_FORMATS], default: 'json' }, parse: oneOf(['json', ...SHEET_FORMATS] as const),
    description: 'json (the default); xlsx: the answer as a workbook (a sheet per table, Vietnamese headers, real dates shown dd/mm/yyyy); '
      + 'csv: its first table (UTF-8 with a BOM, dates YYYY-MM-DD). Both start with a row naming the cut.',
  }),
  leafPosition: spec({ name: 'position', schema: { type: 'integer', minimum: 1 }, example: 1, parse: position, description: 'The ledger position of the event to prove (required)' }),
  treeSize: spec({ name: 'treeSize', schema: { type: 'integer', minimum: 1 }, parse: position, description: 'The size of a signed tree head (its treeSize). Default: the latest head' }),
  treeFrom: spec({ name: 'from', schema: { type: 'integer', minimum: 1 }, example: 1, parse: position, description: 'The earlier tree size: that of the head you kept (required)' }),
  treeTo: spec({ name: 'to', schema: { type: 'integer', minimum: 1 }, parse: position, description: 'The later tree size, a signed head\'s. Default: the latest head' }),
  period: spec({
    name: 'period', schema: { type: 'string', enum: [...PERIODS], default: 'year' }, example: 'year', parse: oneOf(PERIODS),
    description: 'The reporting period: the year, H1 (the first half) or a quarter Q1…Q4',
  }),
} as const;

export type ParamKey = keyof typeof PARAMS;
type ValueOf<K extends ParamKey> = (typeof PARAMS)[K] extends Spec<infer T> ? T : never;
/** The parsed query of a route: each declared parameter that was given, by its key in PARAMS. */
export type ParsedQuery = { [K in ParamKey]?: ValueOf<K> };

/** The cut every read route of a view takes. */
export const CUT = ['asOf', 'knownAt', 'position', 'minPosition'] as const satisfies readonly ParamKey[];
/** What every read route of a view takes: add a parameter here to give it to all of them. */
export const VIEW_READ = [...CUT, 'format'] as const satisfies readonly ParamKey[];

const QUERY_PARAMS = 'query-params';
type Declared = ParamKey | readonly [ParamKey, string];

/** The keys of declared parameters (without their route-specific descriptions). */
export const declaredKeys = (declared: readonly Declared[]): ParamKey[] => declared.map((d) => (typeof d === 'string' ? d : d[0]));

/** Declares the query parameters a route takes: documented in OpenAPI, and the only ones it accepts. */
export const QueryParams = (...declared: Declared[]) => {
  const keys = declaredKeys(declared);
  return applyDecorators(
    SetMetadata(QUERY_PARAMS, keys),
    ...declared.map((d) => {
      const [key, description] = typeof d === 'string' ? [d, undefined] : d;
      const p: Spec<unknown> = PARAMS[key];
      return ApiQuery({ name: p.name, required: false, description: description ?? p.description, schema: p.schema, ...(p.example !== undefined && { example: p.example }) });
    }),
  );
};

/** The parameter keys a route declared (none: it takes none). */
export const declaredParams = (reflector: Reflector, handler: Parameters<Reflector['get']>[1]): ParamKey[] => reflector.get<ParamKey[]>(QUERY_PARAMS, handler) ?? [];

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
};

/** The known name a mistyped one most likely meant: the same letters in another case, else one at most two edits away. */
export const closestName = (name: string, known: string[]): string | undefined =>
  known.find((k) => k.toLowerCase() === name.toLowerCase())
  ?? known.map((k) => ({ k, d: distance(name.toLowerCase(), k.toLowerCase()) })).filter((c) => c.d <= 2).sort((a, b) => a.d - b.d)[0]?.k;

/**
 * Parses a query against the parameters a route declares: a parameter it does not declare is refused
 * (naming the closest one it does), a bad value is refused naming it; all problems at once, as a 400.
 */
export const parseQuery = (keys: readonly ParamKey[], query: Record<string, unknown>): ParsedQuery => {
  const byName = new Map(keys.map((k) => [PARAMS[k].name, k]));
  const errors: FieldProblem[] = [];
  const parsed: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(query)) {
    const key = byName.get(name);
    if (!key) {
      const allowed = [...byName.keys()];
      errors.push({ field: name, reason: 'query.unknown', params: { suggestion: closestName(name, allowed), allowed } });
      continue;
    }
    if (typeof raw !== 'string') {
      errors.push({ field: name, reason: 'query.repeated' });
      continue;
    }
    const result = (PARAMS[key] as Spec<unknown>).parse(raw);
    if ('value' in result) parsed[key] = result.value;
    else errors.push({ field: name, reason: result.reason, params: result.params });
  }
  const unknown = errors.find((e) => e.reason === 'query.unknown');
  if (unknown) {
    throw invalid(errors, { detail: 'request.unknown_parameter', params: { name: unknown.field, ...unknown.params } });
  }
  if (errors.length > 0) throw invalid(errors);
  return parsed as ParsedQuery;
};

/** Refuses query parameters a route does not declare and parses the ones it does. Runs after the guards (keys are checked first), before the handler. */
@Injectable()
export class QueryParamsInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler) {
    const req = context.switchToHttp().getRequest<Request & { parsedQuery?: ParsedQuery }>();
    req.parsedQuery = parseQuery(declaredParams(this.reflector, context.getHandler()), req.query ?? {});
    return next.handle();
  }
}

/** The route's parsed query parameters (see QueryParamsInterceptor). */
export const Parsed = createParamDecorator((_data: unknown, context: ExecutionContext): ParsedQuery =>
  context.switchToHttp().getRequest<{ parsedQuery?: ParsedQuery }>().parsedQuery ?? {});
