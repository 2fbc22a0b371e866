import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { RecordKind } from '@reform-ledger/domain';
import { Ledger } from '@reform-ledger/ledger';
import {
  dataQualityQuery, documentsQuery, inspectionLogQuery, MAX_SERIES_POINTS, seriesDays, seriesQuery, unitsQuery, inspectionsQuery, legalDocumentsQuery, pipelineQuery, plansQuery, progressQuery, Projector,
  recruitmentsQuery, tasksQuery, ViewQuery, ViewReader,
} from '@reform-ledger/projections';
import { AuthGuard } from '../auth/auth.guard';
import { ApiProblems, ApiResult, ApiViewResult } from '../openapi';
import { invalid, Problem } from '../problem';
import { CUT, Parsed, ParsedQuery, QueryParams, VIEW_READ } from '../query-params';
import { readyCut } from './ready-cut';

/** The views managers read, at any cut; each as JSON, or with format=xlsx|csv as a spreadsheet. Every role may read. */
@ApiTags('views')
@ApiBearerAuth()
@Controller('api/v1')
@UseGuards(AuthGuard)
export class ViewsController {
  constructor(
    private readonly reader: ViewReader,
    private readonly projector: Projector,
    private readonly ledger: Ledger,
  ) {}

  /** Answers a query at the cut asked, once the views it reads are ready for it (readyCut). */
  private async answer<A extends unknown[], R>(query: ViewQuery<A, R>, p: ParsedQuery, ...args: A): Promise<R> {
    const cut = await readyCut({ ledger: this.ledger, projector: this.projector, reader: this.reader }, query.views, p);
    return this.reader.answer(query, cut, ...args);
  }

  private found<T>(value: T | null, kind: RecordKind, id: string): T {
    if (value === null) throw new Problem(404, 'view.not_found', { kind, id });
    return value;
  }

  @Get('plans')
  @ApiOperation({ summary: 'Plans, with their year, owner unit, own issuing document and amendments' })
  @QueryParams('year', ['unitId', 'Only the plans this unit owns'], ...VIEW_READ)
  @ApiViewResult('PlanList')
  @ApiProblems(400, 401, 503)
  plans(@Parsed() p: ParsedQuery) {
    return this.answer(plansQuery, p, { year: p.year, unitId: p.unitId });
  }

  @Get('plans/:planId/progress')
  @ApiOperation({ summary: 'Plan progress: total, completed (on time), overdue, in progress, with a progress report, by field and by lead unit' })
  @ApiParam({ name: 'planId', example: 'cchc-2022' })
  @QueryParams(['unitId', 'Only the tasks this unit leads'], ...VIEW_READ)
  @ApiViewResult('PlanProgress')
  @ApiProblems(400, 401, 404, 503)
  async progress(@Param('planId') planId: string, @Parsed() p: ParsedQuery) {
    return this.found(await this.answer(progressQuery, p, planId, { unitId: p.unitId }), 'plan', planId);
  }

  @Get('plans/:planId/progress/series')
  @ApiOperation({
    summary: 'Plan progress at a series of days (valid time) as known at one cut (knownAt or position): the burn-up of the plan year in one call',
    description: 'Each point counts as GET …/progress?asOf=<point> does. from and to default to the plan\'s year; asOf is not taken (the points are the valid times).',
  })
  @ApiParam({ name: 'planId', example: 'cchc-2022' })
  @QueryParams('seriesFrom', 'seriesTo', 'step', ['unitId', 'Only the tasks this unit leads'], 'knownAt', 'position', 'minPosition')
  @ApiResult('ProgressSeries')
  @ApiProblems(400, 401, 404, 503)
  async series(@Param('planId') planId: string, @Parsed() p: ParsedQuery) {
    const range = { from: p.seriesFrom, to: p.seriesTo, step: p.step ?? 'week' };
    if (range.from && range.to) {
      if (range.to < range.from) throw invalid([{ field: 'to', reason: 'query.series_order', params: { from: range.from, to: range.to } }]);
      if (seriesDays({ ...range, from: range.from, to: range.to }).length > MAX_SERIES_POINTS) {
        throw invalid([{ field: 'step', reason: 'query.series_too_long', params: { max: MAX_SERIES_POINTS } }]);
      }
    }
    return this.found(await this.answer(seriesQuery, p, planId, range, { unitId: p.unitId }), 'plan', planId);
  }

  @Get('units')
  @ApiOperation({ summary: 'The unit register at the cut: each unit\'s name, kind and standing (active, merged into another, dissolved), by name' })
  @QueryParams(...CUT)
  @ApiResult('UnitList')
  @ApiProblems(400, 401, 503)
  units(@Parsed() p: ParsedQuery) {
    return this.answer(unitsQuery, p);
  }

  @Get('documents')
  @ApiOperation({
    summary: 'The document register at the cut: each document\'s number and symbol, type, date, issuer and title, newest first',
    description: 'What a form cites as evidence or basis (evidenceDocumentId, documentId): pick one by its number or title with q.',
  })
  @QueryParams(['unitId', 'Only the documents this unit issued or registered'], 'q', ['limit', 'At most this many documents (1–10000), newest first; total counts them all'], ...CUT)
  @ApiResult('DocumentList')
  @ApiProblems(400, 401, 503)
  documents(@Parsed() p: ParsedQuery) {
    return this.answer(documentsQuery, p, { unitId: p.unitId, q: p.q, limit: p.limit ?? 500 });
  }

  @Get('plans/:planId/tasks')
  @ApiOperation({ summary: 'The task board: each task with status, lead unit, due and completion days, and its latest reported progress' })
  @ApiParam({ name: 'planId', example: 'cchc-2022' })
  @QueryParams(['unitId', 'Only the tasks this unit leads'], ...VIEW_READ)
  @ApiViewResult('TaskBoard')
  @ApiProblems(400, 401, 404, 503)
  async tasks(@Param('planId') planId: string, @Parsed() p: ParsedQuery) {
    return this.found(await this.answer(tasksQuery, p, planId, { unitId: p.unitId }), 'plan', planId);
  }

  @Get('inspections')
  @ApiOperation({ summary: 'Inspections of a year (by the start of their period), with status, coverage, the documents they cite and their conclusion' })
  @QueryParams('year', ['unitId', 'Only the inspections this unit leads, is on the team of, or visits'], ...VIEW_READ)
  @ApiViewResult('InspectionList')
  @ApiProblems(400, 401, 503)
  inspections(@Parsed() p: ParsedQuery) {
    return this.answer(inspectionsQuery, p, { year: p.year, unitId: p.unitId });
  }

  @Get('inspections/:inspectionId/log')
  @ApiOperation({ summary: 'Inspection log: visits in date order, the visits and findings of each unit, coverage of the targets' })
  @ApiParam({ name: 'inspectionId', example: 'kt-ct01-2022' })
  @QueryParams(['unitId', 'Only this unit\'s visits, findings and coverage'], ...VIEW_READ)
  @ApiViewResult('InspectionLog')
  @ApiProblems(400, 401, 404, 503)
  async inspectionLog(@Param('inspectionId') inspectionId: string, @Parsed() p: ParsedQuery) {
    return this.found(await this.answer(inspectionLogQuery, p, inspectionId, { unitId: p.unitId }), 'inspection', inspectionId);
  }

  @Get('recruitments')
  @ApiOperation({ summary: 'Recruitment drives of a year, with kind, stage and the documents of their steps (plan, notice, council, result)' })
  @QueryParams('year', ['unitId', 'Only the drives this unit owns'], ...VIEW_READ)
  @ApiViewResult('RecruitmentList')
  @ApiProblems(400, 401, 503)
  recruitments(@Parsed() p: ParsedQuery) {
    return this.answer(recruitmentsQuery, p, { year: p.year, unitId: p.unitId });
  }

  @Get('recruitments/:recruitmentId/pipeline')
  @ApiOperation({ summary: 'Recruitment pipeline per position and in total: quota, applications, withdrawn, eligible, ineligible, pending, passed, appointed' })
  @ApiParam({ name: 'recruitmentId', example: 'vien-chuc-2022' })
  @QueryParams(...VIEW_READ)
  @ApiViewResult('RecruitmentPipeline')
  @ApiProblems(400, 401, 404, 503)
  async pipeline(@Param('recruitmentId') recruitmentId: string, @Parsed() p: ParsedQuery) {
    return this.found(await this.answer(pipelineQuery, p, recruitmentId), 'recruitment', recruitmentId);
  }

  @Get('data-quality')
  @ApiOperation({ summary: 'Facts accepted as reported that look wrong: a report dated before its period, a reused number and symbol, a plan 100% done with late tasks' })
  @QueryParams(['unitId', 'Only findings about the documents this unit issued and the plans it owns'], ...VIEW_READ)
  @ApiViewResult('DataQuality')
  @ApiProblems(400, 401, 503)
  dataQuality(@Parsed() p: ParsedQuery) {
    return this.answer(dataQualityQuery, p, { unitId: p.unitId });
  }

  @Get('legal-documents')
  @ApiOperation({ summary: 'Legal-document register: documents and counts (drafted, appraised, issued, in force, expired) for a year' })
  @QueryParams('year', ['unitId', 'This unit\'s register: the documents it drafts or issues, and the drafts prepared by the units under it'], ...VIEW_READ)
  @ApiViewResult('LegalRegister')
  @ApiProblems(400, 401, 503)
  legalDocuments(@Parsed() p: ParsedQuery) {
    return this.answer(legalDocumentsQuery, p, { year: p.year, unitId: p.unitId });
  }
}
