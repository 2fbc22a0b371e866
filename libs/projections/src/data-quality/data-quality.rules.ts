import { vietnameseDate } from '@reform-ledger/calendar';
import { parseDocumentNumber } from '@reform-ledger/domain';
import type { RegisteredDocument } from '../registry/registry.query';

/**
 * The data-quality rules: facts that were accepted as reported but look wrong, for a person to check.
 * Pure functions of the views' states at a cut; the query (data-quality.query.ts) reads those states.
 */
export type DataQualityFinding = { rule: string; severity: 'warning' | 'info'; record: string; detail: string };

/** A report dated before the period it reports on (seed A-03, A-04: the Q1 and Q2/2022 reports dated 2021). */
export const reportsDatedBeforeTheirPeriod = (documents: RegisteredDocument[]): DataQualityFinding[] =>
  documents.flatMap((d) => (d.reportsOn && d.date < d.reportsOn.from ? [{
    rule: 'document.dated_before_reported_period', severity: 'warning' as const, record: `document:${d.documentId}`,
    detail: `Báo cáo ${d.reference} ngày ${vietnameseDate(d.date)} báo cáo về kỳ ${vietnameseDate(d.reportsOn.from)} – ${vietnameseDate(d.reportsOn.to)}: ngày ban hành trước kỳ báo cáo (có thể ghi nhầm năm).`,
  }] : []));

/** One number and symbol used by several documents (A-20; legitimate across issuers and years, but worth seeing). */
export const reusedNumbers = (documents: RegisteredDocument[], nameOf: (unitId: string) => string = (id) => id): DataQualityFinding[] => {
  const bySymbol = new Map<string, RegisteredDocument[]>();
  for (const d of documents) {
    const n = parseDocumentNumber(d.reference); // a stored reference always parses
    // 01/2016/QĐ-UBND and 01/2022/QĐ-UBND carry their year: different numbers, not a reuse.
    const key = `${n.number.replace(/^0+(?=\d)/, '')}/${n.year ? `${n.year}/` : ''}${n.symbol}`;
    bySymbol.set(key, [...(bySymbol.get(key) ?? []), d]);
  }
  return [...bySymbol].filter(([, same]) => same.length > 1).map(([key, same]) => ({
    rule: 'document.number_reused', severity: 'info' as const, record: same.map((d) => `document:${d.documentId}`).join(', '),
    detail: `Số, ký hiệu ${key} được dùng cho ${same.length} văn bản khác nhau: ${same.map((d) => `${nameOf(d.issuerUnitId)} ngày ${vietnameseDate(d.date)}`).join('; ')}. Văn bản được xác định theo cơ quan ban hành, số, ký hiệu và năm.`,
  }));
};

export type PlanTally = { planId: string; title: string; total: number; completed: number; completedOnTime: number };

/** A plan reported as fully done whose tasks were partly done late (A-17: "100%" next to "behind schedule"). */
export const doneButLate = (plans: PlanTally[]): DataQualityFinding[] =>
  plans.filter((p) => p.total > 0 && p.completed === p.total && p.completedOnTime < p.completed).map((p) => ({
    rule: 'plan.done_but_late', severity: 'info' as const, record: `plan:${p.planId}`,
    detail: `${p.title} hoàn thành ${p.completed}/${p.total} nhiệm vụ, nhưng ${p.completed - p.completedOnTime} nhiệm vụ hoàn thành chậm so với thời hạn: “đạt 100% kế hoạch” cần đi kèm số nhiệm vụ chậm tiến độ.`,
  }));
