import {
  Document, Inspection, IsoDate, LegalDocument, parseDocumentNumber, Plan, REFORM_FIELDS, ReformField, Task, Unit, vietnameseDate,
} from '@reform-ledger/domain';
import type { Ledger } from '@reform-ledger/ledger';
import type { Cut, TemporalStore } from './temporal-store';
import type { Application, Drive, UnitVisits, ViewName } from './views';

/** A read's cut as asked: valid time, transaction time, ledger position — each optional. */
export type CutQuery = { asOf?: string; knownAt?: string; position?: number };
/** The cut a response answered for: the position is the one actually read (never past the view). */
export type AnsweredCut = { asOf: string | null; knownAt: string | null; position: number };

type Done = Extract<Task, { status: 'done' }>;
type Defined = Exclude<Task, { status: 'absent' }>;

const rate = (numerator: number, denominator: number) => (denominator === 0 ? 0 : Math.round((numerator / denominator) * 10_000) / 10_000);
const today = (): IsoDate => new Date().toISOString().slice(0, 10);
const yearOfDate = (d: string | undefined) => (d ? Number(d.slice(0, 4)) : undefined);

/** The views as managers read them, at any cut. Every answer comes from materialised rows: no replay. */
export class ViewQueries {
  constructor(
    private readonly store: TemporalStore,
    private readonly ledger: Ledger,
  ) {}

  /** Resolves a cut over some views: the position is the least of theirs, the one asked, and knownAt's. */
  async cut(views: ViewName[], query: CutQuery): Promise<{ cut: Cut; answered: AnsweredCut; generations: Record<string, number> }> {
    const generations: Record<string, number> = {};
    let position = Number.MAX_SAFE_INTEGER;
    for (const name of views) {
      const generation = await this.store.activeOf(name);
      generations[name] = generation?.generation ?? 0;
      position = Math.min(position, generation?.checkpoint ?? 0);
    }
    if (query.position !== undefined) position = Math.min(position, query.position);
    if (query.knownAt !== undefined) position = Math.min(position, await this.ledger.positionAt(query.knownAt));
    const validTime = query.asOf === undefined ? null : query.asOf.length === 10 ? `${query.asOf}T23:59:59.999999Z` : query.asOf;
    return { cut: { validTime, position }, answered: { asOf: query.asOf ?? null, knownAt: query.knownAt ?? null, position }, generations };
  }

  private async states<S>(view: ViewName, kind: string, scope: string | null, query: CutQuery, extra: ViewName[] = []) {
    const { cut, answered, generations } = await this.cut([view, ...extra], query);
    if (!generations[view]) return { items: [], answered, cut, generations };
    return { items: await this.store.list<S>(view, generations[view], kind, scope, cut), answered, cut, generations };
  }

  async plans(year: number | undefined, query: CutQuery) {
    const { items, answered } = await this.states<Extract<Plan, { status: 'issued' }>>('plan-progress', 'plan', year === undefined ? null : String(year), query);
    return {
      plans: items.map(({ entity, state }) => ({
        planId: entity, title: state.title, year: state.year, documentId: state.documentId ?? null, ownerUnitId: state.ownerUnitId, issuedOn: state.issuedOn,
      })),
      cut: answered,
    };
  }

  private async planTasks(planId: string, query: CutQuery) {
    const { items, answered, cut, generations } = await this.states<Defined>('plan-progress', 'task', planId, query);
    const plan = generations['plan-progress'] ? await this.store.one<Plan>('plan-progress', generations['plan-progress'], 'plan', planId, cut) : null;
    return { plan: plan && plan.status !== 'absent' ? plan : null, tasks: items, answered };
  }

  async progress(planId: string, query: CutQuery) {
    const { plan, tasks, answered } = await this.planTasks(planId, query);
    if (!plan) return null;
    const day = query.asOf?.slice(0, 10) ?? today();
    const counted = tasks.map((t) => t.state).filter((t) => t.status !== 'cancelled');
    const completed = counted.filter((t): t is Done => t.status === 'done');
    const open = counted.filter((t) => t.status === 'open');
    const overdue = open.filter((t) => t.dueOn < day).length;
    const group = <K extends string>(key: (t: Defined) => K) => {
      const groups = new Map<K, { total: number; completed: number }>();
      for (const t of counted) {
        const g = groups.get(key(t)) ?? { total: 0, completed: 0 };
        g.total++;
        if (t.status === 'done') g.completed++;
        groups.set(key(t), g);
      }
      return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
    };
    return {
      planId,
      total: counted.length,
      completed: completed.length,
      completedOnTime: completed.filter((t) => t.completedOn <= t.dueOn).length,
      overdue,
      inProgress: open.length - overdue,
      completionRate: rate(completed.length, counted.length),
      byField: group((t) => t.field).map(([field, g]) => ({ field, fieldName: REFORM_FIELDS[field as ReformField], ...g })),
      byUnit: group((t) => t.leadUnitId).map(([unitId, g]) => ({ unitId, ...g })),
      cut: answered,
    };
  }

  async tasks(planId: string, query: CutQuery) {
    const { plan, tasks, answered } = await this.planTasks(planId, query);
    if (!plan) return null;
    return {
      planId,
      tasks: tasks.map(({ entity, state }) => ({
        taskId: entity, title: state.title, field: state.field, status: state.status, leadUnitId: state.leadUnitId,
        supportingUnitIds: state.supportingUnitIds, dueOn: state.dueOn, completedOn: state.status === 'done' ? state.completedOn : null,
      })),
      cut: answered,
    };
  }

  private async unitNames(cut: Cut, generation: number | undefined): Promise<Map<string, string>> {
    if (!generation) return new Map();
    const units = await this.store.list<Unit>('registry', generation, 'unit', 'all', cut);
    return new Map(units.map(({ entity, state }) => [entity, state.status === 'absent' ? entity : state.name]));
  }

  async inspections(year: number | undefined, query: CutQuery) {
    const { items, answered } = await this.states<Exclude<Inspection, { status: 'absent' }>>('inspection-log', 'inspection', year === undefined ? null : String(year), query);
    return {
      inspections: items.map(({ entity, state }) => ({
        inspectionId: entity, title: state.title, leadUnitId: state.leadUnitId, periodFrom: state.periodFrom, periodTo: state.periodTo,
        status: state.status, targets: state.targetUnitIds.length, inspected: state.visited.length,
      })),
      cut: answered,
    };
  }

  async inspectionLog(inspectionId: string, query: CutQuery) {
    const { cut, answered, generations } = await this.cut(['inspection-log', 'registry'], query);
    const generation = generations['inspection-log'];
    const inspection = generation ? await this.store.one<Inspection>('inspection-log', generation, 'inspection', inspectionId, cut) : null;
    if (!inspection || inspection.status === 'absent') return null;
    const units = await this.store.list<UnitVisits>('inspection-log', generation, 'visits', inspectionId, cut);
    const names = await this.unitNames(cut, generations.registry);
    const visits = units
      .flatMap(({ state }) => state.visits.map((v) => ({ unitId: state.unitId, unitName: names.get(state.unitId) ?? state.unitId, date: v.date, findings: v.findings ?? null })))
      .sort((a, b) => a.date.localeCompare(b.date) || a.unitId.localeCompare(b.unitId));
    const visitsByUnit = units
      .filter(({ state }) => state.visits.length > 0)
      .map(({ state }) => ({ unitId: state.unitId, unitName: names.get(state.unitId) ?? state.unitId, visits: state.visits.length, findings: state.findings }));
    const visited = new Set(visitsByUnit.map((u) => u.unitId));
    return {
      inspectionId,
      title: inspection.title,
      status: inspection.status,
      visits,
      visitsByUnit,
      coverage: { targets: inspection.targetUnitIds.length, inspected: inspection.targetUnitIds.filter((u) => visited.has(u)).length },
      cut: answered,
    };
  }

  async recruitments(year: number | undefined, query: CutQuery) {
    const { items, answered } = await this.states<Drive>('recruitment-pipeline', 'drive', year === undefined ? null : String(year), query);
    return {
      recruitments: items.map(({ entity, state }) => ({
        recruitmentId: entity, title: state.title, kind: state.recruitmentKind, method: state.method, documentId: state.documentId ?? null,
        approvedOn: state.approvedOn, status: state.status,
      })),
      cut: answered,
    };
  }

  async pipeline(recruitmentId: string, query: CutQuery) {
    const { cut, answered, generations } = await this.cut(['recruitment-pipeline'], query);
    const generation = generations['recruitment-pipeline'];
    const drive = generation ? await this.store.one<Drive>('recruitment-pipeline', generation, 'drive', recruitmentId, cut) : null;
    if (!drive) return null;
    const applications = (await this.store.list<Application>('recruitment-pipeline', generation, 'application', recruitmentId, cut)).map((a) => a.state);
    const count = (positionId: string | null) => {
      const apps = applications.filter((a) => positionId === null || a.positionId === positionId);
      return {
        applications: apps.length,
        eligible: apps.filter((a) => a.eligible === true).length,
        ineligible: apps.filter((a) => a.eligible === false).length,
        passed: apps.filter((a) => a.passed).length,
        appointed: apps.filter((a) => a.appointed).length,
      };
    };
    return {
      recruitmentId,
      title: drive.title,
      kind: drive.recruitmentKind,
      status: drive.status,
      positions: drive.positions.map((p) => ({ positionId: p.positionId, title: p.title, quota: p.quota, ...count(p.positionId) })),
      totals: { quota: drive.positions.reduce((sum, p) => sum + p.quota, 0), ...count(null) },
      cut: answered,
    };
  }

  async legalDocuments(year: number | undefined, query: CutQuery) {
    const { items, answered, cut, generations } = await this.states<Exclude<LegalDocument, { status: 'absent' }>>('legal-register', 'legal-document', 'all', query, ['registry']);
    const inYear = (d: string | undefined) => year === undefined || yearOfDate(d) === year;
    const references = new Map<string, string>();
    if (generations.registry) {
      for (const { entity, state } of await this.store.list<Document>('registry', generations.registry, 'document', 'all', cut)) {
        if (state.status === 'registered') references.set(entity, state.reference);
      }
    }
    const documents = items
      .map(({ entity, state }) => {
        const documentId = state.status === 'draft' ? null : state.documentId;
        return {
          legalDocumentId: entity, title: state.title, status: state.status, draftingUnitId: state.draftingUnitId, draftedOn: state.draftedOn,
          appraisedOn: state.appraisedOn, documentId, reference: documentId ? references.get(documentId) ?? null : null,
          issuedOn: state.status === 'draft' ? null : state.issuedOn, expiredOn: state.status === 'expired' ? state.expiredOn : null,
          partlyExpired: state.status === 'issued' && state.partlyExpired,
        };
      })
      .filter((d) => inYear(d.draftedOn) || d.appraisedOn.some(inYear) || inYear(d.issuedOn ?? undefined) || inYear(d.expiredOn ?? undefined));
    return {
      documents,
      counts: {
        drafted: documents.filter((d) => inYear(d.draftedOn)).length,
        appraised: documents.filter((d) => d.appraisedOn.some(inYear)).length,
        issued: documents.filter((d) => d.issuedOn && inYear(d.issuedOn)).length,
        inForce: documents.filter((d) => d.status === 'issued').length,
        expired: documents.filter((d) => d.expiredOn && inYear(d.expiredOn)).length,
      },
      cut: answered,
    };
  }

  /**
   * Facts that were accepted as reported but look wrong, for a person to check: a report dated
   * before the period it reports on (seed A-03, A-04); one number and symbol used by several
   * documents (A-20; legitimate across issuers and years, but worth seeing). Read from the views at the cut.
   */
  async dataQuality(query: CutQuery) {
    const { cut, answered, generations } = await this.cut(['registry', 'plan-progress'], query);
    const documents = generations.registry
      ? (await this.store.list<Document>('registry', generations.registry, 'document', 'all', cut))
        .flatMap(({ entity, state }) => (state.status === 'registered' ? [{ documentId: entity, ...state }] : []))
      : [];
    const findings: { rule: string; severity: 'warning' | 'info'; record: string; detail: string }[] = [];
    for (const d of documents) {
      if (d.reportsOn && d.date < d.reportsOn.from) {
        findings.push({
          rule: 'document.dated_before_reported_period', severity: 'warning', record: `document:${d.documentId}`,
          detail: `Báo cáo ${d.reference} ngày ${vietnameseDate(d.date)} báo cáo về kỳ ${vietnameseDate(d.reportsOn.from)} – ${vietnameseDate(d.reportsOn.to)}: ngày ban hành trước kỳ báo cáo (có thể ghi nhầm năm).`,
        });
      }
    }
    const bySymbol = new Map<string, typeof documents>();
    for (const d of documents) {
      try {
        const n = parseDocumentNumber(d.reference);
        // 01/2016/QĐ-UBND and 01/2022/QĐ-UBND carry their year: different numbers, not a reuse.
        const key = `${n.number.replace(/^0+(?=\d)/, '')}/${n.year ? `${n.year}/` : ''}${n.symbol}`;
        bySymbol.set(key, [...(bySymbol.get(key) ?? []), d]);
      } catch {
        // a stored reference always parses; nothing to report otherwise
      }
    }
    for (const [key, same] of bySymbol) {
      if (same.length < 2) continue;
      findings.push({
        rule: 'document.number_reused', severity: 'info', record: same.map((d) => `document:${d.documentId}`).join(', '),
        detail: `Số, ký hiệu ${key} được dùng cho ${same.length} văn bản khác nhau: ${same.map((d) => `${d.issuerUnitId} ngày ${vietnameseDate(d.date)}`).join('; ')}. Văn bản được xác định theo cơ quan ban hành, số, ký hiệu và năm.`,
      });
    }
    // A plan reported as fully done whose tasks were partly done late (A-17: "100%" next to "behind schedule").
    for (const { planId } of (await this.plans(undefined, { ...query, position: cut.position })).plans) {
      const progress = await this.progress(planId, { ...query, position: cut.position });
      if (progress && progress.total > 0 && progress.completed === progress.total && progress.completedOnTime < progress.completed) {
        const late = progress.completed - progress.completedOnTime;
        findings.push({
          rule: 'plan.done_but_late', severity: 'info', record: `plan:${planId}`,
          detail: `Kế hoạch ${planId} hoàn thành ${progress.completed}/${progress.total} nhiệm vụ, nhưng ${late} nhiệm vụ hoàn thành chậm so với thời hạn: “đạt 100% kế hoạch” cần đi kèm số nhiệm vụ chậm tiến độ.`,
        });
      }
    }
    return { findings, cut: answered };
  }
}
