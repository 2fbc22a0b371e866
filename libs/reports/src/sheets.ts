import { dayOf } from '@reform-ledger/calendar';
import { REFORM_FIELDS, ReformField } from '@reform-ledger/domain';
import type { AnsweredCut } from '@reform-ledger/projections';
import { cutText } from './model';
import { viDate } from './vietnamese';
import type {
  DataQualityAnswer, InspectionLogAnswer, InspectionsAnswer, LegalDocumentsAnswer, PipelineAnswer, PlansAnswer, ProgressAnswer,
  RecruitmentsAnswer, TasksAnswer,
} from './sources';

/**
 * Every view as a spreadsheet: one table per view (more sheets in XLSX where a view has a summary),
 * Vietnamese column headers, dates as real dates, and a first row naming the cut. XLSX for people
 * (dates shown dd/mm/yyyy, counts as numbers); CSV for machines (UTF-8 with BOM so Excel reads the
 * diacritics, comma-separated, dates as YYYY-MM-DD, rates as fractions with a decimal point), its
 * first table only.
 */

type ColumnType = 'text' | 'integer' | 'date' | 'rate';
export type SheetColumn = { key: string; header: string; type: ColumnType; width?: number };
export type SheetRow = Record<string, unknown>;
export type SheetTable = { name: string; columns: SheetColumn[]; rows: SheetRow[] };
export type ViewSheets = { title: string; file: string; cut: AnsweredCut; tables: SheetTable[] };
/** Unit names at the answer's cut, for the columns that would otherwise show ids. */
export type Names = (unitId: string) => string;

const col = (key: string, header: string, type: ColumnType = 'text', width?: number): SheetColumn => ({ key, header, type, width });
const label = (labels: Record<string, string>) => (value: string | null | undefined) => (value == null ? null : labels[value] ?? value);
const yesNo = (value: boolean | null | undefined) => (value == null ? null : value ? 'Có' : 'Không');

const TASK_STATUS = label({ open: 'Đang thực hiện', done: 'Đã hoàn thành', cancelled: 'Đã hủy' });
const INSPECTION_STATUS = label({ planned: 'Chưa tiến hành', in_progress: 'Đang tiến hành', concluded: 'Đã kết thúc' });
const RECRUITMENT_KIND = label({ vien_chuc: 'Viên chức', cong_chuc_cap_xa: 'Công chức cấp xã' });
const RECRUITMENT_METHOD = label({ xet_tuyen: 'Xét tuyển', thi_tuyen: 'Thi tuyển' });
/** A drive's stage: `open` lasts until its application window is over (or until there is a notice at all). */
const RECRUITMENT_STATUS = label({
  open: 'Chưa hết hạn nhận phiếu đăng ký', applications_closed: 'Đã hết hạn nhận phiếu đăng ký', council_formed: 'Đã thành lập hội đồng tuyển dụng',
  results_approved: 'Đã phê duyệt kết quả tuyển dụng', closed: 'Đã kết thúc',
});
const LEGAL_STATUS = label({ draft: 'Dự thảo', issued: 'Còn hiệu lực', expired: 'Hết hiệu lực' });
const SEVERITY = label({ warning: 'Cần kiểm tra lại', info: 'Lưu ý' });

const fileName = (slug: string, cut: AnsweredCut) => `${slug}-${cut.asOf ? dayOf(cut.asOf) : 'hien-tai'}-vi-tri-${cut.position}`;
const rate = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 10_000);

const COUNT_COLUMNS = [col('total', 'Tổng số', 'integer'), col('completed', 'Hoàn thành', 'integer'), col('completedOnTime', 'Hoàn thành đúng hạn', 'integer'),
  col('overdue', 'Quá hạn', 'integer'), col('inProgress', 'Đang thực hiện', 'integer'), col('withProgressReport', 'Đang thực hiện, đã báo cáo tiến độ', 'integer'),
  col('completionRate', 'Tỷ lệ hoàn thành', 'rate')];

/** The spreadsheet of each read route, by its route path (the public contract, stable across refactorings). */
export const SHEETS: Record<string, (answer: any, names: Names) => ViewSheets> = {
  '/api/v1/plans': (a: PlansAnswer, names) => ({
    title: 'Danh sách kế hoạch cải cách hành chính', file: fileName('ke-hoach', a.cut), cut: a.cut,
    tables: [{ name: 'Kế hoạch', columns: [col('planId', 'Mã kế hoạch', 'text', 16), col('title', 'Tên kế hoạch', 'text', 48), col('year', 'Năm', 'integer'),
      col('documentId', 'Mã văn bản ban hành', 'text', 32), col('owner', 'Đơn vị chủ quản', 'text', 30), col('issuedOn', 'Ngày ban hành', 'date'),
      col('amendments', 'Văn bản sửa đổi, bổ sung', 'text', 40)],
    rows: a.plans.map((p) => ({ ...p, owner: names(p.ownerUnitId),
      amendments: p.amendments.map((m) => `${m.documentId ?? 'không có văn bản'} (${viDate(m.on)})`).join('; ') })) }],
  }),
  '/api/v1/plans/:planId/progress': (a: ProgressAnswer, names) => ({
    title: `Tiến độ kế hoạch ${a.planId}`, file: fileName(`tien-do-${a.planId}`, a.cut), cut: a.cut,
    tables: [{ name: 'Tiến độ', columns: [col('group', 'Nhóm', 'text', 16), col('id', 'Mã', 'text', 26), col('name', 'Tên', 'text', 44), ...COUNT_COLUMNS],
      rows: [
        { group: 'Toàn kế hoạch', id: a.planId, name: null, total: a.total, completed: a.completed, completedOnTime: a.completedOnTime, overdue: a.overdue,
          inProgress: a.inProgress, withProgressReport: a.withProgressReport, completionRate: a.completionRate },
        ...a.byField.map((f) => ({ group: 'Lĩnh vực', id: f.field, name: f.fieldName, total: f.total, completed: f.completed, completionRate: rate(f.completed, f.total) })),
        ...a.byUnit.map((u) => ({ group: 'Đơn vị chủ trì', id: u.unitId, name: names(u.unitId), total: u.total, completed: u.completed, completionRate: rate(u.completed, u.total) })),
      ] }],
  }),
  '/api/v1/plans/:planId/tasks': (a: TasksAnswer, names) => ({
    title: `Nhiệm vụ của kế hoạch ${a.planId}`, file: fileName(`nhiem-vu-${a.planId}`, a.cut), cut: a.cut,
    tables: [{ name: 'Nhiệm vụ', columns: [col('taskId', 'Mã nhiệm vụ', 'text', 12), col('title', 'Nhiệm vụ', 'text', 44), col('field', 'Lĩnh vực', 'text', 20),
      col('status', 'Trạng thái', 'text', 16), col('lead', 'Đơn vị chủ trì', 'text', 30), col('supporting', 'Đơn vị phối hợp', 'text', 30), col('dueOn', 'Thời hạn', 'date'),
      col('completedOn', 'Ngày hoàn thành', 'date'), col('onTime', 'Đúng hạn', 'text'), col('progress', 'Tiến độ báo cáo gần nhất', 'rate'),
      col('reportedOn', 'Ngày báo cáo tiến độ', 'date')],
    rows: a.tasks.map((t) => ({ ...t, field: REFORM_FIELDS[t.field as ReformField] ?? t.field, status: TASK_STATUS(t.status), lead: names(t.leadUnitId), supporting: t.supportingUnitIds.map(names).join('; '),
      onTime: t.completedOn ? yesNo(t.completedOn <= t.dueOn) : null,
      progress: t.progress ? rate(t.progress.numerator, t.progress.denominator) : null, reportedOn: t.progress?.reportedOn ?? null })) }],
  }),
  '/api/v1/inspections': (a: InspectionsAnswer, names) => ({
    title: 'Danh sách đợt kiểm tra', file: fileName('dot-kiem-tra', a.cut), cut: a.cut,
    tables: [{ name: 'Đợt kiểm tra', columns: [col('inspectionId', 'Mã đợt kiểm tra', 'text', 18), col('title', 'Tên đợt kiểm tra', 'text', 44), col('lead', 'Đơn vị chủ trì', 'text', 30),
      col('periodFrom', 'Từ ngày', 'date'), col('periodTo', 'Đến ngày', 'date'), col('status', 'Trạng thái', 'text', 16), col('targets', 'Số đơn vị theo kế hoạch', 'integer'),
      col('inspected', 'Số đơn vị đã kiểm tra', 'integer'), col('concludedOn', 'Ngày kết thúc', 'date'), col('summary', 'Kết luận', 'text', 40)],
    rows: a.inspections.map((i) => ({ ...i, lead: names(i.leadUnitId), status: INSPECTION_STATUS(i.status) })) }],
  }),
  '/api/v1/inspections/:inspectionId/log': (a: InspectionLogAnswer) => ({
    title: `Nhật ký kiểm tra: ${a.title}`, file: fileName(`nhat-ky-${a.inspectionId}`, a.cut), cut: a.cut,
    tables: [
      { name: 'Lượt kiểm tra', columns: [col('date', 'Ngày kiểm tra', 'date'), col('unitId', 'Mã đơn vị', 'text', 24), col('unitName', 'Đơn vị được kiểm tra', 'text', 36),
        col('findings', 'Kết quả', 'text', 48)], rows: a.visits },
      { name: 'Theo đơn vị', columns: [col('unitId', 'Mã đơn vị', 'text', 24), col('unitName', 'Đơn vị được kiểm tra', 'text', 36), col('visits', 'Số lượt kiểm tra', 'integer'),
        col('findings', 'Phát hiện', 'text', 48)],
      rows: a.visitsByUnit.map((u) => ({ ...u, findings: u.findings.map((f) => `${viDate(f.on)}: ${f.finding}${f.requiresAction ? ' (yêu cầu khắc phục)' : ''}`).join('; ') })) },
      { name: 'Bao phủ', columns: [col('status', 'Trạng thái', 'text', 16), col('targets', 'Số đơn vị theo kế hoạch', 'integer'), col('inspected', 'Số đơn vị đã kiểm tra', 'integer')],
        rows: [{ status: INSPECTION_STATUS(a.status), ...a.coverage }] },
    ],
  }),
  '/api/v1/recruitments': (a: RecruitmentsAnswer, names) => ({
    title: 'Danh sách đợt tuyển dụng', file: fileName('dot-tuyen-dung', a.cut), cut: a.cut,
    tables: [{ name: 'Đợt tuyển dụng', columns: [col('recruitmentId', 'Mã đợt tuyển dụng', 'text', 20), col('title', 'Tên đợt tuyển dụng', 'text', 48),
      col('kind', 'Loại', 'text', 16), col('method', 'Hình thức', 'text', 12), col('owner', 'Đơn vị thực hiện', 'text', 30), col('documentId', 'Mã văn bản', 'text', 32),
      col('approvedOn', 'Ngày phê duyệt', 'date'), col('status', 'Trạng thái', 'text', 30)],
    rows: a.recruitments.map((r) => ({ ...r, kind: RECRUITMENT_KIND(r.kind), method: RECRUITMENT_METHOD(r.method), owner: names(r.ownerUnitId),
      status: RECRUITMENT_STATUS(r.status) })) }],
  }),
  '/api/v1/recruitments/:recruitmentId/pipeline': (a: PipelineAnswer) => ({
    title: `Tuyển dụng: ${a.title}`, file: fileName(`tuyen-dung-${a.recruitmentId}`, a.cut), cut: a.cut,
    tables: [{ name: 'Theo vị trí', columns: [col('positionId', 'Mã vị trí', 'text', 20), col('title', 'Vị trí tuyển dụng', 'text', 44), col('quota', 'Chỉ tiêu', 'integer'),
      col('applications', 'Phiếu đăng ký', 'integer'), col('withdrawn', 'Trong đó rút hồ sơ', 'integer'), col('eligible', 'Đủ điều kiện', 'integer'),
      col('ineligible', 'Không đủ điều kiện', 'integer'), col('pending', 'Chưa xét', 'integer'), col('passed', 'Trúng tuyển', 'integer'), col('appointed', 'Đã tuyển dụng', 'integer')],
    rows: [...a.positions, { positionId: null, title: 'Tổng cộng', ...a.totals }] }],
  }),
  '/api/v1/legal-documents': (a: LegalDocumentsAnswer, names) => ({
    title: 'Sổ văn bản quy phạm pháp luật', file: fileName('van-ban-qppl', a.cut), cut: a.cut,
    tables: [
      { name: 'Văn bản', columns: [col('legalDocumentId', 'Mã', 'text', 16), col('title', 'Tên dự thảo', 'text', 40), col('status', 'Tình trạng', 'text', 14),
        col('drafting', 'Đơn vị soạn thảo', 'text', 28), col('draftedOn', 'Ngày đăng ký dự thảo', 'date'), col('appraisedOn', 'Ngày thẩm định', 'text', 16),
        col('reference', 'Số, ký hiệu', 'text', 18), col('issuedOn', 'Ngày ban hành', 'date'), col('expiredOn', 'Ngày hết hiệu lực', 'date'),
        col('partlyExpired', 'Hết hiệu lực một phần', 'text')],
      rows: a.documents.map((d) => ({ ...d, status: LEGAL_STATUS(d.status), drafting: names(d.draftingUnitId), appraisedOn: d.appraisedOn.join('; '),
        partlyExpired: yesNo(d.partlyExpired) })) },
      { name: 'Tổng hợp', columns: [col('drafted', 'Dự thảo trong năm', 'integer'), col('appraised', 'Đã thẩm định', 'integer'), col('issued', 'Đã ban hành', 'integer'),
        col('inForce', 'Còn hiệu lực', 'integer'), col('expired', 'Hết hiệu lực trong năm', 'integer')], rows: [a.counts] },
    ],
  }),
  '/api/v1/data-quality': (a: DataQualityAnswer) => ({
    title: 'Các điểm cần lưu ý về số liệu', file: fileName('chat-luong-so-lieu', a.cut), cut: a.cut,
    tables: [{ name: 'Điểm cần lưu ý', columns: [col('rule', 'Quy tắc', 'text', 36), col('severity', 'Mức độ', 'text', 16), col('record', 'Bản ghi', 'text', 40),
      col('detail', 'Nội dung', 'text', 90)], rows: a.findings.map((f) => ({ ...f, severity: SEVERITY(f.severity) })) }],
  }),
};

export const cutRow = (cut: AnsweredCut) => `Lát cắt: ${cutText(cut)}`;
const asDate = (iso: string) => new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))));

export const toXlsx = async (sheets: ViewSheets): Promise<Buffer> => {
  // Loaded on the first workbook asked for, not when the API starts (exceljs is a quarter of a second of CPU to load).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Reform Ledger';
  workbook.title = sheets.title;
  for (const table of sheets.tables) {
    const sheet = workbook.addWorksheet(table.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.columns = table.columns.map((c) => ({ key: c.key, width: c.width ?? (c.type === 'date' ? 14 : c.type === 'text' ? 24 : 14) }));
    sheet.getRow(1).values = [cutRow(sheets.cut)];
    sheet.mergeCells(1, 1, 1, table.columns.length);
    sheet.getRow(1).font = { italic: true };
    const header = sheet.getRow(2);
    header.values = table.columns.map((c) => c.header);
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    for (const row of table.rows) {
      const added = sheet.addRow(table.columns.map((c) => {
        const value = row[c.key];
        if (value == null || value === '') return null;
        return c.type === 'date' ? asDate(String(value)) : value;
      }));
      table.columns.forEach((c, i) => {
        const cell = added.getCell(i + 1);
        if (c.type === 'date') cell.numFmt = 'dd/mm/yyyy';
        else if (c.type === 'integer') cell.numFmt = '#,##0';
        else if (c.type === 'rate') cell.numFmt = '0.0%';
      });
    }
    sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: table.columns.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
};

const csvField = (value: unknown) => {
  const text = value == null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** RFC 4180, CRLF, UTF-8 with a BOM: the first table, under the cut row and the header row. */
export const toCsv = (sheets: ViewSheets): Buffer => {
  const [table] = sheets.tables;
  const lines = [[cutRow(sheets.cut)], table.columns.map((c) => c.header), ...table.rows.map((r) => table.columns.map((c) => r[c.key]))];
  return Buffer.from(`\ufeff${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`, 'utf8');
};

/** What a read route may answer besides JSON (`?format=`). */
export const SHEET_FORMATS = ['xlsx', 'csv'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';
