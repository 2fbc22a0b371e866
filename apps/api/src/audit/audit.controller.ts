import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DECIDERS, RECORD_KINDS, RecordKind, RESPONSIBLE_UNIT_FIELDS, streamIdOf } from '@reform-ledger/domain';
import { buildBundle, ExportedEvent, Ledger, StoredEvent } from '@reform-ledger/ledger';
import { DIFFABLE, diffView, ViewReader } from '@reform-ledger/projections';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { ApiProblems, ApiResult } from '../openapi';
import { invalid, Problem } from '../problem';
import { Bound, Parsed, ParsedQuery, QueryParams } from '../query-params';

const STREAM = /^([a-z-]+):([A-Za-z0-9][A-Za-z0-9._~-]{0,127})$/;

/** The record's state before and after each of its events, folded by the domain's own evolve: what the decision saw. */
const withStates = (kind: RecordKind, events: StoredEvent[]) => {
  const decider = DECIDERS[kind];
  let state: unknown = decider.initialState;
  return events.map((e) => {
    const stateBefore = state;
    state = decider.evolve(state as { status: string }, { type: e.type, occurredAt: e.occurredAt, data: e.data });
    return { ...e, stateBefore, stateAfter: state };
  });
};

/** The inspection team's tools: full history with metadata, activity, diffs between cuts, integrity, export. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
@UseGuards(AuthGuard)
@Roles('inspector', 'admin')
export class AuditController {
  constructor(
    private readonly ledger: Ledger,
    private readonly reader: ViewReader,
  ) {}

  @Get('streams/:streamId')
  @ApiOperation({ summary: 'Every event of a record with its full envelope (who, when recorded, hashes); as known at a moment; with the record\'s state before and after each event' })
  @ApiParam({ name: 'streamId', example: 'task:NV-11', description: 'kind:id — a kind is one of ' + RECORD_KINDS.join(', ') })
  @QueryParams(['knownAt', 'Only the events the ledger held at this moment'], 'withStates')
  @ApiResult('AuditStream')
  @ApiProblems(400, 401, 403, 404)
  async stream(@Param('streamId') streamId: string, @Parsed() p: ParsedQuery) {
    const match = STREAM.exec(streamId);
    if (!match || !(RECORD_KINDS as readonly string[]).includes(match[1])) {
      throw invalid([{ field: 'streamId', reason: 'query.stream' }]);
    }
    const events = await this.ledger.readStream(streamId, { knownAt: p.knownAt });
    if (events.length === 0 && !p.knownAt) throw new Problem(404, 'stream.not_found', { streamId });
    return {
      streamId, version: events.at(-1)?.streamVersion ?? 0,
      events: p.withStates ? withStates(match[1] as RecordKind, events) : events,
      cut: { knownAt: p.knownAt ?? null },
    };
  }

  @Get('activity')
  @ApiOperation({ summary: 'Who recorded what: events by recording unit (unit), by the unit responsible for the record (ownerUnit), by key, by recording time; page with `after`' })
  @QueryParams('unit', 'ownerUnit', 'actor', 'recordedFrom', 'recordedTo', 'after', 'limit')
  @ApiResult('Activity')
  @ApiProblems(400, 401, 403)
  async activity(@Parsed() p: ParsedQuery) {
    const limit = p.limit ?? 500;
    const events = await this.ledger.activity({
      unitId: p.unit, keyId: p.actor, from: p.recordedFrom, to: p.recordedTo, after: p.after ?? 0, limit,
      ...(p.ownerUnit && { owner: { unitId: p.ownerUnit, keys: [...RESPONSIBLE_UNIT_FIELDS], streams: [streamIdOf('unit', p.ownerUnit)] } }),
    });
    return { events, next: events.length === limit ? events[events.length - 1].globalPosition : null };
  }

  @Get('diff')
  @ApiOperation({
    summary: 'What changed in a view between two cuts (positions or moments): the view at both, the entities that changed, and the events in between',
    description: 'view=plan-progress&planId=…, view=inspection-log&inspectionId=…, view=recruitment-pipeline&recruitmentId=…, view=legal-register&year=…',
  })
  @QueryParams('view', 'planId', 'inspectionId', 'recruitmentId', ['year', 'The year (with view=legal-register)'], 'boundFrom', 'boundTo',
    ['asOf', 'Valid time at both cuts (a date means the whole day in the ledger\'s time zone)'])
  @ApiResult('Diff')
  @ApiProblems(400, 401, 403, 404, 503)
  async diff(@Parsed() p: ParsedQuery) {
    if (!p.view) throw invalid([{ field: 'view', reason: 'query.required' }]);
    const { key } = DIFFABLE[p.view];
    const id = key === 'year' ? (p.year === undefined ? undefined : String(p.year)) : p[key as 'planId' | 'inspectionId' | 'recruitmentId'];
    if (id === undefined) throw invalid([{ field: key, reason: 'query.required' }]);
    const cut = (b: Bound | undefined) => ({ ...(b ?? {}), asOf: p.asOf });
    const found = await diffView(this.reader, p.view, id, cut(p.boundFrom ?? { position: 0 }), cut(p.boundTo));
    if (!found) {
      const kind = ({ planId: 'plan', inspectionId: 'inspection', recruitmentId: 'recruitment', year: 'legal-document' } as const)[key];
      throw new Problem(404, 'view.not_found', { kind, id });
    }
    return found;
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute every hash and walk every chain: { ok, checked, firstBrokenPosition? }' })
  @ApiResult('Verify')
  @ApiProblems(401, 403)
  verify() {
    return this.ledger.verify();
  }

  @Get('export')
  @ApiProduces('application/x-tar')
  @ApiOperation({ summary: 'A bundle (tar: events.ndjson + manifest.json with hashes and anchors), checkable offline: npm run reform-ledger -- verify bundle.tar' })
  @QueryParams(['boundFrom', 'The first position exported, or a moment (from the position the ledger had reached then). Default: 1'],
    ['boundTo', 'The last position, or a moment (the position the ledger had reached then). Default: the head'])
  @ApiResponse({ status: 200, description: 'The bundle', content: { 'application/x-tar': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400, 401, 403)
  async export(@Parsed() p: ParsedQuery, @Res() res: Response) {
    const positionOf = async (b: Bound | undefined, fallback: number) =>
      b === undefined ? fallback : b.position ?? (await this.ledger.positionAt(b.knownAt!));
    const head = await this.ledger.headPosition();
    const first = await positionOf(p.boundFrom, 1);
    const last = Math.min(await positionOf(p.boundTo, head), head);
    const events: ExportedEvent[] = [];
    for await (const batch of this.ledger.exportRange({ after: Math.max(0, first - 1), to: last })) events.push(...batch);
    const verified = await this.ledger.verify();
    const bundle = buildBundle(events, { afterPosition: Math.max(0, first - 1), toPosition: last }, verified, new Date().toISOString());
    res.setHeader('Content-Type', 'application/x-tar');
    res.setHeader('Content-Disposition', `attachment; filename="reform-ledger-${Math.max(1, first)}-${last}.tar"`);
    res.send(bundle);
  }
}
