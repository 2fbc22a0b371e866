/**
 * A province-sized history, generated: one province, 10 districts, 100 communes (10 per district), each
 * with 3 departments of its own; five plan years (2020–2024), a plan per commune, district and the
 * province each year, with tasks reported on through the year (some reports backdated, as late
 * reports are); inspections of communes with visits and findings; recruitment drives with thousands
 * of applications and their eligibility decisions. Events are valid for the domain (the decider's
 * rules hold: every task's plan is issued, applications fall inside their window, ids are unique) and
 * are appended to the ledger directly, a stream's history at a time (1,000 events per append), 8 writers at once.
 *
 * `generateProvince(ledger, target)` stops near `target` events (task progress reports fill the rest).
 */
import { DomainEvent, examples, RecordKind, SCHEMA_VERSIONS, streamIdOf } from '@reform-ledger/domain';
import type { Ledger } from '@reform-ledger/ledger';

export const YEARS = [2020, 2021, 2022, 2023, 2024];
export const DISTRICTS = Array.from({ length: 10 }, (_, d) => `huyen-${d}`);
export const COMMUNES = DISTRICTS.flatMap((district, d) => Array.from({ length: 10 }, (_, c) => ({ id: `xa-${d}-${c}`, district })));
const PROVINCE = 'ubnd-tinh';
const TASKS_PER_PLAN = 40;
const DRIVE_APPLICATIONS = [6000, 3000, 2000, 1500, 1000];

/** The plans of the history: one per unit (province, districts, communes) and year. */
export const PLANS = YEARS.flatMap((year) => [PROVINCE, ...DISTRICTS, ...COMMUNES.map((c) => c.id)].map((unit) => ({ id: `kh-${unit}-${year}`, unit, year })));
/** The drives: per year, one of the province (the largest) and one per district. */
export const DRIVES = YEARS.flatMap((year, y) => [PROVINCE, ...DISTRICTS].map((unit, u) => ({
  id: `td-${unit}-${year}`, unit, year, applications: u === 0 ? DRIVE_APPLICATIONS[y] : 300 + 40 * u,
})));

const date = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1 + Math.min(Math.max(dayOfYear, 0), 360))).toISOString().slice(0, 10);

type Item = { kind: RecordKind; id: string; events: DomainEvent[] };

/** The history, stream by stream, in an order the domain accepts (units, documents, plans, then the rest). */
function* history(progressReports: number): Generator<Item> {
  yield { kind: 'unit', id: PROVINCE, events: [examples.unitRegistered({ name: 'UBND tỉnh', kind: 'province', parentUnitId: undefined, occurredAt: '2019-01-01' })] };
  for (const d of DISTRICTS) yield { kind: 'unit', id: d, events: [examples.unitRegistered({ name: `UBND huyện ${d}`, kind: 'district', parentUnitId: PROVINCE, occurredAt: '2019-01-01' })] };
  for (const c of COMMUNES) {
    yield { kind: 'unit', id: c.id, events: [examples.unitRegistered({ name: `UBND xã ${c.id}`, kind: 'commune', parentUnitId: c.district, occurredAt: '2019-01-01' })] };
    for (let k = 0; k < 3; k++) {
      yield { kind: 'unit', id: `${c.id}-cb-${k}`, events: [examples.unitRegistered({ name: `Công chức ${k} xã ${c.id}`, kind: 'department', parentUnitId: c.id, occurredAt: '2019-01-01' })] };
    }
  }
  for (const p of PLANS) {
    const documentId = `${p.unit}.${p.year}.1.kh-ubnd`;
    yield { kind: 'document', id: documentId, events: [examples.documentRegistered({ reference: '1/KH-UBND', issuerUnitId: p.unit, documentType: 'ke_hoach', occurredAt: `${p.year}-01-05` })] };
    yield { kind: 'plan', id: p.id, events: [examples.planIssued({ title: `Kế hoạch CCHC năm ${p.year}`, year: p.year, ownerUnitId: p.unit, documentId, occurredAt: `${p.year}-01-05` })] };
  }
  for (const [y, year] of YEARS.entries()) {
    for (const district of DISTRICTS) {
      const targets = COMMUNES.filter((c) => c.district === district).map((c) => c.id);
      const events: DomainEvent[] = [examples.inspectionPlanned({ title: `Kiểm tra CCHC ${year}`, leadUnitId: district, targetUnitIds: targets, periodFrom: `${year}-03-01`, periodTo: `${year}-11-30`, documentId: undefined, occurredAt: `${year}-02-15` })];
      targets.forEach((unitId, t) => {
        events.push(examples.unitInspected({ unitId, findings: `Phát hiện ${t}`, occurredAt: date(year, 70 + t * 20) }));
        events.push(examples.findingRecorded({ unitId, finding: `Kiến nghị ${t}`, requiresAction: t % 2 === 0, occurredAt: date(year, 71 + t * 20) }));
      });
      if (y < YEARS.length - 1) events.push(examples.inspectionConcluded({ reportDocumentId: undefined, summary: 'Kết luận', occurredAt: `${year}-12-15` }));
      yield { kind: 'inspection', id: `kt-${district}-${year}`, events };
    }
  }
  for (const drive of DRIVES) {
    const positions = Array.from({ length: 5 }, (_, p) => ({ positionId: `vt-${p}`, title: `Vị trí ${p}`, quota: Math.max(1, Math.floor(drive.applications / 100)) }));
    const events: DomainEvent[] = [
      examples.recruitmentPlanApproved({ title: `Tuyển dụng ${drive.year}`, ownerUnitId: drive.unit, positions, occurredAt: `${drive.year}-03-01` }),
      examples.noticePublished({ applicationsOpenOn: `${drive.year}-03-10`, applicationsCloseOn: `${drive.year}-05-10`, occurredAt: `${drive.year}-03-10` }),
    ];
    for (let a = 0; a < drive.applications; a++) {
      events.push(examples.applicationReceived({ applicationId: `HS-${a}`, positionId: `vt-${a % 5}`, applicantRef: `applicant-${drive.id}-${a}`, occurredAt: date(drive.year, 69 + (a % 60)) }));
    }
    for (let a = 0; a < drive.applications; a++) {
      events.push(examples.eligibilityDecided({ applicationId: `HS-${a}`, eligible: a % 7 !== 0, reason: a % 7 === 0 ? 'Không đủ điều kiện' : undefined, occurredAt: `${drive.year}-05-20` }));
    }
    yield { kind: 'recruitment', id: drive.id, events };
  }
  for (const p of PLANS) {
    for (let t = 0; t < TASKS_PER_PLAN; t++) {
      const events: DomainEvent[] = [examples.taskDefined({ planId: p.id, title: `Nhiệm vụ ${t}`, leadUnitId: p.unit, supportingUnitIds: [], dueOn: date(p.year, 200 + t * 3), occurredAt: `${p.year}-01-10` })];
      for (let r = 0; r < progressReports; r++) {
        // Through the year in order; every 50th report is backdated by ten days (a late report).
        const day = 15 + Math.floor((r * 330) / progressReports) - (r % 50 === 49 ? 10 : 0);
        events.push(examples.taskProgressReported({ progress: { numerator: Math.min(9, Math.floor((r * 10) / progressReports)), denominator: 10 }, occurredAt: date(p.year, day) }));
      }
      if (t % 4 !== 3) events.push(examples.taskCompleted({ occurredAt: date(p.year, 340) }));
      yield { kind: 'task', id: `${p.id}-nv-${t}`, events };
    }
  }
}

/** Events in the history with `progressReports` reports per task. */
const sizeOf = (progressReports: number) => {
  let n = 0;
  for (const item of history(progressReports)) n += item.events.length;
  return n;
};

/** Appends the province's history (about `target` events) to the ledger; `onProgress` after each 100,000. */
export const generateProvince = async (ledger: Ledger, target: number, onProgress?: (appended: number) => void): Promise<number> => {
  const tasks = PLANS.length * TASKS_PER_PLAN;
  const progressReports = Math.max(1, Math.round((target - sizeOf(0)) / tasks));
  const items = history(progressReports);
  let appended = 0;
  let reported = 0;
  // Units, documents and plans first, in order (later streams name them); then 8 writers at once.
  let first = items.next().value;
  for (; first && (first.kind === 'unit' || first.kind === 'document' || first.kind === 'plan'); first = items.next().value) {
    await append(ledger, first);
    appended += first.events.length;
  }
  const pending: Item[] = first ? [first] : [];
  const next = (): Item | undefined => pending.pop() ?? items.next().value ?? undefined;
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let item = next(); item; item = next()) {
      await append(ledger, item);
      appended += item.events.length;
      if (appended - reported >= 100_000) {
        reported = appended;
        onProgress?.(appended);
      }
    }
  }));
  return appended;
};

/** One stream's history, 1,000 events per append at most, in order. */
const append = async (ledger: Ledger, { kind, id, events }: Item) => {
  const versions = SCHEMA_VERSIONS[kind] as Record<string, number>;
  for (let from = 0; from < events.length; from += 1000) {
    await ledger.append(streamIdOf(kind, id), events.slice(from, from + 1000).map((e) => ({
      type: e.type, occurredAt: e.occurredAt, data: e.data, schemaVersion: versions[e.type], metadata: { actor: { role: 'admin', keyId: 'generator' } },
    })));
  }
};
