import { Controller, Get, Inject, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ledger } from '@reform-ledger/ledger';
import { Projector, TemporalStore, ViewQueries } from '@reform-ledger/projections';
import {
  buildCchcReport, Cutoffs, gatherCchc, isPeriod, noSignedTreeHead, Period, PERIODS, provinceCutoffs, renderDocx, REPORT_VIEWS,
  ReportRequestError, TreeHeadSource,
} from '@reform-ledger/reports';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { ID_PATTERN } from '../events/fields';
import { Problem } from '../problem';
import { parseCut, ReadQuery } from '../views/cut';
import { SheetFormatInterceptor } from './sheet-format.interceptor';

/** The source of the signed tree head on the report's last page (issue 11 provides a real one). */
export const TREE_HEAD = Symbol('TREE_HEAD');
/** Per-province report cut-offs (built-in, plus REPORT_CUTOFFS). */
export const REPORT_CUTOFFS = Symbol('REPORT_CUTOFFS');

/**
 * The report's providers, and `?format=xlsx|csv` on the read routes. The tree head comes from
 * `noSignedTreeHead` until the ledger signs its heads (issue 11): then TREE_HEAD becomes the ledger's
 * current signed head.
 */
export const REPORT_PROVIDERS = [
  { provide: APP_INTERCEPTOR, useClass: SheetFormatInterceptor },
  { provide: TREE_HEAD, useValue: noSignedTreeHead },
  { provide: REPORT_CUTOFFS, useFactory: () => provinceCutoffs(process.env.REPORT_CUTOFFS) },
];

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const KNOWN = new Set(['year', 'period', 'asOf', 'knownAt', 'position', 'minPosition', 'unitId']);
const READ_YOUR_WRITES_MS = 5_000;

type ReportQuery = ReadQuery & { period?: string; unitId?: string };

/** Parses the report's parameters; 400 naming each bad one (in Vietnamese). */
export const parseReportQuery = (query: ReportQuery) => {
  const unknown = Object.keys(query).filter((k) => !KNOWN.has(k));
  if (unknown.length) {
    throw new Problem(400, 'request.invalid', `Tham số không được hỗ trợ: ${unknown.join(', ')}`,
      unknown.map((field) => ({ field, reason: `không phải tham số của báo cáo; các tham số: ${[...KNOWN].join(', ')}` })));
  }
  if (query.year === undefined) throw new Problem(400, 'request.invalid', 'Thiếu năm báo cáo', [{ field: 'year', reason: 'bắt buộc, ví dụ 2022' }]);
  const cut = parseCut(query);
  if (query.period !== undefined && !isPeriod(query.period)) {
    throw new Problem(400, 'request.invalid', 'Kỳ báo cáo không hợp lệ', [{ field: 'period', reason: `phải là một trong ${PERIODS.join(', ')}` }]);
  }
  if (query.unitId !== undefined && (typeof query.unitId !== 'string' || !ID_PATTERN.test(query.unitId))) {
    throw new Problem(400, 'request.invalid', 'Mã đơn vị không hợp lệ', [{ field: 'unitId', reason: 'phải là mã đơn vị (chữ, số, . _ ~ -)' }]);
  }
  return { ...cut, year: cut.year!, period: (query.period ?? 'year') as Period, unitId: query.unitId };
};

/** The CCHC report, written from the views at a cut. Managers, inspectors and admins. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
@UseGuards(AuthGuard)
@Roles('manager', 'inspector', 'admin')
export class ReportsController {
  constructor(
    private readonly queries: ViewQueries,
    private readonly store: TemporalStore,
    private readonly ledger: Ledger,
    private readonly projector: Projector,
    @Inject(TREE_HEAD) private readonly treeHead: TreeHeadSource,
    @Inject(REPORT_CUTOFFS) private readonly cutoffs: Record<string, Partial<Cutoffs>>,
  ) {}

  @Get('cchc')
  @ApiOperation({
    summary: 'The CCHC report (annual or periodic) as a DOCX draft in the format of Nghị định 30/2020/NĐ-CP, every figure from the views at one cut',
    description: 'asOf defaults to the period\'s cut-off for the reporting unit\'s province (national: the 14th of the period\'s last month; Đắk Nông: 30/11 for the year). '
      + 'unitId defaults to the owner of the year\'s CCHC plan highest in the unit tree.',
  })
  @ApiProduces(DOCX_TYPE)
  @ApiQuery({ name: 'year', required: true, example: 2022 })
  @ApiQuery({ name: 'period', required: false, enum: PERIODS, example: 'year' })
  @ApiQuery({ name: 'asOf', required: false, example: '2022-11-30' })
  @ApiQuery({ name: 'knownAt', required: false, example: '2022-12-05T10:00:00Z' })
  @ApiQuery({ name: 'position', required: false })
  @ApiQuery({ name: 'minPosition', required: false })
  @ApiQuery({ name: 'unitId', required: false, example: 'ubnd-dak-song' })
  async cchc(@Query() query: ReportQuery, @Res({ passthrough: true }) res: Response) {
    const request = parseReportQuery(query);
    const needed = Math.max(request.minPosition ?? 0, request.position ?? 0);
    if (needed > 0 && !(await this.projector.waitFor(REPORT_VIEWS, needed, READ_YOUR_WRITES_MS))) {
      res.setHeader('Retry-After', '1');
      throw new Problem(503, 'view.behind', `Các bảng tổng hợp chưa đến vị trí ${needed}; thử lại sau ít giây`,
        [{ field: request.minPosition !== undefined ? 'minPosition' : 'position', reason: 'vượt quá vị trí các bảng tổng hợp đã áp dụng' }]);
    }
    try {
      const input = await gatherCchc({ queries: this.queries, store: this.store, ledger: this.ledger, treeHead: this.treeHead }, request, this.cutoffs);
      const docx = await renderDocx(buildCchcReport(input));
      res.setHeader('X-Report-Cut', JSON.stringify(input.cut));
      const name = `bao-cao-cchc-${request.year}${request.period === 'year' ? '' : `-${request.period.toLowerCase()}`}-${input.cut.asOf}.docx`;
      return new StreamableFile(docx, { type: DOCX_TYPE, disposition: `attachment; filename="${name}"`, length: docx.length });
    } catch (error) {
      if (error instanceof ReportRequestError) throw new Problem(error.status, error.code, error.message, [{ field: error.field, reason: error.message }]);
      throw error;
    }
  }
}
