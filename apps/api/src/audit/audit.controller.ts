import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { isOccurredAt } from '@reform-ledger/domain';
import { buildBundle, ExportedEvent, Ledger } from '@reform-ledger/ledger';
import { ViewQueries } from '@reform-ledger/projections';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { Problem } from '../problem';
import { ID_PATTERN } from '../events/fields';

const POSITION = /^\d{1,15}$/;
const STREAM = /^[a-z-]+:[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

type Bound = { position?: number; knownAt?: string };
/** A bound given as a ledger position or as a moment (transaction time). */
const bound = (value: string | undefined, field: string): Bound | undefined => {
  if (value === undefined) return undefined;
  if (POSITION.test(value)) return { position: Number(value) };
  if (isOccurredAt(value)) return { knownAt: value };
  throw new Problem(400, 'request.invalid', `${field} must be a ledger position or a date/datetime`, [{ field, reason: 'is neither a position nor a date' }]);
};
const time = (value: string | undefined, field: string) => {
  if (value !== undefined && !isOccurredAt(value)) {
    throw new Problem(400, 'request.invalid', `${field} must be a date or an ISO datetime`, [{ field, reason: 'is not a date or datetime' }]);
  }
  return value;
};
const id = (value: string | undefined, field: string) => {
  if (value !== undefined && !ID_PATTERN.test(value)) throw new Problem(400, 'request.invalid', `${field} is not an id`, [{ field, reason: 'is not an id' }]);
  return value;
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
    private readonly queries: ViewQueries,
  ) {}

  @Get('streams/:streamId')
  @ApiOperation({ summary: 'Every event of a record with its full envelope (who, when recorded, hashes); knownAt supported' })
  async stream(@Param('streamId') streamId: string, @Query('knownAt') knownAt?: string) {
    if (!STREAM.test(streamId)) throw new Problem(400, 'request.invalid', 'streamId is kind:id, e.g. task:T-07', [{ field: 'streamId', reason: 'is not kind:id' }]);
    const events = await this.ledger.readStream(streamId, { knownAt: time(knownAt, 'knownAt') });
    if (events.length === 0 && !knownAt) throw new Problem(404, 'stream.not_found', `No events on ${streamId}`);
    return { streamId, version: events.at(-1)?.streamVersion ?? 0, events, cut: { knownAt: knownAt ?? null } };
  }

  @Get('activity')
  @ApiOperation({ summary: 'Who recorded what: events by unit, by key, by recording time; page with `after`' })
  async activity(@Query() query: { unit?: string; actor?: string; from?: string; to?: string; after?: string; limit?: string }) {
    const after = query.after === undefined ? 0 : Number(bound(query.after, 'after')?.position ?? NaN);
    const limit = query.limit === undefined ? 500 : Number(bound(query.limit, 'limit')?.position ?? NaN);
    if (!Number.isInteger(after) || !Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new Problem(400, 'request.invalid', 'after and limit are whole numbers (limit 1–10000)', [{ field: 'limit', reason: 'is out of range' }]);
    }
    const events = await this.ledger.activity({
      unitId: id(query.unit, 'unit'), keyId: id(query.actor, 'actor'), from: time(query.from, 'from'), to: time(query.to, 'to'), after, limit,
    });
    return { events, next: events.length === limit ? events[events.length - 1].globalPosition : null };
  }

  @Get('diff')
  @ApiOperation({ summary: 'What changed in a view between two cuts (positions or moments), and the events that changed it' })
  async diff(@Query() query: { view?: string; planId?: string; from?: string; to?: string; asOf?: string }) {
    if (query.view !== 'plan-progress') {
      throw new Problem(400, 'request.invalid', 'view must be plan-progress', [{ field: 'view', reason: 'must be plan-progress' }]);
    }
    const planId = id(query.planId, 'planId');
    if (!planId) throw new Problem(400, 'request.invalid', 'planId is required', [{ field: 'planId', reason: 'is required' }]);
    const from = bound(query.from, 'from') ?? { position: 0 };
    const to = bound(query.to, 'to') ?? {};
    const asOf = time(query.asOf, 'asOf');
    const at = async (b: Bound) => ({ progress: await this.queries.progress(planId, { ...b, asOf }), tasks: await this.queries.tasks(planId, { ...b, asOf }) });
    const [before, after] = [await at(from), await at(to)];
    if (!after.progress) throw new Problem(404, 'view.not_found', `Plan ${planId} does not exist at the later cut`);
    const fromPosition = before.progress?.cut.position ?? (from.position ?? 0);
    const toPosition = after.progress.cut.position;
    const beforeTasks = new Map((before.tasks?.tasks ?? []).map((t) => [t.taskId, t]));
    const changed = after.tasks!.tasks
      .map((t) => ({ taskId: t.taskId, before: beforeTasks.get(t.taskId) ?? null, after: t }))
      .filter((c) => JSON.stringify(c.before) !== JSON.stringify(c.after));
    const streams = [`plan:${planId}`, ...after.tasks!.tasks.map((t) => `task:${t.taskId}`)];
    const events = (await Promise.all(streams.map((s) => this.ledger.readStream(s))))
      .flat()
      .filter((e) => e.globalPosition > fromPosition && e.globalPosition <= toPosition)
      .sort((a, b) => a.globalPosition - b.globalPosition);
    return {
      view: 'plan-progress', planId,
      from: before.progress ?? { cut: { position: fromPosition } },
      to: after.progress,
      changed,
      events,
    };
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute every hash and walk every chain: { ok, checked, firstBrokenPosition? }' })
  verify() {
    return this.ledger.verify();
  }

  @Get('export')
  @ApiProduces('application/x-tar')
  @ApiOperation({ summary: 'A bundle (tar: events.ndjson + manifest.json with hashes and anchors), checkable offline: npm run reform-ledger -- verify bundle.tar' })
  async export(@Query('from') fromQuery: string | undefined, @Query('to') toQuery: string | undefined, @Res() res: Response) {
    const positionOf = async (b: Bound | undefined, fallback: number) =>
      b === undefined ? fallback : b.position ?? (await this.ledger.positionAt(b.knownAt!));
    const head = await this.ledger.headPosition();
    const first = await positionOf(bound(fromQuery, 'from'), 1);
    const last = Math.min(await positionOf(bound(toQuery, 'to'), head), head);
    const events: ExportedEvent[] = [];
    for await (const batch of this.ledger.exportRange({ after: Math.max(0, first - 1), to: last })) events.push(...batch);
    const verified = await this.ledger.verify();
    const bundle = buildBundle(events, { afterPosition: Math.max(0, first - 1), toPosition: last }, verified, new Date().toISOString());
    res.setHeader('Content-Type', 'application/x-tar');
    res.setHeader('Content-Disposition', `attachment; filename="reform-ledger-${Math.max(1, first)}-${last}.tar"`);
    res.send(bundle);
  }
}
