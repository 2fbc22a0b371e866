import type { IsoDate } from '@reform-ledger/calendar';
import {
  ancestorsOf, AnsweredCut, At, CutQuery, dataQualityQuery, inspectionLogQuery, inspectionsQuery, legalDocumentsQuery, pipelineQuery, plansQuery,
  progressQuery, recruitmentsQuery, subtreeOf, tasksQuery,
} from '@reform-ledger/projections';
import { Cutoffs, cutoffDate, Period, periodEnd, PROVINCE_CUTOFFS } from '../periods';
import {
  Finding, InspectionLogAnswer, InspectionsAnswer, LegalDocumentsAnswer, PipelineAnswer, PlansAnswer, ProgressAnswer, readRegistry, Registry,
  RecruitmentsAnswer, REPORT_VIEWS, ReportSources, SignedTreeHead, TasksAnswer, UnitInfo,
} from '../sources';

export type CchcRequest = { year: number; period: Period; asOf?: string; knownAt?: string; position?: number; unitId?: string };

/**
 * A request the ledger cannot answer as asked: the API turns it into a 4xx problem naming the field,
 * its message written from `code` and `params` by the API's catalogue (report.unit_required, report.unit_not_found).
 */
export class ReportRequestError extends Error {
  constructor(readonly status: 400 | 404, readonly code: string, readonly field: string, readonly params: Record<string, unknown>) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'ReportRequestError';
  }
}

/** Everything the annual/periodic CCHC report says, as the views answered it at one cut. */
export type CchcInput = {
  year: number;
  period: Period;
  cut: AnsweredCut;
  /** The Vietnamese day the figures are for (asOf's; an instant's day in the ledger's zone): overdue and stages are counted against it. */
  day: IsoDate;
  unit: UnitInfo;
  /** The unit above the reporting one (the report goes to it), if registered. */
  parent: UnitInfo | null;
  registry: Registry;
  plans: { plan: PlansAnswer['plans'][number]; progress: ProgressAnswer; tasks: TasksAnswer }[];
  inspections: { summary: InspectionsAnswer['inspections'][number]; log: InspectionLogAnswer }[];
  recruitments: { summary: RecruitmentsAnswer['recruitments'][number]; pipeline: PipelineAnswer }[];
  legal: LegalDocumentsAnswer;
  findings: Finding[];
  treeHead: SignedTreeHead | null;
};

/**
 * The reporting unit when none is named: the owner of the year's CCHC plan that sits highest in the
 * unit tree (a district's plan, not its communes').
 */
const topUnit = (plans: PlansAnswer['plans'], registry: Registry, year: number): string => {
  const owners = [...new Set(plans.map((p) => p.ownerUnitId))];
  const tops = owners.filter((o) => !ancestorsOf(o, registry.units).some((a) => owners.includes(a.unitId)));
  if (tops.length === 1) return tops[0];
  throw new ReportRequestError(400, 'report.unit_required', 'unitId', { year, units: tops });
};

const provinceOf = (unit: UnitInfo, registry: Registry): string | null =>
  unit.kind === 'province' ? unit.unitId : ancestorsOf(unit.unitId, registry.units).find((u) => u.kind === 'province')?.unitId ?? null;

/**
 * Reads every figure of the report at one cut: the cut is resolved once over all the views (so no
 * figure comes from a later state than another), then every query runs at that same cut.
 */
export const gatherCchc = async (sources: ReportSources, request: CchcRequest, cutoffs: Record<string, Partial<Cutoffs>> = PROVINCE_CUTOFFS): Promise<CchcInput> => {
  const { reader } = sources;
  const { year, period } = request;
  const pinned: CutQuery = { knownAt: request.knownAt, position: request.position };
  // Who reports, and so which province's cut-off applies, as the registry stands at the period's end.
  const probe = await reader.at(REPORT_VIEWS, { ...pinned, asOf: request.asOf ?? periodEnd(year, period) });
  const probeRegistry = await readRegistry(probe);
  const unitId = request.unitId ?? topUnit((await plansQuery.run(probe, { year })).plans, probeRegistry, year);
  const probeUnit = probeRegistry.units.get(unitId);
  if (!probeUnit) throw new ReportRequestError(404, 'report.unit_not_found', 'unitId', { unitId });
  const asOf = request.asOf ?? cutoffDate(year, period, provinceOf(probeUnit, probeRegistry), cutoffs);

  const at: At = await reader.at(REPORT_VIEWS, { ...pinned, asOf });
  const registry = await readRegistry(at);
  const unit = registry.units.get(unitId) ?? probeUnit;
  const parent = unit.parentUnitId ? registry.units.get(unit.parentUnitId) ?? null : null;
  // Inspections and drives are led by the unit's own offices (its departments, its inspection team): the unit and those under it.
  const ours = subtreeOf(unitId, registry.units);

  const plans: CchcInput['plans'] = [];
  for (const plan of (await plansQuery.run(at, { year, unitId })).plans) {
    const [progress, tasks] = [await progressQuery.run(at, plan.planId), await tasksQuery.run(at, plan.planId)];
    if (progress && tasks) plans.push({ plan, progress, tasks });
  }
  const inspections: CchcInput['inspections'] = [];
  for (const summary of (await inspectionsQuery.run(at, { year })).inspections.filter((i) => ours.has(i.leadUnitId))) {
    const log = await inspectionLogQuery.run(at, summary.inspectionId);
    if (log) inspections.push({ summary, log });
  }
  inspections.sort((a, b) => a.summary.periodFrom.localeCompare(b.summary.periodFrom) || a.summary.inspectionId.localeCompare(b.summary.inspectionId));
  const recruitments: CchcInput['recruitments'] = [];
  for (const summary of (await recruitmentsQuery.run(at, { year })).recruitments.filter((r) => ours.has(r.ownerUnitId))) {
    const pipeline = await pipelineQuery.run(at, summary.recruitmentId);
    if (pipeline) recruitments.push({ summary, pipeline });
  }
  // Viên chức before công chức cấp xã, then by approval: the order the report and its appendix follow.
  recruitments.sort((a, b) => b.pipeline.kind.localeCompare(a.pipeline.kind) || a.summary.approvedOn.localeCompare(b.summary.approvedOn));
  // The unit's own register: what it issued, and the drafts its offices prepare.
  const legal = await legalDocumentsQuery.run(at, { year, unitId });

  // Findings about this unit's records, or about documents the report cites.
  const cited = new Set<string>([
    ...plans.flatMap((p) => [p.plan.documentId, ...p.plan.amendments.map((a) => a.documentId)]),
    ...inspections.flatMap((i) => [i.summary.documentId, i.summary.teamDocumentId, i.summary.reportDocumentId]),
    ...recruitments.flatMap((r) => [r.summary.documentId, r.summary.noticeDocumentId, r.summary.councilDocumentId, r.summary.resultDocumentId]),
    ...legal.documents.map((d) => d.documentId),
  ].filter((id): id is string => !!id));
  const issuerOf = (documentId: string) => registry.documents.get(documentId)?.issuerUnitId;
  const planIds = new Set(plans.map((p) => p.plan.planId));
  const relevant = (record: string) => {
    const [kind, id] = [record.slice(0, record.indexOf(':')), record.slice(record.indexOf(':') + 1)];
    if (kind === 'document') return cited.has(id) || ours.has(issuerOf(id) ?? '');
    if (kind === 'plan') return planIds.has(id);
    return false;
  };
  const findings = (await dataQualityQuery.run(at)).findings.filter((f) => f.record.split(', ').some(relevant));

  return { year, period, cut: at.answered, day: at.day, unit, parent, registry, plans, inspections, recruitments, legal, findings, treeHead: await sources.treeHead(at.answered.position) };
};
