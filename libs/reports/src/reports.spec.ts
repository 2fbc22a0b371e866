import { buildCchcReport } from './cchc/build';
import type { CchcInput } from './cchc/gather';
import { numberSections, Unnumbered } from './model';
import { cutoffDate, nextPeriodLabel, periodLabel, provinceCutoffs } from './periods';
import { SHEETS, toCsv } from './sheets';
import { citeFull, citeShort, subjectOf, viCount, viNumber, viPercent } from './vietnamese';

describe('Vietnamese numbers, dates and citations', () => {
  it('writes numbers as Vietnamese does', () => {
    expect([viNumber(1393), viNumber(81.3), viNumber(0)]).toEqual(['1.393', '81,3', '0']);
    expect([viCount(6), viCount(0), viCount(10), viCount(1393)]).toEqual(['06', '0', '10', '1.393']);
    expect([viPercent(813, 1000), viPercent(55, 55), viPercent(42, 265), viPercent(1, 0)]).toEqual(['81,3\u00a0%', '100\u00a0%', '15,8\u00a0%', '—']);
  });

  it('cites a document in full once, then by type and number', () => {
    const plan = { reference: '39/QĐ-UBND', date: '2022-01-10', documentType: 'quyet_dinh' as const, title: 'Phê duyệt Kế hoạch Cải cách hành chính năm 2022', issuerName: 'UBND huyện Đắk Song' };
    expect(citeFull(plan)).toBe('Quyết định số 39/QĐ-UBND ngày 10/01/2022 của UBND huyện Đắk Song về việc phê duyệt Kế hoạch Cải cách hành chính năm 2022');
    expect(citeShort(plan)).toBe('Quyết định số 39/QĐ-UBND');
    expect(subjectOf({ ...plan, documentType: 'bao_cao', title: 'Báo cáo kiểm soát TTHC quý I/2022' })).toBeNull();
    expect(subjectOf({ ...plan, documentType: 'thong_bao', title: 'Thông báo kết luận kiểm tra công tác tư pháp' })).toBe('kết luận kiểm tra công tác tư pháp');
    expect(subjectOf({ ...plan, documentType: 'nghi_quyet', title: 'Về chuyển đổi số tỉnh Đăk Nông' })).toBe('chuyển đổi số tỉnh Đăk Nông');
    expect(subjectOf({ ...plan, documentType: 'quyet_dinh', title: 'Quyết định QPPL số 01/2022' })).toBeNull();
    expect(subjectOf({ ...plan, title: 'PCI năm 2022' })).toBe('PCI năm 2022');
  });
});

describe('periods and cut-offs', () => {
  it('defaults to Nghị định 09/2019 (the 14th of the last month), with Đắk Nông’s annual cut-off on 30/11', () => {
    expect(cutoffDate(2022, 'year', null)).toBe('2022-12-14');
    expect(cutoffDate(2022, 'Q1', 'ubnd-tinh-dak-nong')).toBe('2022-03-14');
    expect(cutoffDate(2022, 'year', 'ubnd-tinh-dak-nong')).toBe('2022-11-30');
    const custom = provinceCutoffs('{"ubnd-tinh-lam-dong":{"Q2":"06-10"}}');
    expect(cutoffDate(2026, 'Q2', 'ubnd-tinh-lam-dong', custom)).toBe('2026-06-10');
    expect(cutoffDate(2022, 'year', 'ubnd-tinh-dak-nong', custom)).toBe('2022-11-30');
    expect(() => provinceCutoffs('{"x":{"year":"11-31"}}')).toThrow(/REPORT_CUTOFFS/);
    expect(() => provinceCutoffs('{"x":{"Q5":"11-30"}}')).toThrow(/REPORT_CUTOFFS/);
  });

  it('names periods and the period after', () => {
    expect([periodLabel(2022, 'year'), periodLabel(2022, 'H1'), periodLabel(2022, 'Q3')]).toEqual(['năm 2022', '6 tháng đầu năm 2022', 'quý III năm 2022']);
    expect([nextPeriodLabel(2022, 'year'), nextPeriodLabel(2022, 'Q1'), nextPeriodLabel(2022, 'H1')]).toEqual(['năm 2023', 'quý II năm 2022', '6 tháng cuối năm 2022']);
  });
});

describe('the report model', () => {
  it('numbers headings by position: I., 1., 1.1., a) — never skipping', () => {
    const s = (title: string, sections: Unnumbered[] = []): Unnumbered => ({ title, blocks: [], sections });
    const numbered = numberSections([s('A', [s('a', [s('x', [s('p'), s('q')]), s('y')]), s('b')]), s('B')]);
    const labels = (list: typeof numbered): string[] => list.flatMap((x) => [x.number, ...labels(x.sections)]);
    expect(labels(numbered)).toEqual(['I.', '1.', '1.1.', 'a)', 'b)', '1.2.', '2.', 'II.']);
  });

  it('states each figure from its input with its cut, and leaves what the ledger cannot know to write', () => {
    const model = buildCchcReport(example());
    const figure = (id: string) => model.figures.find((f) => f.id === id)?.value;
    expect([figure('plan.p1.total'), figure('plan.p1.completed'), figure('plan.p1.completedOnTime'), figure('plan.p1.completedLate')]).toEqual([3, 2, 1, 1]);
    expect(model.figures.every((f) => f.note.cut.position === 42 && f.note.route.endsWith('asOf=2022-11-30&position=42'))).toBe(true);
    const text = JSON.stringify(model.sections);
    expect(text).toContain('đã hoàn thành 2/3 nhiệm vụ, đạt 66,7\u00a0% kế hoạch');
    expect(text).toContain('Còn 01 nhiệm vụ quá hạn chưa hoàn thành.');
    expect(model.heading).toMatchObject({ issuer: ['ỦY BAN NHÂN DÂN', 'XÃ NAM BÌNH'], numberLine: 'Số:        /BC-UBND', placeAndDate: 'Nam Bình, ngày       tháng       năm 2022', draft: true });
    expect(model.sections.map((s) => s.number)).toEqual(['I.', 'II.', 'III.', 'IV.', 'V.']);
    expect(model.appendices.map((a) => a.number)).toEqual(['I', 'II', 'III', 'IV', 'V']);
    // Empty parts say so instead of disappearing (the numbering stays the same every year).
    expect(text).toContain('Sổ cái chưa ghi nhận đợt kiểm tra nào trong năm 2022 tại lát cắt này.');
    expect(model.appendices[1].table.rows).toEqual([{ cells: ['', 'Không có dữ liệu tại lát cắt này', '', ''] }]);
    expect(model.ledger).toEqual({ cut: { asOf: '2022-11-30', knownAt: null, position: 42 }, treeHead: null });
  });

  it('writes a view as CSV: quoted where needed, the cut first', () => {
    const sheets = SHEETS['/api/v1/plans']({ plans: [{ planId: 'p1', title: 'Kế hoạch "CCHC", 2022', year: 2022, documentId: null,
      amendments: [{ documentId: 'ubnd.2022.108a.kh-ubnd', on: '2022-04-19' }], ownerUnitId: 'u', issuedOn: '2022-01-10' }],
    cut: { asOf: '2022-11-30', knownAt: '2022-12-05T10:00:00Z', position: 7 } }, () => 'UBND xã Nam Bình');
    expect(toCsv(sheets).toString('utf8').split('\r\n')).toEqual([
      '\ufeffLát cắt: tình trạng đến hết ngày 30/11/2022; theo sổ cái đến vị trí 7; chỉ gồm những gì sổ cái đã ghi nhận đến 17:00:00 ngày 05/12/2022',
      'Mã kế hoạch,Tên kế hoạch,Năm,Mã văn bản ban hành,Đơn vị chủ quản,Ngày ban hành,"Văn bản sửa đổi, bổ sung"',
      'p1,"Kế hoạch ""CCHC"", 2022",2022,,UBND xã Nam Bình,2022-01-10,ubnd.2022.108a.kh-ubnd (19/04/2022)',
      '',
    ]);
  });
});

/** A commune's small year: a plan of three tasks (one on time, one late, one overdue), nothing else. */
const example = (): CchcInput => {
  const cut = { asOf: '2022-11-30', knownAt: null, position: 42 };
  const unit = { unitId: 'ubnd-xa-nam-binh', name: 'UBND xã Nam Bình', kind: 'commune' as const };
  const task = (taskId: string, dueOn: string, completedOn: string | null) => ({
    taskId, title: `Nhiệm vụ ${taskId}`, field: 'the_che' as const, fieldName: 'Cải cách thể chế' as const, status: (completedOn ? 'done' : 'open') as 'done' | 'open', leadUnitId: unit.unitId, supportingUnitIds: [],
    dueOn, completedOn, progress: null,
  });
  return {
    year: 2022, period: 'year', cut, day: '2022-11-30', unit, parent: null,
    registry: { units: new Map([[unit.unitId, unit]]), documents: new Map() },
    plans: [{
      plan: { planId: 'p1', title: 'Kế hoạch CCHC năm 2022', year: 2022, documentId: null, amendments: [], ownerUnitId: unit.unitId, issuedOn: '2022-01-05' },
      progress: { planId: 'p1', unitId: null, total: 3, completed: 2, completedOnTime: 1, overdue: 1, inProgress: 0, withProgressReport: 0, completionRate: 0.6667,
        byField: [{ field: 'the_che', fieldName: 'Cải cách thể chế', total: 3, completed: 2 }], byUnit: [{ unitId: unit.unitId, total: 3, completed: 2 }], cut },
      tasks: { planId: 'p1', unitId: null, tasks: [task('T1', '2022-05-01', '2022-04-01'), task('T2', '2022-05-01', '2022-06-01'), task('T3', '2022-10-01', null)], cut },
    }],
    inspections: [], recruitments: [],
    legal: { documents: [], counts: { drafted: 0, appraised: 0, issued: 0, inForce: 0, expired: 0 }, cut },
    findings: [], treeHead: null,
  };
};

type Counts = { applications: number; withdrawn: number; eligible: number; ineligible: number; pending: number; passed: number; appointed: number };
const counts = (c: Partial<Counts>): Counts => ({ applications: 0, withdrawn: 0, eligible: 0, ineligible: 0, pending: 0, passed: 0, appointed: 0, ...c });

/** The same commune with an inspection under way (a finding to act on) and a drive whose council is formed, two applications withdrawn. */
const busier = (): CchcInput => {
  const base = example();
  const { cut } = base;
  const positions = [
    { positionId: 'vh', title: 'Công chức Văn hóa – xã hội', quota: 1, ...counts({ applications: 5, withdrawn: 2, eligible: 2, ineligible: 0, pending: 1 }) },
    { positionId: 'tp', title: 'Công chức Tư pháp – hộ tịch', quota: 1, ...counts({ applications: 3, eligible: 3 }) },
  ];
  return {
    ...base,
    inspections: [{
      summary: { inspectionId: 'kt', title: 'Kiểm tra công vụ năm 2022', leadUnitId: base.unit.unitId, memberUnitIds: [], periodFrom: '2022-03-01', periodTo: '2022-12-15',
        status: 'in_progress', targets: 2, inspected: 1, documentId: null, teamDocumentId: null, concludedOn: null, reportDocumentId: null, summary: null },
      log: { inspectionId: 'kt', unitId: null, title: 'Kiểm tra công vụ năm 2022', status: 'in_progress',
        visits: [{ unitId: 'thon-1', unitName: 'Thôn 1', date: '2022-05-12', findings: 'Chấp hành tốt quy định' }],
        visitsByUnit: [{ unitId: 'thon-1', unitName: 'Thôn 1', visits: 1, findings: [
          { on: '2022-05-12', finding: 'Chấp hành tốt quy định', requiresAction: null }, { on: '2022-05-12', finding: 'Hồ sơ quá hạn chưa có thư xin lỗi', requiresAction: true }] }],
        coverage: { targets: 2, inspected: 1 }, cut },
    }],
    recruitments: [{
      summary: { recruitmentId: 'cx', title: 'Tuyển dụng công chức xã năm 2022', kind: 'cong_chuc_cap_xa', method: 'xet_tuyen', documentId: null, ownerUnitId: base.unit.unitId,
        approvedOn: '2022-09-01', status: 'council_formed', noticeDocumentId: null, councilDocumentId: null, resultDocumentId: null },
      pipeline: { recruitmentId: 'cx', title: 'Tuyển dụng công chức xã năm 2022', kind: 'cong_chuc_cap_xa', status: 'council_formed', window: { from: '2022-10-01', to: '2022-10-30' },
        positions, totals: { quota: 2, ...counts({ applications: 8, withdrawn: 2, eligible: 5, ineligible: 0, pending: 1 }) }, cut },
    }],
  };
};

describe('the report of a busier year', () => {
  const model = buildCchcReport(busier());
  const text = JSON.stringify(model.sections);

  it('counts withdrawn applications among those received, and says so', () => {
    expect(text).toContain('Số phiếu đăng ký dự tuyển: 08 phiếu (kể cả 02 phiếu của thí sinh đã rút hồ sơ), trong đó:');
    expect(text).toContain('Công chức Văn hóa – xã hội: 05 phiếu (02 thí sinh rút hồ sơ);');
    expect(text).toContain('Công chức Tư pháp – hộ tịch: 03 phiếu.');
    expect(text).toContain('05 thí sinh đủ điều kiện, 0 thí sinh không đủ điều kiện; 01 phiếu chưa xét.');
    const appendix = model.appendices[3].table;
    expect(appendix.columns.map((c) => c.header)).toEqual(['STT', 'Vị trí tuyển dụng', 'Chỉ tiêu', 'Phiếu đăng ký', 'Trong đó rút hồ sơ', 'Đủ điều kiện',
      'Không đủ điều kiện', 'Trúng tuyển', 'Đã tuyển dụng']);
    expect(appendix.rows.at(-1)).toEqual({ cells: ['', 'Cộng', '2', '8', '2', '5', '0', '0', '0'], bold: true });
  });

  it('says where the drive and the inspection stand, in words', () => {
    expect(text).toContain('Hội đồng tuyển dụng đã được thành lập.');
    expect(text).toContain('Quy trình tuyển dụng đang tiếp tục thực hiện theo quy định.');
    expect(text).toContain('Đợt kiểm tra đang tiến hành, chưa có kết luận tại lát cắt này.');
    // A visit's notes are in the appendix; a finding recorded on its own is stated, with its call for action.
    expect(text).toContain('Các phát hiện, kiến nghị: Thôn 1 (12/05/2022): Hồ sơ quá hạn chưa có thư xin lỗi — yêu cầu khắc phục.');
    expect(text).not.toContain('Thôn 1 (12/05/2022): Chấp hành tốt');
  });

  it('writes the same drive as a sheet, withdrawn and pending in their own columns', () => {
    const { pipeline } = busier().recruitments[0];
    const csv = toCsv(SHEETS['/api/v1/recruitments/:recruitmentId/pipeline'](pipeline, (id) => id)).toString('utf8').split('\r\n');
    expect(csv[1]).toBe('Mã vị trí,Vị trí tuyển dụng,Chỉ tiêu,Phiếu đăng ký,Trong đó rút hồ sơ,Đủ điều kiện,Không đủ điều kiện,Chưa xét,Trúng tuyển,Đã tuyển dụng');
    expect(csv.at(-2)).toBe(',Tổng cộng,2,8,2,5,0,1,0,0');
  });
});
