import { CommandBus } from '@nestjs/cqrs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { headMessage, PublicKeys } from '@reform-ledger/ledger';
import { testEngines } from '@reform-ledger/ledger/testing';
import { Projector } from '@reform-ledger/projections';
import { DOCX_TYPE, REPORT_VIEWS } from '@reform-ledger/reports';
import { Marks } from '../marks';
import { appUnderTest } from '../testing';
import { CT01_VISITS } from '../scenario/daksong-2022/scenario';
import { loadScenario, ScenarioReport } from '../scenario/load';
import { readDocx } from './docx-reader';
import { parseReportArgs, reportCommand } from './report-command';

const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};
const vnDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const two = (n: number) => (n > 0 && n < 10 ? `0${n}` : String(n));
/** Each test writes whole DOCX reports (a second or more each on a shared 2-core machine): more than Jest's default 5 s. */
const REPORT_MS = 60_000;

describe.each(testEngines())('the CCHC report (DOCX) on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  let scenario: ScenarioReport;
  const get = async (path: string, token = 'demo-manager') => {
    const res = await request(t.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.body;
  };
  const generated = new Map<string, Promise<{ docx: ReturnType<typeof readDocx>; cut: { asOf: string; knownAt: string | null; position: number } }>>();
  /** The report for a query, generated once per query (and role) for the tests that only read it. */
  const report = (query: string, token = 'demo-manager') => {
    if (!generated.has(`${token} ${query}`)) generated.set(`${token} ${query}`, fresh(query, token));
    return generated.get(`${token} ${query}`)!;
  };
  const fresh = async (query: string, token: string) => {
    const res = await request(t.app.getHttpServer()).get(`/api/v1/reports/cchc?${query}`).set('Authorization', `Bearer ${token}`).buffer(true).parse(binary);
    expect({ query, status: res.status, type: res.headers['content-type'], body: res.status === 200 ? null : String(res.body) }).toEqual({ query, status: 200, type: DOCX_TYPE, body: null });
    return { docx: readDocx(res.body as Buffer), cut: JSON.parse(res.headers['x-report-cut']) };
  };

  beforeAll(async () => {
    scenario = await loadScenario(t.app.get(CommandBus), t.app.get(Marks));
    expect(await t.app.get(Projector).waitFor(REPORT_VIEWS.map((v) => v.name), scenario.head, 60_000)).toBe(true);
  }, 120_000);

  /** What the views answer at the report's cut: the report's numbers must be these. */
  const views = async (asOf: string, position: number) => {
    const cut = `asOf=${asOf}&position=${position}`;
    return {
      progress: await get(`/api/v1/plans/cchc-2022/progress?${cut}`),
      annual: await get(`/api/v1/inspections/kt-cchc-2022/log?${cut}`),
      ct01: await get(`/api/v1/inspections/kt-ct01-2022/log?${cut}`),
      // The district's own register (what it issues, the drafts its departments prepare): the report's; here the whole register too.
      legal: await get(`/api/v1/legal-documents?year=2022&unitId=ubnd-dak-song&${cut}`),
      allLegal: await get(`/api/v1/legal-documents?year=2022&${cut}`),
      vc: asOf >= '2022-09-28' ? await get(`/api/v1/recruitments/vien-chuc-2022/pipeline?${cut}`) : null,
      cx: asOf >= '2022-11-01' ? await get(`/api/v1/recruitments/cong-chuc-xa-2022/pipeline?${cut}`) : null,
      recruitments: await get(`/api/v1/recruitments?year=2022&${cut}`),
    };
  };

  it('states every figure of 30/11/2022 as the views answer it, each with its cut in a footnote', async () => {
    // Đắk Nông's annual cut-off is 30/11: the default when asOf is not given.
    const { docx, cut } = await report('year=2022&period=year');
    expect(cut).toEqual({ asOf: '2022-11-30', knownAt: null, position: scenario.head });
    const v = await views('2022-11-30', cut.position);
    const text = docx.text;

    // Plan: 55/55, 49 on time, 6 late.
    expect([v.progress.total, v.progress.completed, v.progress.completedOnTime]).toEqual([55, 55, 49]);
    expect(text).toContain('kế hoạch có tổng số 55 nhiệm vụ');
    expect(text).toContain('đã hoàn thành 55/55 nhiệm vụ, đạt 100 % kế hoạch; trong đó 49 nhiệm vụ hoàn thành đúng hạn, 06 nhiệm vụ hoàn thành chậm so với thời hạn');
    for (const f of v.progress.byField) expect(text).toContain(`${f.fieldName}: hoàn thành ${f.completed}/${f.total} nhiệm vụ`);
    // The annual inspection: 10 of 10 targets and its report number; Chỉ thị 01: 20 units, 24 visits, per unit.
    expect(v.annual.coverage).toEqual({ targets: 10, inspected: 10 });
    expect(text).toContain('đã kiểm tra 10 đơn vị với 10 lượt kiểm tra, đạt 10/10 đơn vị theo kế hoạch (100 %)');
    expect(text).toContain('Đợt kiểm tra đã kết thúc ngày 29/11/2022; kết quả kiểm tra tại Báo cáo số 399/BC-ĐKT ngày 29/11/2022 của Đoàn kiểm tra cải cách hành chính huyện');
    expect(text).toContain('tóm tắt kết luận: “Đạt 100% kế hoạch kiểm tra”');
    expect([v.ct01.visitsByUnit.length, v.ct01.visits.length]).toEqual([20, 24]);
    expect(text).toContain('đã kiểm tra 20 đơn vị với 24 lượt kiểm tra, đạt 20/20 đơn vị theo kế hoạch');
    // Chỉ thị 01 is in progress (the view says in_progress): not concluded, in words.
    expect(v.ct01.status).toBe('in_progress');
    const ct01 = docx.paragraphs.findIndex((p) => p.text.includes('20 đơn vị với 24 lượt'));
    expect(docx.paragraphs.slice(ct01, ct01 + 3).map((p) => p.text)).toContain('Đợt kiểm tra đang tiến hành, chưa có kết luận tại lát cắt này.');
    for (const [unitId, , , visits] of CT01_VISITS) {
      const name = v.ct01.visitsByUnit.find((u: { unitId: string }) => u.unitId === unitId).unitName;
      expect(text).toContain(`${name} ${two(visits)} lần`);
    }
    // QPPL: 6 appraised, 6 issued with their numbers and dates, 6 expired.
    expect(v.legal.counts).toMatchObject({ appraised: 6, issued: 6, expired: 6 });
    expect(v.allLegal.counts).toEqual(v.legal.counts);
    expect(text).toContain('đã thẩm định 06 dự thảo văn bản quy phạm pháp luật');
    expect(text).toContain('đã ban hành theo thẩm quyền 06 văn bản quy phạm pháp luật:');
    const issued = v.legal.documents.filter((d: { issuedOn: string | null }) => d.issuedOn?.startsWith('2022'));
    expect(issued).toHaveLength(6);
    for (const d of issued) expect(text).toContain(`Quyết định số ${d.reference} ngày ${vnDate(d.issuedOn)}`);
    expect(text).toContain('trong năm 2022 có 06 văn bản hết hiệu lực toàn bộ');
    // Viên chức: quotas per level (43), 26 applications; công chức cấp xã: 15 quotas, 28, 27 eligible, 1 not.
    expect(v.vc.totals).toMatchObject({ quota: 43, applications: 26 });
    expect(text).toContain('tuyển dụng 43 chỉ tiêu cho 05 vị trí');
    for (const p of v.vc.positions) expect(text).toContain(`${p.title}: ${two(p.quota)} chỉ tiêu`);
    expect(text).toContain('Số phiếu đăng ký dự tuyển: 26 phiếu, trong đó:');
    expect(v.vc.totals.withdrawn).toBe(0);
    // Both drives' windows closed before 30/11 (27/11, 25/11): that is their stage, in words.
    expect(v.recruitments.recruitments.map((r: { status: string }) => r.status)).toEqual(['applications_closed', 'applications_closed']);
    expect(text.split('Đã hết thời hạn nhận phiếu đăng ký dự tuyển; quy trình tuyển dụng đang tiếp tục thực hiện theo quy định.')).toHaveLength(3);
    expect(text).toContain('Đã thông báo tuyển dụng tại Thông báo số');
    for (const p of v.vc.positions) expect(text).toContain(`${p.title}: ${two(p.applications) === '0' ? '0' : two(p.applications)} phiếu`);
    expect(v.cx.totals).toMatchObject({ quota: 15, applications: 28, eligible: 27, ineligible: 1 });
    expect(text).toContain('tuyển dụng 15 chỉ tiêu cho 05 vị trí');
    expect(text).toContain('Số phiếu đăng ký dự tuyển: 28 phiếu');
    expect(text).toContain('27 thí sinh đủ điều kiện, 01 thí sinh không đủ điều kiện.');
    // The council of 01/12/2022 is after the cut: not in the report (the seed cited it: A-19).
    expect(text).not.toContain('1307/QĐ-UBND');

    // Every paragraph that states a figure ends with a footnote: its cut and its source.
    const footnoted = docx.paragraphs.filter((p) => p.footnotes.length);
    for (const needle of ['55/55 nhiệm vụ', '20 đơn vị với 24 lượt', '06 dự thảo', '43 chỉ tiêu', '28 phiếu', '27 thí sinh']) {
      const p = docx.paragraphs.find((x) => x.text.includes(needle))!;
      expect({ needle, footnotes: p.footnotes.length }).toEqual({ needle, footnotes: 1 });
    }
    expect(docx.footnotes.size).toBe(footnoted.reduce((n, p) => n + p.footnotes.length, 0));
    for (const note of docx.footnotes.values()) {
      expect(note).toMatch(new RegExp(`^Lát cắt: tình trạng đến hết ngày 30/11/2022; theo sổ cái đến vị trí ${cut.position}\\. Nguồn: .+ \\(GET /api/v1/.+asOf=2022-11-30&position=${cut.position}\\)\\.$`));
    }
    const progressNote = docx.footnotes.get(docx.paragraphs.find((x) => x.text.includes('55/55 nhiệm vụ'))!.footnotes[0]);
    expect(progressNote).toContain(`GET /api/v1/plans/cchc-2022/progress?asOf=2022-11-30&position=${cut.position}`);
  }, REPORT_MS);

  it('has the layout of Nghị định 30/2020/NĐ-CP: header block, A4 margins, Times New Roman, no page number on page 1, DỰ THẢO', async () => {
    const { docx } = await report('year=2022&asOf=2022-11-30');
    // The header block: a borderless two-column table; the number and the date left blank for the clerk.
    const [head] = docx.tables;
    expect(head.borders.every((b) => b === 'none')).toBe(true);
    expect(head.rows[0].cells[0].split('\n')).toEqual(['ỦY BAN NHÂN DÂN', 'HUYỆN ĐẮK SONG', '', expect.stringMatching(/^Số:\s{4,}\/BC-UBND$/)]);
    expect(head.rows[0].cells[1].split('\n')).toEqual(['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', '',
      expect.stringMatching(/^Đắk Song, ngày\s{4,}tháng\s{4,}năm 2022$/)]);
    expect(docx.paragraphs.map((p) => p.text)).toEqual(expect.arrayContaining(['BÁO CÁO', 'Công tác cải cách hành chính năm 2022']));
    // Fonts: Times New Roman in all four slots, and no other face anywhere; body 14 pt.
    expect(docx.defaultFonts).toEqual({ ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: 'Times New Roman', cs: 'Times New Roman' });
    expect([...docx.fontsUsed]).toEqual(['Times New Roman']);
    expect(docx.defaultSize).toBe(28);
    // A4 portrait, margins 20/20/30/15 mm; landscape appendices; a portrait last page.
    const [main, appendices, last] = docx.sections;
    expect(docx.sections).toHaveLength(3);
    expect(main.size).toEqual({ w: 11906, h: 16838, orient: 'portrait' });
    expect(main.margins).toEqual({ top: 1134, bottom: 1134, left: 1701, right: 850 });
    expect(appendices.size).toEqual({ w: 16838, h: 11906, orient: 'landscape' });
    expect(last.size.orient).toBe('portrait');
    // Page numbers centred at the top from page 2; page 1 carries only "DỰ THẢO".
    expect(main.titlePage).toBe(true);
    expect(docx.hasPageField(main.headers.first)).toBe(false);
    expect(docx.headerText(main.headers.first)).toContain('DỰ THẢO');
    expect(docx.hasPageField(main.headers.default)).toBe(true);
    expect(docx.hasPageField(appendices.headers.default)).toBe(true);
    // Body: justified with a first-line indent.
    const body = docx.paragraphs.find((p) => p.text.includes('55/55 nhiệm vụ'))!;
    expect([body.justified, body.firstLine]).toEqual([true, 567]);
    // The end: recipients and the signature block, the name left to write.
    expect(docx.text).toContain('Trên đây là báo cáo công tác cải cách hành chính năm 2022 của UBND huyện Đắk Song./.');
    expect(docx.text).toMatch(/Nơi nhận:\n- UBND tỉnh Đắk Nông \(b\/c\);[\s\S]*- Lưu: VT\.\nTM\. ỦY BAN NHÂN DÂN\nCHỦ TỊCH/);
  }, REPORT_MS);

  it('numbers its headings without gaps, cites documents in full once, and marks what a person must write', async () => {
    const { docx } = await report('year=2022&asOf=2022-11-30');
    const headings = docx.paragraphs.map((p) => p.text).filter((x) => /^([IVX]+\.|\d+\.(\d+\.)?|[a-z]\)) \S/.test(x) && !x.startsWith('- '));
    const top = headings.filter((h) => /^[IVX]+\. /.test(h)).map((h) => h.split('.')[0]);
    expect(top).toEqual(['I', 'II', 'III', 'IV', 'V']);
    // Within each top-level section, 1., 2., 3. … and 1.1., 1.2. … without a gap.
    let [expected, expectedSub] = [0, 0];
    for (const h of headings) {
      if (/^[IVX]+\. /.test(h)) expected = 0;
      else if (/^\d+\. /.test(h)) {
        expect({ h, n: Number(h.split('.')[0]) }).toEqual({ h, n: ++expected });
        expectedSub = 0;
      } else if (/^\d+\.\d+\. /.test(h)) {
        const [a, b] = h.split('.').map(Number);
        expect({ h, a, b }).toEqual({ h, a: expected, b: ++expectedSub });
      }
    }
    expect(headings).toEqual(expect.arrayContaining(['I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH', '1. Cải cách thể chế', 'V. ĐỀ XUẤT, KIẾN NGHỊ']));
    // The plan's decision: type, number, date, issuer and subject at first mention, type and number after.
    const full = 'Quyết định số 39/QĐ-UBND ngày 10/01/2022 của UBND huyện Đắk Song về việc phê duyệt Kế hoạch Cải cách hành chính năm 2022';
    expect(docx.text.split(full)).toHaveLength(2);
    expect(docx.text.indexOf('Quyết định số 39/QĐ-UBND,')).toBeGreaterThan(docx.text.indexOf(full));
    // Places to write: the one-stop desk's on-time rate (81,3 % in the seed) is not in the ledger; nor are strengths.
    const toWrite = docx.paragraphs.filter((p) => p.highlighted).map((p) => p.text);
    expect(toWrite).toEqual(expect.arrayContaining([expect.stringContaining('Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hẹn: […… %'),
      '[Ưu điểm, kết quả nổi bật]', '[Nguyên nhân của tồn tại, hạn chế (khách quan, chủ quan)]']));
    expect(docx.text).not.toContain('81,3');
  }, REPORT_MS);

  it('appends landscape tables with repeated header rows, the data-quality points, and the ledger state on the last page', async () => {
    const { docx, cut } = await report('year=2022&asOf=2022-11-30');
    const appendix = (title: string) => docx.tables.find((tb) => tb.rows[0].cells.join('|') === title)!;
    const tasks = appendix('STT|Nhiệm vụ|Đơn vị chủ trì|Thời hạn|Ngày hoàn thành|Kết quả');
    expect(tasks.rows[0].header).toBe(true);
    const taskRows = tasks.rows.filter((r) => r.cells.length === 6).slice(1);
    expect(taskRows).toHaveLength(55);
    expect(taskRows.filter((r) => r.cells[5] === 'Đúng hạn')).toHaveLength(49);
    expect(taskRows.filter((r) => r.cells[5].startsWith('Chậm '))).toHaveLength(6);
    const visits = appendix('STT|Đơn vị được kiểm tra|Ngày kiểm tra|Kết quả kiểm tra');
    expect(visits.rows[0].header).toBe(true);
    expect(visits.rows.filter((r) => r.cells.length === 4).slice(1)).toHaveLength(10 + 24 + 2);
    const register = appendix('STT|Số, ký hiệu|Ngày ban hành|Trích yếu|Đơn vị soạn thảo|Ngày thẩm định|Tình trạng hiệu lực');
    expect(register.rows.filter((r) => r.cells[6]?.startsWith('Hết hiệu lực toàn bộ'))).toHaveLength(6);
    const recruitment = appendix('STT|Vị trí tuyển dụng|Chỉ tiêu|Phiếu đăng ký|Trong đó rút hồ sơ|Đủ điều kiện|Không đủ điều kiện|Trúng tuyển|Đã tuyển dụng');
    expect(recruitment.rows.filter((r) => r.cells[1] === 'Cộng').map((r) => r.cells.slice(2, 7))).toEqual([['43', '26', '0', '0', '0'], ['15', '28', '0', '27', '1']]);
    const quality = appendix('STT|Loại|Nội dung|Mức độ|Văn bản, kế hoạch');
    expect(quality.rows[0].header).toBe(true);
    expect(quality.rows.map((r) => r.cells[4]).join(' ')).toEqual(expect.stringContaining('122/BC-UBND (17/03/2021)'));
    expect(docx.text).toContain('Phụ lục V\nCÁC ĐIỂM CẦN LƯU Ý');
    // The last page: the ledger position of the cut and the signed tree head that covers it, whose
    // signature checks with the ledger's public key: what a holder of the printed report keeps.
    const last = docx.tables.at(-1)!;
    expect(last.rows.map((r) => r.cells[0])).toEqual(['Lát cắt của mọi số liệu', 'Thời gian hiệu lực (asOf)', 'Thời điểm ghi nhận (knownAt)', 'Vị trí sổ cái (position)',
      'Đầu cây Merkle đã ký — kích thước (treeSize)', 'Gốc cây (rootHash)', 'Vị trí sự kiện cuối trong cây (lastPosition)', 'Mã khóa ký (keyId)', 'Chữ ký Ed25519 (signature)', 'Thời điểm ký (timestamp)']);
    const cell = (i: number) => last.rows[i].cells[1];
    const number = (text: string) => Number(text.replace(/\./g, ''));
    expect(number(cell(3))).toBe(cut.position);
    const head = { treeSize: number(cell(4)), rootHash: cell(5), lastPosition: number(cell(6)), keyId: cell(7), signature: cell(8), timestamp: cell(9).split(' ')[0] };
    expect(head.lastPosition).toBeGreaterThanOrEqual(cut.position);
    const { keys } = await get('/api/v1/audit/public-key', 'demo-inspector');
    expect(new PublicKeys(keys).verify(head.keyId, headMessage(head), Buffer.from(head.signature, 'base64'))).toBe(true);
  }, REPORT_MS);

  it('at 30/06/2022 says 28 of 55 and the half-year’s QPPL: the numbers come from the views, not from the text', async () => {
    const { docx, cut } = await report('year=2022&asOf=2022-06-30');
    const v = await views('2022-06-30', cut.position);
    expect([v.progress.completed, v.progress.total]).toEqual([28, 55]);
    expect(docx.text).toContain(`đã hoàn thành 28/55 nhiệm vụ, đạt 50,9 % kế hoạch; trong đó ${two(v.progress.completedOnTime)} nhiệm vụ hoàn thành đúng hạn`);
    expect(v.progress.overdue).toBe(0);
    expect(docx.text).toContain(`Còn ${v.progress.inProgress} nhiệm vụ đang thực hiện trong thời hạn; không có nhiệm vụ quá hạn.`);
    expect(v.legal.counts).toMatchObject({ appraised: 3, issued: 2 }); // 03/2022 was appraised on 29/04, issued on 19/09
    expect(docx.text).toContain('đã thẩm định 03 dự thảo văn bản quy phạm pháp luật');
    expect(docx.text).toContain('đã ban hành theo thẩm quyền 02 văn bản quy phạm pháp luật: Quyết định số 01/2022/QĐ-UBND ngày 22/02/2022; Quyết định số 02/2022/QĐ-UBND ngày 07/04/2022.');
    // No drive was approved by then; the annual inspection had not started its visits.
    expect(v.recruitments.recruitments).toEqual([]);
    expect(docx.text).toContain('Sổ cái chưa ghi nhận đợt tuyển dụng nào của UBND huyện Đắk Song trong năm 2022 tại lát cắt này.');
    expect(docx.text).toContain(`đã kiểm tra ${two(v.annual.visitsByUnit.length).replace(/^0$/, '0')} đơn vị`);
    for (const note of docx.footnotes.values()) expect(note).toContain('đến hết ngày 30/06/2022');
  }, REPORT_MS);

  it('reads the ledger as it was known at the end of phase 1 (a mark): before the late reports, 50 of 55', async () => {
    const { marks } = await get('/api/v1/ledger/marks');
    const phaseOne = marks.find((m: { position: number }) => m.position === scenario.phaseOne.position);
    expect(phaseOne).toEqual(scenario.phaseOne);
    const known = await report(`year=2022&asOf=2022-11-30&knownAt=${encodeURIComponent(phaseOne.knownAt)}`);
    expect(known.cut).toEqual({ asOf: '2022-11-30', knownAt: phaseOne.knownAt, position: phaseOne.position });
    const v = await views('2022-11-30', phaseOne.position);
    expect([v.progress.completed, v.progress.completedOnTime]).toEqual([50, 44]);
    expect(known.docx.text).toContain('đã hoàn thành 50/55 nhiệm vụ, đạt 90,9 % kế hoạch; trong đó 44 nhiệm vụ hoàn thành đúng hạn');
    expect([...known.docx.footnotes.values()][0]).toContain(`theo sổ cái đến vị trí ${phaseOne.position}; chỉ gồm những gì sổ cái đã ghi nhận đến`);
    // The same as a position.
    const positioned = await report(`year=2022&asOf=2022-11-30&position=${phaseOne.position}`);
    expect(positioned.cut).toEqual({ asOf: '2022-11-30', knownAt: null, position: phaseOne.position });
    expect(positioned.docx.text).toContain('đã hoàn thành 50/55 nhiệm vụ');
  }, REPORT_MS);

  it('writes the same report from the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-report-'));
    try {
      const out = join(dir, 'bao-cao-cchc-2022.docx');
      const lines: string[] = [];
      // A head over the whole seed first (the test's app holds the key; the command line here has none to sign with).
      await request(t.app.getHttpServer()).get('/api/v1/audit/tree-head').set('Authorization', 'Bearer demo-inspector').expect(200);
      await reportCommand(parseReportArgs(['cchc', '--year', '2022', '--as-of', '2022-11-30', '-o', out]), t.db, (l) => lines.push(l));
      expect(lines[0]).toContain(`ledger position ${scenario.head}`);
      const api = await report('year=2022&asOf=2022-11-30');
      expect(readDocx(readFileSync(out)).text).toBe(api.docx.text);
      expect(() => parseReportArgs(['cchc', '--year', '2022', '--as-of', '2022-11-31', '-o', out])).toThrow(/--as-of: ngày 31 không có trong tháng 11\/2022/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, REPORT_MS);

  it('refuses what it cannot answer with a problem naming the field, and departments', async () => {
    const problem = async (query: string, token = 'demo-manager') => {
      const res = await request(t.app.getHttpServer()).get(`/api/v1/reports/cchc?${query}`).set('Authorization', `Bearer ${token}`);
      return { status: res.status, type: res.headers['content-type'], detail: res.body.detail, fields: (res.body.errors ?? []).map((e: { field: string }) => e.field),
        reasons: (res.body.errors ?? []).map((e: { reason: string }) => e.reason) };
    };
    expect(await problem('period=year')).toMatchObject({ status: 400, fields: ['year'], reasons: ['là tham số bắt buộc'] });
    expect(await problem('year=2022&period=Q5')).toMatchObject({ status: 400, fields: ['period'] });
    expect(await problem('year=2022&asOf=2022-11-31')).toMatchObject({ status: 400, fields: ['asOf'] });
    expect(await problem('year=2022&format=pdf')).toMatchObject({ status: 400, fields: ['format'] });
    expect(await problem('year=2022&unitId=khong-co')).toMatchObject({ status: 404, type: expect.stringContaining('application/problem+json'), fields: ['unitId'],
      detail: 'Đơn vị khong-co không có trong sổ đăng ký đơn vị tại lát cắt này: kiểm tra lại mã đơn vị, hoặc chọn asOf muộn hơn.' });
    expect(await problem('year=2019')).toMatchObject({ status: 400, fields: ['unitId'],
      detail: 'Sổ cái chưa có kế hoạch CCHC năm 2019: hãy chỉ rõ đơn vị báo cáo (unitId), hoặc chọn năm khác.' });
    const english = await request(t.app.getHttpServer()).get('/api/v1/reports/cchc?year=2019').set('Authorization', 'Bearer demo-manager').set('Accept-Language', 'en');
    expect([english.status, english.body.detail]).toEqual([400, 'The ledger holds no CCHC plan for 2019: name the reporting unit (unitId), or choose another year.']);
    expect(await problem('year=2022&position=999999')).toMatchObject({ status: 400, fields: ['position'] });
    expect(await problem('year=2022&asof=2022-11-30')).toMatchObject({ status: 400, fields: ['asof'], detail: expect.stringContaining('có phải ý bạn là asOf?') });
    expect(await problem('year=2022', 'demo-dept-phong-noi-vu')).toMatchObject({ status: 403 });
    await report('year=2022', 'demo-inspector');
    await report('year=2022&period=Q3', 'demo-admin');
  }, REPORT_MS);
});
