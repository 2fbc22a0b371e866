import { CommandBus } from '@nestjs/cqrs';
import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { testEngines } from '@reform-ledger/ledger/testing';
import { Projector } from '@reform-ledger/projections';
import { CSV_TYPE, REPORT_VIEWS, XLSX_TYPE } from '@reform-ledger/reports';
import { Marks } from '../marks';
import { appUnderTest } from '../testing';
import { loadScenario, ScenarioReport } from '../scenario/load';

const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};
const csvRows = (text: string) => new Promise<string[][]>((resolve, reject) => {
  const rows: string[][] = [];
  parseString(text, { headers: false }).on('data', (r: string[]) => rows.push(r)).on('error', reject).on('end', () => resolve(rows));
});
const utc = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe.each(testEngines())('every view as XLSX and CSV on $name PostgreSQL', (engine) => {
  const t = appUnderTest(engine);
  let scenario: ScenarioReport;
  let cut: string;
  const fetch = (path: string) => request(t.app.getHttpServer()).get(path).set('Authorization', 'Bearer demo-manager');
  /** The route's JSON, its workbook (sheets as arrays of rows, row 1 = cut) and its CSV (rows), at one cut. */
  const formats = async (route: string) => {
    const sep = route.includes('?') ? '&' : '?';
    const json = await fetch(`${route}${sep}${cut}`);
    expect({ route, status: json.status }).toEqual({ route, status: 200 });
    const xlsx = await fetch(`${route}${sep}${cut}&format=xlsx`).buffer(true).parse(binary);
    expect({ route, status: xlsx.status, type: xlsx.headers['content-type'] }).toEqual({ route, status: 200, type: XLSX_TYPE });
    expect(xlsx.headers['content-disposition']).toMatch(/^attachment; filename=".+-2022-11-30-vi-tri-\d+\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(xlsx.body as Buffer).buffer);
    const sheets = workbook.worksheets.map((s) => {
      const rows: unknown[][] = [];
      s.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
      return { name: s.name, rows };
    });
    const csv = await fetch(`${route}${sep}${cut}&format=csv`).buffer(true).parse(binary);
    expect({ route, status: csv.status, type: csv.headers['content-type'] }).toEqual({ route, status: 200, type: CSV_TYPE });
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = await csvRows(text.slice(1));
    // The first row names the cut, in both.
    const cutRow = `Lát cắt: tình trạng đến hết ngày 30/11/2022; theo sổ cái đến vị trí ${json.body.cut.position}`;
    for (const s of sheets) expect(s.rows[0][0]).toBe(cutRow);
    expect(rows[0]).toEqual([cutRow]);
    return { json: json.body, sheets, csv: rows };
  };

  beforeAll(async () => {
    scenario = await loadScenario(t.app.get(CommandBus), t.app.get(Marks));
    expect(await t.app.get(Projector).waitFor(REPORT_VIEWS.map((v) => v.name), scenario.head, 60_000)).toBe(true);
    cut = `asOf=2022-11-30&position=${scenario.head}`;
  }, 120_000);

  it('plan progress: the totals, per field and per lead unit, with Vietnamese headers', async () => {
    const { json, sheets, csv } = await formats('/api/v1/plans/cchc-2022/progress');
    const headers = ['Nhóm', 'Mã', 'Tên', 'Tổng số', 'Hoàn thành', 'Hoàn thành đúng hạn', 'Quá hạn', 'Đang thực hiện', 'Đang thực hiện, đã báo cáo tiến độ', 'Tỷ lệ hoàn thành'];
    expect(sheets[0].rows[1]).toEqual(headers);
    expect(csv[1]).toEqual(headers);
    expect(sheets[0].rows[2]).toEqual(['Toàn kế hoạch', 'cchc-2022', undefined, 55, 55, 49, 0, 0, 0, 1]);
    expect(csv[2]).toEqual(['Toàn kế hoạch', 'cchc-2022', '', '55', '55', '49', '0', '0', '0', '1']);
    const fields = sheets[0].rows.filter((r) => r[0] === 'Lĩnh vực');
    expect(fields.map((r) => [r[1], r[3], r[4]])).toEqual(json.byField.map((f: { field: string; total: number; completed: number }) => [f.field, f.total, f.completed]));
    const units = csv.filter((r) => r[0] === 'Đơn vị chủ trì');
    expect(units.map((r) => [r[1], Number(r[3]), Number(r[4])])).toEqual(json.byUnit.map((u: { unitId: string; total: number; completed: number }) => [u.unitId, u.total, u.completed]));
    expect(units.find((r) => r[1] === 'phong-noi-vu')![2]).toBe('Phòng Nội vụ');
  });

  it('the task board: real dates in XLSX, ISO dates in CSV, each task once', async () => {
    const { json, sheets, csv } = await formats('/api/v1/plans/cchc-2022/tasks');
    expect(sheets[0].rows[1]).toEqual(['Mã nhiệm vụ', 'Nhiệm vụ', 'Lĩnh vực', 'Trạng thái', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời hạn', 'Ngày hoàn thành', 'Đúng hạn',
      'Tiến độ báo cáo gần nhất', 'Ngày báo cáo tiến độ']);
    const rows = sheets[0].rows.slice(2);
    expect(rows).toHaveLength(55);
    json.tasks.forEach((task: { taskId: string; dueOn: string; completedOn: string }, i: number) => {
      expect(rows[i][0]).toBe(task.taskId);
      expect(rows[i][6]).toEqual(utc(task.dueOn));
      expect(rows[i][7]).toEqual(utc(task.completedOn));
      expect(csv[i + 2].slice(6, 8)).toEqual([task.dueOn, task.completedOn]);
    });
    expect(rows.filter((r) => r[8] === 'Có')).toHaveLength(49);
    expect(rows.filter((r) => r[8] === 'Không')).toHaveLength(6);
  });

  it('the inspection log: 24 visits, 20 units, coverage', async () => {
    const { json, sheets, csv } = await formats('/api/v1/inspections/kt-ct01-2022/log');
    expect(sheets.map((s) => s.name)).toEqual(['Lượt kiểm tra', 'Theo đơn vị', 'Bao phủ']);
    expect(sheets[0].rows.slice(2).map((r) => [(r[0] as Date).toISOString().slice(0, 10), r[1]])).toEqual(
      json.visits.map((v: { date: string; unitId: string }) => [v.date, v.unitId]));
    expect(csv.slice(2)).toHaveLength(24);
    const perUnit = sheets[1].rows.slice(2);
    expect(perUnit).toHaveLength(20);
    expect(perUnit.reduce((n, r) => n + (r[2] as number), 0)).toBe(24);
    expect(json.status).toBe('in_progress');
    expect(sheets[2].rows[2]).toEqual(['Đang tiến hành', 20, 20]);
    // Each unit's findings: the notes of its visits, with their days.
    expect(perUnit.find((r) => r[0] === 'ubnd-xa-nam-binh')![3]).toMatch(/^\d{2}\/\d{2}\/2022: Chấp hành tốt quy định; \d{2}\/\d{2}\/2022: Chấp hành tốt quy định$/);
  });

  it('the recruitment pipeline: quotas, applications (withdrawn among them) and decisions per position, and the totals', async () => {
    const { json, sheets, csv } = await formats('/api/v1/recruitments/vien-chuc-2022/pipeline');
    expect(sheets[0].rows[1]).toEqual(['Mã vị trí', 'Vị trí tuyển dụng', 'Chỉ tiêu', 'Phiếu đăng ký', 'Trong đó rút hồ sơ', 'Đủ điều kiện', 'Không đủ điều kiện', 'Chưa xét',
      'Trúng tuyển', 'Đã tuyển dụng']);
    const rows = sheets[0].rows.slice(2);
    type Counts = { quota: number; applications: number; withdrawn: number; pending: number };
    expect(rows.map((r) => [r[2], r[3], r[4], r[7]])).toEqual([...json.positions, json.totals].map((p: Counts) => [p.quota, p.applications, p.withdrawn, p.pending]));
    expect(rows.at(-1)).toEqual([undefined, 'Tổng cộng', 43, 26, 0, 0, 0, 26, 0, 0]);
    expect(csv.at(-1)).toEqual(['', 'Tổng cộng', '43', '26', '0', '0', '0', '26', '0', '0']);
    const cx = await formats('/api/v1/recruitments/cong-chuc-xa-2022/pipeline');
    expect(cx.csv.at(-1)!.slice(2, 8)).toEqual(['15', '28', '0', '27', '1', '0']);
    // The drives' stages, in words.
    const list = await formats('/api/v1/recruitments?year=2022');
    expect(list.sheets[0].rows.slice(2).map((r) => r.at(-1))).toEqual(list.json.recruitments.map(() => 'Đã hết hạn nhận phiếu đăng ký'));
  });

  it('the QPPL register and its counts; the lists; the data-quality points', async () => {
    const legal = await formats('/api/v1/legal-documents?year=2022');
    expect(legal.sheets[0].rows.slice(2)).toHaveLength(legal.json.documents.length);
    expect(legal.sheets[1].rows[1]).toEqual(['Dự thảo trong năm', 'Đã thẩm định', 'Đã ban hành', 'Còn hiệu lực', 'Hết hiệu lực trong năm']);
    const c = legal.json.counts;
    expect(legal.sheets[1].rows[2]).toEqual([c.drafted, c.appraised, c.issued, c.inForce, c.expired]);
    expect([c.appraised, c.issued, c.expired]).toEqual([6, 6, 6]);
    const issued = legal.sheets[0].rows.slice(2).filter((r) => r[7] instanceof Date && (r[7] as Date).getUTCFullYear() === 2022);
    expect(issued.map((r) => r[6])).toEqual(['01/2022/QĐ-UBND', '02/2022/QĐ-UBND', '03/2022/QĐ-UBND', '04/2022/QĐ-UBND', '05/2022/QĐ-UBND', '06/2022/QĐ-UBND']);

    for (const [route, key, sheet] of [['/api/v1/plans?year=2022', 'plans', 'Kế hoạch'], ['/api/v1/inspections?year=2022', 'inspections', 'Đợt kiểm tra'],
      ['/api/v1/recruitments?year=2022', 'recruitments', 'Đợt tuyển dụng'], ['/api/v1/data-quality', 'findings', 'Điểm cần lưu ý']]) {
      const { json, sheets, csv } = await formats(route);
      expect({ route, name: sheets[0].name, rows: sheets[0].rows.length - 2, csv: csv.length - 2 }).toEqual({ route, name: sheet, rows: json[key].length, csv: json[key].length });
    }
  });

  it('leaves JSON as it was, refuses an unknown format, and keeps problems as problems', async () => {
    const plain = await fetch(`/api/v1/plans/cchc-2022/progress?${cut}`);
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect((await fetch(`/api/v1/plans/cchc-2022/progress?${cut}&format=json`)).headers['content-type']).toMatch(/^application\/json/);
    const bad = await fetch(`/api/v1/plans/cchc-2022/progress?${cut}&format=pdf`);
    expect([bad.status, bad.body.errors[0].field, bad.body.errors[0].reason]).toEqual([400, 'format', 'phải là một trong: json, xlsx, csv']);
    const english = await fetch(`/api/v1/plans/cchc-2022/progress?${cut}&format=pdf`).set('Accept-Language', 'en');
    expect(english.body.errors[0].reason).toBe('must be one of: json, xlsx, csv');
    const missing = await fetch('/api/v1/plans/khong-co/progress?format=xlsx');
    expect([missing.status, missing.headers['content-type']]).toEqual([404, expect.stringContaining('application/problem+json')]);
    expect((await request(t.app.getHttpServer()).get('/api/v1/plans?format=csv')).status).toBe(401);
  });
});
