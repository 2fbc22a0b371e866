import { applyDecorators, Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Projector, ViewName, ViewQueries } from '@reform-ledger/projections';
import { AuthGuard } from '../auth/auth.guard';
import { Problem } from '../problem';
import { parseCut, ReadQuery } from './cut';

const READ_YOUR_WRITES_MS = 5_000;

/** The cut every read route takes, documented once. */
const CutParams = () => applyDecorators(
  ApiQuery({ name: 'asOf', required: false, description: 'Valid time: the world on this date (or datetime), as known now', example: '2022-11-30' }),
  ApiQuery({ name: 'knownAt', required: false, description: 'Transaction time: only what the ledger held at this moment', example: '2022-12-05T10:00:00Z' }),
  ApiQuery({ name: 'position', required: false, description: 'Ledger position: only events up to it' }),
  ApiQuery({ name: 'minPosition', required: false, description: 'Read your writes: wait (up to 5 s, else 503) until the view has applied this position' }),
);

/** The views managers read, at any cut. Every role may read. */
@ApiTags('views')
@ApiBearerAuth()
@Controller('api/v1')
@UseGuards(AuthGuard)
export class ViewsController {
  constructor(
    private readonly queries: ViewQueries,
    private readonly projector: Projector,
  ) {}

  /** Parses the cut and waits until the views have what the caller needs (its own write, or the position it asks for). */
  private async cut(views: ViewName[], query: ReadQuery, res: Response) {
    const cut = parseCut(query);
    const needed = Math.max(cut.minPosition ?? 0, cut.position ?? 0);
    if (needed > 0 && !(await this.projector.waitFor(views, needed, READ_YOUR_WRITES_MS))) {
      res.setHeader('Retry-After', '1');
      throw new Problem(503, 'view.behind', `The views have not reached position ${needed} yet; retry shortly`,
        [{ field: cut.minPosition !== undefined ? 'minPosition' : 'position', reason: 'is beyond what the views have applied' }]);
    }
    return cut;
  }

  private found<T>(value: T | null, what: string): T {
    if (value === null) throw new Problem(404, 'view.not_found', `${what} does not exist at this cut`);
    return value;
  }

  @Get('plans')
  @ApiOperation({ summary: 'Plans, with id, year, document and owner unit' })
  @ApiQuery({ name: 'year', required: false, example: 2022 })
  @CutParams()
  async plans(@Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['plan-progress'], query, res);
    return this.queries.plans(cut.year, cut);
  }

  @Get('plans/:planId/progress')
  @ApiOperation({ summary: 'Plan progress: total, completed (on time), overdue, in progress, by field and by lead unit' })
  @CutParams()
  async progress(@Param('planId') planId: string, @Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['plan-progress'], query, res);
    return this.found(await this.queries.progress(planId, cut), `Plan ${planId}`);
  }

  @Get('plans/:planId/tasks')
  @ApiOperation({ summary: 'The task board: each task with status, lead unit, due and completion dates' })
  @CutParams()
  async tasks(@Param('planId') planId: string, @Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['plan-progress'], query, res);
    return this.found(await this.queries.tasks(planId, cut), `Plan ${planId}`);
  }

  @Get('inspections')
  @ApiOperation({ summary: 'Inspections of a year (by the start of their period)' })
  @ApiQuery({ name: 'year', required: false, example: 2022 })
  @CutParams()
  async inspections(@Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['inspection-log'], query, res);
    return this.queries.inspections(cut.year, cut);
  }

  @Get('inspections/:inspectionId/log')
  @ApiOperation({ summary: 'Inspection log: visits in date order, visits per unit, coverage of the targets' })
  @CutParams()
  async inspectionLog(@Param('inspectionId') inspectionId: string, @Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['inspection-log', 'registry'], query, res);
    return this.found(await this.queries.inspectionLog(inspectionId, cut), `Inspection ${inspectionId}`);
  }

  @Get('recruitments')
  @ApiOperation({ summary: 'Recruitment drives of a year, with kind, plan document and status' })
  @ApiQuery({ name: 'year', required: false, example: 2022 })
  @CutParams()
  async recruitments(@Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['recruitment-pipeline'], query, res);
    return this.queries.recruitments(cut.year, cut);
  }

  @Get('recruitments/:recruitmentId/pipeline')
  @ApiOperation({ summary: 'Recruitment pipeline per position: quota, applications, eligible, ineligible, passed, appointed' })
  @CutParams()
  async pipeline(@Param('recruitmentId') recruitmentId: string, @Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['recruitment-pipeline'], query, res);
    return this.found(await this.queries.pipeline(recruitmentId, cut), `Recruitment ${recruitmentId}`);
  }

  @Get('data-quality')
  @ApiOperation({ summary: 'Facts accepted as reported that look wrong: a report dated before its period, a reused number and symbol, a plan 100% done with late tasks' })
  @CutParams()
  async dataQuality(@Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['registry', 'plan-progress'], query, res);
    return this.queries.dataQuality(cut);
  }

  @Get('legal-documents')
  @ApiOperation({ summary: 'Legal-document register: documents and counts (drafted, appraised, issued, in force, expired) for a year' })
  @ApiQuery({ name: 'year', required: false, example: 2022 })
  @CutParams()
  async legalDocuments(@Query() query: ReadQuery, @Res({ passthrough: true }) res: Response) {
    const cut = await this.cut(['legal-register', 'registry'], query, res);
    return this.queries.legalDocuments(cut.year, cut);
  }
}
