import { writeFileSync } from 'node:fs';
import { Database, KeyRing, LedgerTree, TreeHeadSigner } from '@reform-ledger/ledger';
import { ledgerOver } from '../database.module';
import { Projector, TemporalStore, ViewReader, VIEWS } from '@reform-ledger/projections';
import { provinceCutoffs, REPORT_VIEWS } from '@reform-ledger/reports';
import { render } from '../messages';
import { Problem } from '../problem';
import { parseQuery, PARAMS, ParsedQuery } from '../query-params';
import { REPORT_PARAM_KEYS, writeCchcReport } from './reports.controller';

export const REPORT_USAGE = 'usage: npm run report -- cchc --year <yyyy> [--period year|H1|Q1|Q2|Q3|Q4] [--as-of <date>] [--known-at <instant>] '
  + '[--position <n>] [--unit <unitId>] -o <file.docx>';

/** Each flag is a parameter of GET /api/v1/reports/cchc: --as-of is asOf, --unit is unitId. */
const FLAGS: Record<string, string> = {
  '--year': PARAMS.year.name, '--period': PARAMS.period.name, '--as-of': PARAMS.asOf.name, '--known-at': PARAMS.knownAt.name,
  '--position': PARAMS.position.name, '--unit': PARAMS.unitId.name,
};

/** The route's parameter names as this command's flags (asOf is --as-of), in what a refusal says. */
const FLAG_OF = new Map(Object.entries(FLAGS).map(([flag, name]) => [name, flag]));
const asFlags = (text: string) => text.replace(/\b(asOf|knownAt|unitId)\b/g, (name) => FLAG_OF.get(name) ?? name);

/** A refusal as the API would word it (in Vietnamese), for the terminal, naming flags rather than parameters. */
const said = (problem: Problem) => {
  const detail = render(problem.detailKey, problem.params, 'vi');
  const reasons = problem.errors.map((e) => ({ field: e.field, reason: render(e.reason, e.params ?? {}, 'vi') }));
  return asFlags([detail, ...reasons.filter((e) => e.reason !== detail).map((e) => `${FLAG_OF.get(e.field) ?? e.field}: ${e.reason}`)].join('\n  '));
};

/**
 * The signed head the report's last page carries: as the API does, one is signed now when this machine
 * holds the ledger's key (LEDGER_SIGNING_KEY), so a report made right after a write is not left without
 * one; elsewhere, the latest head that covers the cut.
 */
const headSignedNow = (db: Database) => async (position: number) => {
  const tree = new LedgerTree(db.pool);
  if ((await tree.headCovering(position)) === null) {
    const keys = (() => {
      try {
        return KeyRing.open({ create: false });
      } catch {
        return undefined; // no key here (or not ours to read): the report says no head covers its cut yet
      }
    })();
    if (keys) await new TreeHeadSigner(db.pool, keys).signNow().catch(() => undefined); // none over a ledger that no longer extends its last head
  }
  return tree.headCovering(position);
};

export type ReportArgs = { query: ParsedQuery; output: string };

/**
 * The command line's flags as the route's parameters, checked by the same parser and refused in the same
 * words — before any database is opened, so a mistyped flag is answered at once.
 */
export const parseReportArgs = (args: string[]): ReportArgs => {
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
  try {
    return { query: parseQuery(REPORT_PARAM_KEYS, query), output };
  } catch (error) {
    if (error instanceof Problem) throw new Error(`${said(error)}\n${REPORT_USAGE}`);
    throw error;
  }
};

/**
 * `npm run report -- cchc --year 2022 --as-of 2022-11-30 -o bao-cao-cchc-2022.docx`: the same report as
 * GET /api/v1/reports/cchc, written to a file. Catches the views up to the ledger's head first (a projector
 * of its own; if the API's holds the lease, that one does the work), so the report is as fresh as the ledger.
 */
export const reportCommand = async ({ query: parsed, output }: ReportArgs, db: Database, log: (line: string) => void = console.log) => {
  const ledger = ledgerOver(db);
  const store = await TemporalStore.open(db.url);
  const projector = new Projector(ledger, store, VIEWS);
  try {
    projector.start();
    const head = await ledger.headPosition();
    if (!(await projector.waitFor(REPORT_VIEWS.map((v) => v.name), head, 120_000))) throw new Error(`the views did not reach the ledger's head (${head}) in 2 minutes`);
    const started = performance.now();
    const { request, input, docx } = await writeCchcReport({ reader: new ViewReader(store, ledger), ledger, projector, treeHead: headSignedNow(db) }, parsed,
      provinceCutoffs(process.env.REPORT_CUTOFFS));
    writeFileSync(output, docx);
    log(`${output}: the CCHC report (${request.period} ${request.year}) of ${input.unit.name}, as of ${input.cut.asOf}, ledger position ${input.cut.position}`
      + `${input.cut.knownAt ? `, known at ${input.cut.knownAt}` : ''}; ${docx.length} bytes in ${Math.round(performance.now() - started)} ms`);
    return { output, cut: input.cut };
  } catch (error) {
    if (error instanceof Problem) throw new Error(`${said(error)}\n${REPORT_USAGE}`);
    throw error;
  } finally {
    await projector.stop();
    await store.close();
  }
};
