import { Body, Controller, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { eventTypesOf, examples, RECORD_KINDS, RecordKind } from '@reform-ledger/domain';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { ApiProblems, ApiResult } from '../openapi';
import { FieldProblem, invalid, Problem } from '../problem';
import { COLLECTIONS, kindNamed } from './collections';
import type { Keyed, Recorded, WriteContext } from './command-path';
import { RecordBatch, RecordEvent } from './commands';
import { EVENT_SCHEMAS } from './event-schemas';
import { validateSubmission } from './validate';
const MAX_BATCH = 1000;
const KEY = /^[\x21-\x7e]{1,200}$/;

/** The key of a write (the header) or of a batch item (its idempotencyKey): required, so a retry records nothing new. */
const idempotencyKeyOf = (value: unknown, field: string): string => {
  if (value === undefined) throw invalid([{ field, reason: field === 'Idempotency-Key' ? 'header.idempotency_key.missing' : 'item.idempotency_key.missing' }]);
  if (typeof value !== 'string' || !KEY.test(value)) throw invalid([{ field, reason: 'header.idempotency_key.invalid' }]);
  return value;
};

const expectedVersionOf = (header: string | undefined): number | undefined => {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw invalid([{ field: 'If-Match', reason: 'header.if_match.invalid' }]);
  return Number(match[1]);
};

/** Swagger's default, valid on what `npm start` loads: a finding at Nam Bình, which the Chỉ thị 01 inspection visited. */
const SEED_EXAMPLE = examples.findingRecorded({ occurredAt: '2022-05-12', unitId: 'ubnd-xa-nam-binh', finding: 'Niêm yết thủ tục hành chính chưa đầy đủ', requiresAction: true });

const examplesOf = (kind: RecordKind) =>
  Object.fromEntries(eventTypesOf(kind).map((type) => [type, { value: EVENT_SCHEMAS[type as keyof typeof EVENT_SCHEMAS].example }]));

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/v1')
@UseGuards(AuthGuard)
@Roles('department', 'admin')
export class EventsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':collection/:id/events')
  @ApiOperation({ summary: 'Record what happened to a record (units, documents, plans, tasks, inspections, legal-documents, recruitments)' })
  @ApiParam({ name: 'collection', enum: Object.keys(COLLECTIONS), example: 'inspections' })
  @ApiParam({ name: 'id', example: 'kt-ct01-2022', description: 'The record\'s id (kt-ct01-2022 is the seed district\'s Chỉ thị 01 inspection)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, example: 'seed-finding-1', description: 'A key of your choice, unique per request: a retry with the same key returns the first result and records nothing new' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The stream version the write expects, e.g. "3"; 409 if it has moved on' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['type', 'occurredAt', 'data'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: Object.keys(EVENT_SCHEMAS) },
        occurredAt: { type: 'string', description: 'YYYY-MM-DD or an ISO-8601 datetime with a zone', example: '2022-11-20' },
        data: { oneOf: Object.values(EVENT_SCHEMAS).map((s) => ({ $ref: getSchemaPath(s.data) })) },
      },
    },
    examples: {
      onTheSeed: { summary: 'A finding at a unit the Chỉ thị 01 inspection visited (valid on the seed district: POST to inspections/kt-ct01-2022)', value: SEED_EXAMPLE },
      ...Object.fromEntries(RECORD_KINDS.flatMap((kind) => Object.entries(examplesOf(kind)))),
    },
  })
  @ApiResult('Recorded', 201, 'Recorded; ETag is the stream version. A retry with the same Idempotency-Key returns the same body')
  @ApiProblems(400, 401, 403, 404, 409, 413, 422)
  async record(
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Recorded> {
    const kind = Object.hasOwn(COLLECTIONS, collection) ? COLLECTIONS[collection] : undefined;
    if (!kind) {
      throw new Problem(404, 'route.not_found', { collection, collections: Object.keys(COLLECTIONS) }, [], { detail: 'route.collection_unknown' });
    }
    const validated = validateSubmission(kind, id, body);
    if (validated.errors) throw invalid(validated.errors);
    const submission: Keyed = { ...validated.submission, idempotencyKey: idempotencyKeyOf(key, 'Idempotency-Key'), expectedVersion: expectedVersionOf(ifMatch) };
    const recorded = await this.commands.execute(new RecordEvent(submission, contextOf(req)));
    res.setHeader('ETag', `"${recorded.streamVersion}"`);
    return recorded;
  }

  @Post('events\\:batch')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record up to 1,000 submissions at once, all or nothing (imports)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, example: 'seed-batch', description: 'Names the batch (its correlation id); each item carries its own key' })
  @ApiBody({
    description: 'An array of submissions (or { submissions: [...] })',
    schema: {
      type: 'array',
      maxItems: MAX_BATCH,
      items: {
        type: 'object',
        required: ['stream', 'type', 'occurredAt', 'data', 'idempotencyKey'],
        properties: {
          stream: { type: 'object', properties: { kind: { type: 'string', enum: [...RECORD_KINDS] }, id: { type: 'string' } } },
          type: { type: 'string', enum: Object.keys(EVENT_SCHEMAS) },
          occurredAt: { type: 'string' },
          data: { type: 'object' },
          idempotencyKey: { type: 'string' },
        },
      },
      example: [
        { stream: { kind: 'inspection', id: 'kt-ct01-2022' }, ...SEED_EXAMPLE, idempotencyKey: 'seed-batch-finding' },
        { stream: { kind: 'recruitment', id: 'vien-chuc-2022' }, ...examples.roundHeld(), idempotencyKey: 'seed-batch-round' },
      ],
    },
  })
  @ApiResult('BatchResult', 201, 'All recorded, in input order')
  @ApiProblems(400, 401, 403, 404, 409, 413, 422)
  async batch(@Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @Req() req: Request): Promise<{ results: Recorded[] }> {
    const batchKey = idempotencyKeyOf(key, 'Idempotency-Key');
    const items = Array.isArray(body) ? body : (body as { submissions?: unknown } | null)?.submissions;
    if (!Array.isArray(items) || items.length === 0) throw invalid([{ field: 'body', reason: 'body.batch' }]);
    if (items.length > MAX_BATCH) {
      throw new Problem(413, 'batch.too_large', { max: MAX_BATCH, count: items.length }, [{ field: 'body', reason: 'body.batch_size', params: { max: MAX_BATCH } }]);
    }
    const errors: FieldProblem[] = [];
    const submissions: Keyed[] = [];
    items.forEach((item: unknown, i) => {
      const at = `[${i}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        errors.push({ field: at, reason: 'body.item' });
        return;
      }
      const { stream, idempotencyKey, ...submission } = item as Record<string, unknown>;
      const ref = (typeof stream === 'object' && stream !== null ? stream : {}) as { kind?: unknown; id?: unknown };
      const kind = kindNamed(ref.kind);
      if (!kind) {
        errors.push({ field: `${at}.stream.kind`, reason: 'stream.kind', params: { allowed: [...RECORD_KINDS] } });
        return;
      }
      let itemKey: string | undefined;
      try {
        itemKey = idempotencyKeyOf(idempotencyKey, `${at}.idempotencyKey`);
      } catch (problem) {
        errors.push(...(problem as Problem).errors);
      }
      const validated = validateSubmission(kind, ref.id, submission, at);
      if (validated.errors) errors.push(...validated.errors.map((e) => (e.field === `${at}.id` ? { ...e, field: `${at}.stream.id` } : e)));
      else if (itemKey) submissions.push({ ...validated.submission, idempotencyKey: itemKey });
    });
    if (errors.length > 0) {
      throw invalid(errors, { detail: 'batch.items_invalid', params: { invalid: new Set(errors.map((e) => e.field.split('.')[0])).size, total: items.length } });
    }
    const results = await this.commands.execute(new RecordBatch(submissions, { ...contextOf(req), correlationId: batchKey }));
    return { results };
  }
}

const contextOf = (req: Request): WriteContext => ({
  actor: req.actor!,
  correlationId: String((req as { id?: unknown }).id ?? ''),
  receivedAt: new Date().toISOString(),
});
