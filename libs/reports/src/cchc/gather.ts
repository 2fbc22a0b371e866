import type { AnsweredCut, CutQuery } from '@reform-ledger/projections';
import { Cutoffs, cutoffDate, Period, periodEnd, PROVINCE_CUTOFFS } from '../periods';
import {
  ancestorsOf, DataQualityAnswer, Finding, InspectionLogAnswer, InspectionsAnswer, LegalDocumentsAnswer, PipelineAnswer, PlansAnswer,
  ProgressAnswer, RecordFacts, recordFacts, readRegistry, Registry, RecruitmentsAnswer, REPORT_VIEWS, ReportSources, SignedTreeHead,
  subtreeOf, TasksAnswer, UnitInfo,
} from '../sources';

export type CchcRequest = { year: number; period: Period; asOf?: string; knownAt?: string; position?: number; unitId?: string };

/** A request the ledger cannot answer as asked: the API turns it into a 4xx problem naming the field. */
export class ReportRequestError extends Error {
  constructor(readonly status: 400 | 404, readonly code: string, readonly field: string, detail: string) {
    super(detail);
    this.name = 'ReportRequestError';
  }
}

/** Everything the annual/periodic CCHC report says, as the views answered it at one cut. */
export type CchcInput = {
  year: number;
  period: Period;
  cut: AnsweredCut;
  unit: UnitInfo;
  /** The unit above the reporting one (the report goes to it), if registered. */
  parent: UnitInfo | null;
  registry: Registry;
  plans: { plan: PlansAnswer['plans'][number]; progress: ProgressAnswer; tasks: TasksAnswer }[];
  inspections: { summary: InspectionsAnswer['inspections'][number]; log: InspectionLogAnswer; facts: RecordFacts }[];
  recruitments: { summary: RecruitmentsAnswer['recruitments'][number]; pipeline: PipelineAnswer; facts: RecordFacts }[];
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
  const tops = owners.filter((o) => !ancestorsOf(o, registry.units).some((a) => owners.includes(a.id)));
  if (tops.length === 1) return tops[0];
  throw new ReportRequestError(400, 'report.unit_required', 'unitId', tops.length === 0
    ? `Sổ cái chưa có kế hoạch CCHC năm ${year}; hãy chỉ rõ đơn vị báo cáo (unitId)`
    : `Năm ${year} có kế hoạch CCHC của ${tops.length} đơn vị (${tops.join(', ')}); hãy chỉ rõ đơn vị báo cáo (unitId)`);
};

const provinceOf = (unit: UnitInfo, registry: Registry): string | null =>
  unit.kind === 'province' ? unit.id : ancestorsOf(unit.id, registry.units).find((u) => u.kind === 'province')?.id ?? null;

/**
 * Reads every figure of the report at one ledger position: the cut is resolved once over all the views
 * (so no figure comes from a later state than another), then each view is asked at that position.
 */
export const gatherCchc = async (sources: ReportSources, request: CchcRequest, cutoffs: Record<string, Partial<Cutoffs>> = PROVINCE_CUTOFFS): Promise<CchcInput> => {
  const { queries, ledger } = sources;
  const { year, period } = request;
  const pinned = { knownAt: request.knownAt, position: request.position };
  // Who reports, and so which province's cut-off applies, as the registry stands at the period's end.
  const probe: CutQuery = { ...pinned, asOf: request.asOf ?? periodEnd(year, period) };
  const probeRegistry = await readRegistry(sources, probe);
  const unitId = request.unitId ?? topUnit((await queries.plans(year, probe)).plans, probeRegistry, year);
  const probeUnit = probeRegistry.units.get(unitId);
  if (!probeUnit) throw new ReportRequestError(404, 'report.unit_not_found', 'unitId', `Đơn vị ${unitId} không có trong sổ đăng ký đơn vị tại lát cắt này`);
  const asOf = request.asOf ?? cutoffDate(year, period, provinceOf(probeUnit, probeRegistry), cutoffs);

  const { answered } = await queries.cut(REPORT_VIEWS, { ...pinned, asOf });
  const q: CutQuery = { asOf, knownAt: request.knownAt, position: answered.position };
  const registry = await readRegistry(sources, q);
  const unit = registry.units.get(unitId) ?? probeUnit;
  const parent = unit.parentUnitId ? registry.units.get(unit.parentUnitId) ?? null : null;
  const ours = subtreeOf(unitId, registry.units);

  const plans: CchcInput['plans'] = [];
  for (const plan of (await queries.plans(year, q)).plans.filter((p) => p.ownerUnitId === unitId)) {
    const [progress, tasks] = [await queries.progress(plan.planId, q), await queries.tasks(plan.planId, q)];
    if (progress && tasks) plans.push({ plan, progress, tasks });
  }
  const inspections: CchcInput['inspections'] = [];
  for (const summary of (await queries.inspections(year, q)).inspections.filter((i) => ours.has(i.leadUnitId))) {
    const log = await queries.inspectionLog(summary.inspectionId, q);
    if (log) inspections.push({ summary, log, facts: await recordFacts(ledger, `inspection:${summary.inspectionId}`, answered) });
  }
  inspections.sort((a, b) => a.summary.periodFrom.localeCompare(b.summary.periodFrom) || a.summary.inspectionId.localeCompare(b.summary.inspectionId));
  const recruitments: CchcInput['recruitments'] = [];
  for (const summary of (await queries.recruitments(year, q)).recruitments) {
    // The drive list does not carry its owner yet; the drive's own first event does.
    const facts = await recordFacts(ledger, `recruitment:${summary.recruitmentId}`, answered);
    const pipeline = await queries.pipeline(summary.recruitmentId, q);
    if (pipeline && facts.ownerUnitId && ours.has(facts.ownerUnitId)) recruitments.push({ summary, pipeline, facts });
  }
  // Viên chức before công chức cấp xã, then by approval: the order the report and its appendix follow.
  recruitments.sort((a, b) => b.pipeline.kind.localeCompare(a.pipeline.kind) || a.summary.approvedOn.localeCompare(b.summary.approvedOn));
  const issuerOf = (documentId: string | null) => (documentId ? registry.documents.get(documentId)?.issuerUnitId : undefined);
  const allLegal = await queries.legalDocuments(year, q);
  const legalDocuments = allLegal.documents.filter((d) => ours.has(issuerOf(d.documentId) ?? d.draftingUnitId));
  const legal = { ...allLegal, documents: legalDocuments, counts: legalCounts(legalDocuments, year, allLegal.counts) };

  // Findings about this unit's records, or about documents the report cites.
  const cited = new Set<string>([
    ...plans.flatMap((p) => (p.plan.documentId ? [p.plan.documentId] : [])),
    ...inspections.flatMap((i) => i.facts.links.map((l) => l.documentId)),
    ...recruitments.flatMap((r) => r.facts.links.map((l) => l.documentId)),
    ...legalDocuments.flatMap((d) => (d.documentId ? [d.documentId] : [])),
  ]);
  const planIds = new Set(plans.map((p) => p.plan.planId));
  const relevant = (record: string) => {
    const [kind, id] = [record.slice(0, record.indexOf(':')), record.slice(record.indexOf(':') + 1)];
    if (kind === 'document') return cited.has(id) || ours.has(issuerOf(id) ?? '');
    if (kind === 'plan') return planIds.has(id);
    return false;
  };
  const quality: DataQualityAnswer = await queries.dataQuality(q);
  const findings = quality.findings.filter((f) => f.record.split(', ').some(relevant));

  return { year, period, cut: answered, unit, parent, registry, plans, inspections, recruitments, legal, findings, treeHead: await sources.treeHead() };
};

/**
 * The register's counts over this unit's documents, by the register's own rules (what was drafted,
 * appraised, issued and expired in the year; what is in force). Equal to the view's counts when the
 * ledger holds one unit's documents, as the seed does.
 */
const legalCounts = (documents: LegalDocumentsAnswer['documents'], year: number, all: LegalDocumentsAnswer['counts']): LegalDocumentsAnswer['counts'] => {
  const inYear = (d: string | null | undefined) => !!d && Number(d.slice(0, 4)) === year;
  return {
    ...all,
    drafted: documents.filter((d) => inYear(d.draftedOn)).length,
    appraised: documents.filter((d) => d.appraisedOn.some(inYear)).length,
    issued: documents.filter((d) => inYear(d.issuedOn)).length,
    inForce: documents.filter((d) => d.status === 'issued').length,
    expired: documents.filter((d) => inYear(d.expiredOn)).length,
  };
};
