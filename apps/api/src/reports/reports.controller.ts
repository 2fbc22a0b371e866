import { Controller, Get, Inject, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ledger } from '@reform-ledger/ledger';
import { TreeHeads } from '../audit/tree-heads';
import { Projector, ViewReader } from '@reform-ledger/projections';
import {
  buildCchcReport, CchcRequest, Cutoffs, DOCX_TYPE, gatherCchc, provinceCutoffs, renderDocx, REPORT_VIEWS, ReportRequestError,
  ReportSources, TreeHeadSource,
} from '@reform-ledger/reports';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { ApiProblems } from '../openapi';
import { invalid, Problem } from '../problem';
import { CUT, declaredKeys, Parsed, ParsedQuery, QueryParams } from '../query-params';
import { readyCut, ReadSide } from '../views/ready-cut';
import { SheetFormatInterceptor } from './sheet-format.interceptor';

/** The source of the signed tree head on the report's last page (issue 11 provides a real one). */
export const TREE_HEAD = Symbol('TREE_HEAD');
/** Per-province report cut-offs (built-in, plus REPORT_CUTOFFS). */
export const REPORT_CUTOFFS = Symbol('REPORT_CUTOFFS');

/**
 * The report's providers, and `?format=xlsx|csv` on the read routes. The tree head is the first signed
 * head covering the report's cut (a head is signed now if the ledger has grown since the last one).
 */
export const REPORT_PROVIDERS = [
  { provide: APP_INTERCEPTOR, useClass: SheetFormatInterceptor },
  {
    provide: TREE_HEAD, inject: [TreeHeads],
    useFactory: (heads: TreeHeads): TreeHeadSource => async (position) => {
      await heads.signer.signNow().catch(() => undefined); // none over a ledger that no longer extends its last head
      return heads.signer.tree.headCovering(position);
    },
  },
  { provide: REPORT_CUTOFFS, useFactory: () => provinceCutoffs(process.env.REPORT_CUTOFFS) },
];

/** The report's parameters, the route's and the command line's (npm run report). */
export const REPORT_PARAMS = [
  ['year', 'The year reported on (required), e.g. 2022'], 'period',
  ['unitId', 'The reporting unit (default: the owner of the year\'s CCHC plan highest in the unit tree)'], ...CUT,
] as const;
export const REPORT_PARAM_KEYS = declaredKeys(REPORT_PARAMS);

/** The report asked for by parsed parameters; the year is required (400 naming it). */
export const reportRequest = (p: ParsedQuery): CchcRequest => {
  if (p.year === undefined) throw invalid([{ field: 'year', reason: 'query.required' }]);
  return { year: p.year, period: p.period ?? 'year', asOf: p.asOf, knownAt: p.knownAt, position: p.position, unitId: p.unitId };
};

/** Writes the CCHC report at a cut the read side is ready for; what the ledger cannot answer as asked is a problem naming the field. */
export const writeCchcReport = async (side: ReadSide & { treeHead: TreeHeadSource }, p: ParsedQuery, cutoffs: Record<string, Partial<Cutoffs>>) => {
  const request = reportRequest(p);
  await readyCut(side, REPORT_VIEWS, p);
  const sources: ReportSources = { reader: side.reader, treeHead: side.treeHead };
  try {
    const input = await gatherCchc(sources, request, cutoffs);
    return { request, input, docx: await renderDocx(buildCchcReport(input)) };
  } catch (error) {
    if (error instanceof ReportRequestError) {
      throw new Problem(error.status, error.code, error.params, [{ field: error.field, reason: error.code, params: error.params }]);
    }
    throw error;
  }
};

/** The CCHC report, written from the views at a cut. Managers, inspectors and admins. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
@UseGuards(AuthGuard)
@Roles('manager', 'inspector', 'admin')
export class ReportsController {
  constructor(
    private readonly reader: ViewReader,
    private readonly ledger: Ledger,
    private readonly projector: Projector,
    @Inject(TREE_HEAD) private readonly treeHead: TreeHeadSource,
    @Inject(REPORT_CUTOFFS) private readonly cutoffs: Record<string, Partial<Cutoffs>>,
  ) {}

  @Get('cchc')
  @ApiOperation({
    summary: 'The CCHC report (annual or periodic) as a DOCX draft in the format of Nghị định 30/2020/NĐ-CP, every figure from the views at one cut',
    description: 'year is required. asOf defaults to the period\'s cut-off for the reporting unit\'s province (national: the 14th of the period\'s last month; '
      + 'Đắk Nông: 30/11 for the year). unitId defaults to the owner of the year\'s CCHC plan highest in the unit tree.',
  })
  @QueryParams(...REPORT_PARAMS)
  @ApiResponse({ status: 200, description: 'The report (DOCX); X-Report-Cut gives the cut it was read at', content: { [DOCX_TYPE]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400, 401, 403, 404, 503)
  async cchc(@Parsed() p: ParsedQuery, @Res({ passthrough: true }) res: Response) {
    const side = { reader: this.reader, ledger: this.ledger, projector: this.projector, treeHead: this.treeHead };
    const { request, input, docx } = await writeCchcReport(side, p, this.cutoffs);
    res.setHeader('X-Report-Cut', JSON.stringify(input.cut));
    const name = `bao-cao-cchc-${request.year}${request.period === 'year' ? '' : `-${request.period.toLowerCase()}`}-${input.day}.docx`;
    return new StreamableFile(docx, { type: DOCX_TYPE, disposition: `attachment; filename="${name}"`, length: docx.length });
  }
}
