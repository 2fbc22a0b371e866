import { writeFileSync } from 'node:fs';
import { Database, Ledger } from '@reform-ledger/ledger';
import { Projector, TemporalStore, ViewQueries, VIEWS } from '@reform-ledger/projections';
import { buildCchcReport, gatherCchc, noSignedTreeHead, provinceCutoffs, renderDocx, REPORT_VIEWS } from '@reform-ledger/reports';
import { Problem } from '../problem';
import { parseReportQuery } from './reports.controller';

export const REPORT_USAGE = 'usage: npm run report -- cchc --year <yyyy> [--period year|H1|Q1|Q2|Q3|Q4] [--as-of <date>] [--known-at <instant>] '
  + '[--position <n>] [--unit <unitId>] -o <file.docx>';

const FLAGS: Record<string, string> = {
  '--year': 'year', '--period': 'period', '--as-of': 'asOf', '--known-at': 'knownAt', '--position': 'position', '--unit': 'unitId',
};

/**
 * `npm run report -- cchc --year 2022 --as-of 2022-11-30 -o bao-cao-cchc-2022.docx`: the same report as
 * GET /api/v1/reports/cchc, written to a file. The flags are the route's parameters and are checked by
 * the same parser. Catches the views up to the ledger's head first (a projector of its own; if the API's
 * holds the lease, that one does the work), so the report is as fresh as the ledger.
 */
export const reportCommand = async (args: string[], db: Database, log: (line: string) => void = console.log) => {
  const [kind, ...rest] = args;
  if (kind !== 'cchc') throw new Error(REPORT_USAGE);
  const query: Record<string, string> = {};
  let output: string | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value\n${REPORT_USAGE}`);
    if (flag === '-o' || flag === '--output') output = value;
    else if (FLAGS[flag]) query[FLAGS[flag]] = value;
    else throw new Error(`unknown option ${flag}\n${REPORT_USAGE}`);
  }
  if (!output) throw new Error(`-o <file.docx> is required\n${REPORT_USAGE}`);
  let request: ReturnType<typeof parseReportQuery>;
  try {
    request = parseReportQuery(query);
  } catch (error) {
    if (error instanceof Problem) throw new Error(`${error.detail}: ${error.errors.map((e) => `${e.field} ${e.reason}`).join('; ')}\n${REPORT_USAGE}`);
    throw error;
  }

  const ledger = new Ledger(db.pool);
  const store = await TemporalStore.open(db.url);
  const projector = new Projector(ledger, store, VIEWS);
  try {
    projector.start();
    const head = await ledger.headPosition();
    if (!(await projector.waitFor(REPORT_VIEWS, head, 120_000))) throw new Error(`the views did not reach the ledger's head (${head}) in 2 minutes`);
    const started = performance.now();
    const input = await gatherCchc({ queries: new ViewQueries(store, ledger), store, ledger, treeHead: noSignedTreeHead }, request,
      provinceCutoffs(process.env.REPORT_CUTOFFS));
    const docx = await renderDocx(buildCchcReport(input));
    writeFileSync(output, docx);
    log(`${output}: báo cáo CCHC ${request.period} ${request.year} of ${input.unit.name}, as of ${input.cut.asOf}, ledger position ${input.cut.position}`
      + `${input.cut.knownAt ? `, known at ${input.cut.knownAt}` : ''}; ${docx.length} bytes in ${Math.round(performance.now() - started)} ms`);
    return { output, cut: input.cut };
  } finally {
    await projector.stop();
    await store.close();
  }
};
