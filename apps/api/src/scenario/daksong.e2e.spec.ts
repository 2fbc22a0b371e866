import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { testEngines } from '@reform-ledger/ledger/testing';
import { appUnderTest } from '../testing';
import { RESPONSIBLE_UNIT_FIELDS } from '@reform-ledger/domain';
import { CT01_VISITS, phaseOne, phaseTwo, TASKS } from './daksong-2022/scenario';
import { Marks } from '../marks';
import { LOADED, loadScenario, PHASE_ONE, ScenarioReport } from './load';

describe.each(testEngines())('the seed district, Đắk Song 2022, on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  let report: ScenarioReport;
  const get = async (path: string) => {
    const res = await request(t.app.getHttpServer()).get(path).set('Authorization', 'Bearer demo-inspector');
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.body;
  };

  beforeAll(async () => {
    report = await loadScenario(t.app.get(CommandBus), t.app.get(Marks));
    await get(`/api/v1/plans?minPosition=${report.head}`);
    await get(`/api/v1/inspections?minPosition=${report.head}`);
    await get(`/api/v1/legal-documents?minPosition=${report.head}`);
  }, 120_000);

  it('loads in two phases, once', async () => {
    expect(report.loaded).toBe(true);
    expect(report.phaseOne.position).toBeLessThan(report.head);
    // Everything it reports is in the ledger, and nothing else: the head is its last position.
    expect(await t.ledger.headPosition()).toBe(report.head);
    expect(await loadScenario(t.app.get(CommandBus), t.app.get(Marks))).toMatchObject({ loaded: false, phaseOne: report.phaseOne, head: report.head });
  });

  it('reproduces 55 of 55 tasks done as of 30/11/2022, fewer at 30/06, and fewer as known before the late reports', async () => {
    const late = TASKS.filter((t) => t.late).length;
    expect(await get('/api/v1/plans/cchc-2022/progress?asOf=2022-11-30')).toMatchObject({
      total: 55, completed: 55, completedOnTime: 55 - late, overdue: 0, inProgress: 0, completionRate: 1,
    });
    const byJune = TASKS.filter((t) => t.completedOn <= '2022-06-30').length;
    const overdueJune = TASKS.filter((t) => t.completedOn > '2022-06-30' && t.dueOn < '2022-06-30').length;
    expect(await get('/api/v1/plans/cchc-2022/progress?asOf=2022-06-30')).toMatchObject({ total: 55, completed: byJune, overdue: overdueJune });
    const reportedLate = TASKS.filter((t) => t.reportedLate).length;
    expect(await get(`/api/v1/plans/cchc-2022/progress?asOf=2022-11-30&position=${report.phaseOne.position}`)).toMatchObject({ total: 55, completed: 55 - reportedLate });
    expect([late, byJune, overdueJune, reportedLate]).toEqual([6, 28, 0, 5]); // the numbers the README quotes
  });

  it('reproduces the inspections: Chỉ thị 01 with 20 units and 24 visits, the annual one with 10 of 10 targets', async () => {
    const ct01 = await get('/api/v1/inspections/kt-ct01-2022/log');
    expect(ct01.visits).toHaveLength(24);
    expect(ct01.visitsByUnit).toHaveLength(20);
    const counts = Object.fromEntries(ct01.visitsByUnit.map((u: { unitId: string; visits: number }) => [u.unitId, u.visits]));
    expect(counts).toEqual(Object.fromEntries(CT01_VISITS.map(([id, , , visits]) => [id, visits])));
    expect(ct01.visitsByUnit.find((u: { unitId: string }) => u.unitId === 'ubnd-xa-nam-n-jang').unitName).toBe('UBND xã Nâm N’Jang'.normalize('NFC'));
    expect((await get('/api/v1/inspections/kt-cchc-2022/log')).coverage).toEqual({ targets: 10, inspected: 10 });
  });

  it('reproduces both recruitment drives', async () => {
    const vc = await get('/api/v1/recruitments/vien-chuc-2022/pipeline');
    expect(vc.totals).toMatchObject({ quota: 43, applications: 26 });
    expect(vc.positions.map((p: { quota: number; applications: number }) => [p.quota, p.applications])).toEqual([[2, 1], [31, 12], [8, 12], [1, 0], [1, 1]]);
    const cx = await get('/api/v1/recruitments/cong-chuc-xa-2022/pipeline');
    expect(cx.totals).toEqual({ quota: 15, applications: 28, withdrawn: 0, eligible: 27, ineligible: 1, pending: 0, passed: 0, appointed: 0 });
    // Stages as a manager names them: the council of viên chức was formed on 01/12; the commune window closed on 25/11.
    expect(vc.status).toBe('council_formed');
    expect(cx.status).toBe('applications_closed');
    expect((await get('/api/v1/recruitments/vien-chuc-2022/pipeline?asOf=2022-11-15')).status).toBe('open');
    expect((await get('/api/v1/recruitments/vien-chuc-2022/pipeline?asOf=2022-11-30')).status).toBe('applications_closed');
  });

  it('keeps the end of phase 1 as a mark, a position and a knownAt that both work as cuts, on the marks route and /health', async () => {
    const { phaseOne } = report;
    expect(phaseOne).toEqual({ label: PHASE_ONE, position: expect.any(Number), knownAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/) });
    const reportedLate = TASKS.filter((x) => x.reportedLate).length;
    const byPosition = await get(`/api/v1/plans/cchc-2022/progress?asOf=2022-11-30&position=${phaseOne.position}`);
    const byKnownAt = await get(`/api/v1/plans/cchc-2022/progress?asOf=2022-11-30&knownAt=${encodeURIComponent(phaseOne.knownAt)}`);
    expect(byKnownAt).toMatchObject({ completed: 55 - reportedLate, cut: { position: phaseOne.position } });
    expect({ ...byKnownAt, cut: null }).toEqual({ ...byPosition, cut: null });
    expect((await get('/api/v1/ledger/marks')).marks).toEqual([phaseOne, { label: LOADED, position: report.head, knownAt: expect.any(String) }]);
    expect((await request(t.app.getHttpServer()).get('/health').expect(200)).body.marks).toContainEqual(phaseOne);
  });

  it('shows the Chỉ thị 01 inspection in progress (24 visits, not concluded) with the findings of each unit\'s visits', async () => {
    const ct01 = await get('/api/v1/inspections/kt-ct01-2022/log');
    expect(ct01.status).toBe('in_progress');
    expect(ct01.visitsByUnit.find((u: { unitId: string }) => u.unitId === 'ubnd-tt-duc-an').findings).toHaveLength(2);
    expect((await get('/api/v1/inspections?year=2022')).inspections.map((i: { inspectionId: string; status: string }) => [i.inspectionId, i.status])).toEqual([
      ['kt-cchc-2022', 'concluded'], ['kt-ct01-2022', 'in_progress'], ['kt-tu-phap-2022', 'concluded'],
    ]);
  });

  it('gives the audit trail of a unit\'s records, each recorded by the unit that would have (its own key), or by the admin loader for what no department records: ownerUnit=phong-noi-vu', async () => {
    const byOwner = await get('/api/v1/audit/activity?ownerUnit=phong-noi-vu&limit=10000');
    const streams = new Set(byOwner.events.map((e: { streamId: string }) => e.streamId));
    // The oracle: the scenario's own entries that name Phòng Nội vụ as the unit responsible, and its own unit record.
    const responsible = [...phaseOne(), ...phaseTwo()].filter((e) => RESPONSIBLE_UNIT_FIELDS.some((f) => f.type === e.type && e.data[f.field] === 'phong-noi-vu'));
    expect([...streams].sort()).toEqual([...new Set([...responsible.map((e) => `${e.kind}:${e.id}`), 'unit:phong-noi-vu'])].sort());
    expect(streams).toContain('inspection:kt-cchc-2022');
    expect(streams).toContain(`task:${TASKS.find((x) => x.lead === 'phong-noi-vu')!.id}`);
    const actors = new Set(byOwner.events.map((e: { actor: { keyId: string } }) => e.actor.keyId));
    // Its tasks are defined under the district's plan (admin); its drafts are appraised by Phòng Tư pháp.
    expect([...actors].sort()).toEqual(['demo-dept-phong-noi-vu', 'demo-dept-phong-tu-phap', 'scenario-loader']);
    const byUnit = (await get('/api/v1/audit/activity?unit=phong-noi-vu&limit=10000')).events;
    expect(byUnit.length).toBeGreaterThan(0);
    expect(byUnit.every((e: { actor: { keyId: string; unitId: string } }) => e.actor.keyId === 'demo-dept-phong-noi-vu' && e.actor.unitId === 'phong-noi-vu')).toBe(true);
    // What it records: its inspections' visits, its drives, its drafts, its tasks' completions — never a unit or the district's plan.
    expect(new Set(byUnit.map((e: { type: string }) => e.type))).toEqual(new Set([
      'InspectionPlanned', 'UnitInspected', 'InspectionConcluded', 'RecruitmentPlanApproved', 'NoticePublished', 'ApplicationReceived',
      'EligibilityDecided', 'CouncilFormed', 'DraftRegistered', 'LegalDocumentIssued', 'LegalDocumentExpired', 'TaskCompleted',
    ]));
    // The Văn phòng registers the documents of other bodies (the district's decisions, the province's directives).
    const registered = (await get('/api/v1/audit/activity?unit=van-phong-hdnd-ubnd&limit=10000')).events.filter((e: { type: string }) => e.type === 'DocumentRegistered');
    expect(registered.map((e: { streamId: string }) => e.streamId)).toContain('document:ubnd-dak-song.2022.39.qd-ubnd');
  });

  it('reproduces the QPPL register: 6 issued, 6 appraised, 6 expired in 2022', async () => {
    expect((await get('/api/v1/legal-documents?year=2022')).counts).toMatchObject({ issued: 6, appraised: 6, expired: 6 });
  });

  it('refuses each anomaly as a user would see it, records its correction, and verifies the chain', async () => {
    expect(report.anomalies).toEqual([
      { anomaly: 'A-05', status: 422, code: 'document.year_mismatch', expected: true, corrected: true },
      { anomaly: 'A-01', status: 400, code: 'request.invalid', expected: true, corrected: true },
      { anomaly: 'A-07', status: 422, code: 'ratio.over_total', expected: true, corrected: true },
    ]);
    expect(await get('/api/v1/audit/verify')).toMatchObject({ ok: true });
  });

  it('flags what was accepted as reported: the Q1 and Q2/2022 reports dated 2021, the reused 01/CT-UBND, 100% with late tasks', async () => {
    const { findings } = await get(`/api/v1/data-quality?minPosition=${report.head}`);
    const dated = findings.filter((f: { rule: string }) => f.rule === 'document.dated_before_reported_period');
    expect(dated.map((f: { detail: string }) => f.detail.split(' ngày')[0])).toEqual(['Báo cáo 122/BC-UBND', 'Báo cáo 292/BC-UBND']);
    expect(dated[0].detail).toContain('17/03/2021');
    const reused = findings.filter((f: { rule: string }) => f.rule === 'document.number_reused');
    expect(reused).toEqual([expect.objectContaining({ severity: 'info', detail: expect.stringContaining('Số, ký hiệu 1/CT-UBND được dùng cho 2 văn bản') })]);
    expect(findings.filter((f: { rule: string }) => f.rule === 'plan.done_but_late')).toEqual([
      expect.objectContaining({ record: 'plan:cchc-2022', detail: expect.stringContaining('hoàn thành 55/55 nhiệm vụ, nhưng 6 nhiệm vụ hoàn thành chậm') }),
    ]);
  });

  it('finds itself in a ledger that holds it without its marks (a restored backup: marks are not the ledger\'s), records nothing and recovers them', async () => {
    const marks = await t.app.get(Marks).list();
    await t.db.pool.query('DELETE FROM marks');
    const head = await t.ledger.headPosition();
    const lines: string[] = [];
    const again = await loadScenario(t.app.get(CommandBus), t.app.get(Marks), { log: (l) => lines.push(l), ledgerHead: head });
    expect(again).toMatchObject({ loaded: false, recovered: true, phaseOne: report.phaseOne, head: report.head, anomalies: [] });
    expect(lines).toEqual([`  seed district found in the ledger (restored?): phase 1 ends at position ${report.phaseOne.position}; nothing recorded again`]);
    expect(await t.ledger.headPosition()).toBe(head);
    expect(await t.app.get(Marks).list()).toEqual(marks);
  }, 120_000);
});
