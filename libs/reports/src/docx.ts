import { isCalendarDate } from '@reform-ledger/calendar';
import {
  AlignmentType, BorderStyle, Document, FootnoteReferenceRun, Header, HighlightColor, ISectionOptions, LineRuleType, Packer, PageNumber,
  PageOrientation, Paragraph, ParagraphChild, Table, TableCell, TableRow, TextRun, VerticalAlign, WidthType,
} from 'docx';
import type { Block, Column, ReportModel, Run, Section, Table as ModelTable } from './model';
import { cutText, footnoteText } from './model';
import { viDate, viMoment, viNumber } from './vietnamese';

/**
 * The DOCX of a report model, in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins
 * 20/20/30/15 mm, Times New Roman (all four font slots, so Vietnamese never falls back to another
 * face), body 14 pt justified with a 1 cm first-line indent, page numbers centred at the top from
 * page 2, landscape appendices whose tables repeat their header row on every page.
 */

const FONT = 'Times New Roman';
const mm = (n: number) => Math.round((n * 1440) / 25.4);
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15), header: mm(10), footer: mm(10) };
const PORTRAIT_TEXT = A4.width - MARGIN.left - MARGIN.right;
const LANDSCAPE_TEXT = A4.height - MARGIN.left - MARGIN.right;
const INDENT = 567; // 1 cm
const pt = (n: number) => n * 2; // docx sizes are half-points

type RunStyle = { size?: number; bold?: boolean; italic?: boolean };

const run = (r: Run, style: RunStyle = {}): ParagraphChild[] => {
  const children: ParagraphChild[] = [new TextRun({
    text: r.text,
    bold: r.bold ?? style.bold,
    italics: r.italic ?? (r.placeholder || style.italic),
    size: style.size,
    ...(r.placeholder && { highlight: HighlightColor.YELLOW }),
  })];
  if (r.footnote) {
    children.push(new FootnoteReferenceRun({
      children: [new Paragraph({ alignment: AlignmentType.JUSTIFIED, children: [new TextRun({ text: ` ${footnoteText(r.footnote)}`, size: pt(10) })] })],
    }));
  }
  return children;
};

const body = (runs: Run[], options: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; style?: RunStyle } = {}) =>
  new Paragraph({
    alignment: options.align ?? AlignmentType.JUSTIFIED,
    indent: options.indent === false ? undefined : { firstLine: INDENT },
    spacing: { before: 0, after: 120, line: 288, lineRule: LineRuleType.AUTO },
    children: runs.flatMap((r) => run(r, options.style)),
  });

const centred = (text: string, style: RunStyle & { after?: number; before?: number } = {}) => new Paragraph({
  alignment: AlignmentType.CENTER,
  spacing: { before: style.before ?? 0, after: style.after ?? 0 },
  children: [new TextRun({ text, bold: style.bold, italics: style.italic, size: style.size })],
});

/** A short centred rule (the line under the issuing body, the motto, the subject). */
const rule = (cellWidth: number, length: number) => new Paragraph({
  indent: { left: Math.round((cellWidth - length) / 2), right: Math.round((cellWidth - length) / 2) },
  spacing: { before: 0, after: 60, line: 60, lineRule: LineRuleType.EXACT },
  border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
  children: [new TextRun({ text: '', size: 2 })],
});

const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };
const LINE = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const GRID = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE };

const borderless = (widths: number[], cells: Paragraph[][]) => new Table({
  width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
  columnWidths: widths,
  borders: NO_BORDERS,
  rows: [new TableRow({
    children: cells.map((children, i) => new TableCell({ width: { size: widths[i], type: WidthType.DXA }, borders: NO_BORDERS, children })),
  })],
});

const blocks = (items: Block[]): Paragraph[] => items.flatMap((b) =>
  b.kind === 'paragraph' ? [body(b.runs)] : b.items.map((item) => body([{ text: '- ' }, ...item])));

const HEADING_STYLE: RunStyle[] = [{ bold: true }, { bold: true }, { bold: true, italic: true }, { italic: true }];
const sections = (items: Section[], depth = 0): Paragraph[] => items.flatMap((s) => [
  new Paragraph({
    alignment: AlignmentType.LEFT,
    indent: { firstLine: INDENT },
    keepNext: true,
    spacing: { before: depth === 0 ? 120 : 60, after: 120, line: 288, lineRule: LineRuleType.AUTO },
    children: [new TextRun({ text: `${s.number} ${s.title}`, ...HEADING_STYLE[Math.min(depth, 3)], italics: HEADING_STYLE[Math.min(depth, 3)].italic })],
  }),
  ...blocks(s.blocks),
  ...sections(s.sections, depth + 1),
]);

const headerBlock = (model: ReportModel): Table => {
  const h = model.heading;
  const left = 3500;
  const right = PORTRAIT_TEXT - left;
  return borderless([left, right], [
    [
      ...h.issuer.map((line) => centred(line, { bold: true, size: pt(13) })),
      rule(left, 1300),
      centred(h.numberLine, { size: pt(13), before: 60 }),
    ],
    [
      centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: pt(12) }),
      centred('Độc lập - Tự do - Hạnh phúc', { bold: true, size: pt(14) }),
      rule(right, 3000),
      centred(h.placeAndDate, { italic: true, size: pt(14), before: 120 }),
    ],
  ]);
};

const signatureBlock = (model: ReportModel): Table => {
  const s = model.signature;
  const left = Math.round(PORTRAIT_TEXT * 0.45);
  return borderless([left, PORTRAIT_TEXT - left], [
    [
      new Paragraph({ children: [new TextRun({ text: 'Nơi nhận:', bold: true, italics: true, size: pt(12) })] }),
      ...s.recipients.map((line) => new Paragraph({ children: line.flatMap((r) => run(r, { size: pt(11) })) })),
    ],
    [
      ...(s.capacity ? [centred(s.capacity, { bold: true, size: pt(14) })] : []),
      centred(s.position, { bold: true, size: pt(14) }),
      ...[1, 2, 3, 4].map(() => centred('', { size: pt(14) })),
      new Paragraph({ alignment: AlignmentType.CENTER, children: run(s.name, { bold: true, size: pt(14) }) }),
    ],
  ]);
};

const cellParagraph = (text: string, align: Column['align'], style: RunStyle) => new Paragraph({
  alignment: align === 'center' ? AlignmentType.CENTER : align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
  spacing: { before: 40, after: 40 },
  children: [new TextRun({ text, size: pt(12), bold: style.bold, italics: style.italic })],
});

/** A bordered table whose header row repeats on every page it runs over. */
const gridTable = (t: ModelTable, width: number) => {
  const total = t.columns.reduce((a, c) => a + c.width, 0);
  const widths = t.columns.map((c) => Math.floor((c.width / total) * width));
  const cell = (paragraph: Paragraph, i: number, span = 1) => new TableCell({
    width: { size: span === 1 ? widths[i] : widths.slice(i, i + span).reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnSpan: span,
    verticalAlign: VerticalAlign.CENTER,
    margins: { left: 80, right: 80 },
    children: [paragraph],
  });
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    borders: GRID,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: t.columns.map((c, i) => cell(cellParagraph(c.header, 'center', { bold: true }), i)) }),
      ...t.rows.map((r) => new TableRow({
        cantSplit: true,
        children: 'group' in r
          ? [cell(cellParagraph(r.group, 'left', { bold: true }), 0, t.columns.length)]
          : r.cells.map((text, i) => cell(cellParagraph(text, t.columns[i]?.align, { bold: r.bold }), i)),
      })),
    ],
  });
};

const pageNumberHeader = () => new Header({
  children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: pt(14) })] })],
});

const draftHeader = (draft: boolean) => new Header({
  children: draft ? [new Paragraph({
    alignment: AlignmentType.RIGHT,
    children: [new TextRun({ text: ' DỰ THẢO ', bold: true, size: pt(14), border: { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 2 } })],
  })] : [new Paragraph({ children: [] })],
});

const page = (orientation: (typeof PageOrientation)[keyof typeof PageOrientation]) => ({
  size: { ...A4, orientation },
  margin: MARGIN,
});

const ledgerPage = (model: ReportModel): (Paragraph | Table)[] => {
  const { cut, treeHead } = model.ledger;
  const rows: [string, string][] = [
    ['Lát cắt của mọi số liệu', cutText(cut)],
    ['Thời gian hiệu lực (asOf)', cut.asOf ? `${cut.asOf} (${isCalendarDate(cut.asOf) ? `đến hết ngày ${viDate(cut.asOf)}` : viMoment(cut.asOf)})` : 'hiện tại'],
    ['Thời điểm ghi nhận (knownAt)', cut.knownAt ? `${cut.knownAt} (${viMoment(cut.knownAt)})` : 'không giới hạn: mọi bút toán đến vị trí dưới đây'],
    ['Vị trí sổ cái (position)', viNumber(cut.position)],
  ];
  if (treeHead) {
    rows.push(['Đầu cây Merkle đã ký — kích thước (treeSize)', viNumber(treeHead.treeSize)], ['Gốc cây (rootHash)', treeHead.rootHash],
      ['Vị trí sự kiện cuối trong cây (lastPosition)', viNumber(treeHead.lastPosition)],
      ['Mã khóa ký (keyId)', treeHead.keyId], ['Chữ ký Ed25519 (signature)', treeHead.signature], ['Thời điểm ký (timestamp)', `${treeHead.timestamp} (${viMoment(treeHead.timestamp)})`]);
  } else {
    rows.push(['Đầu cây Merkle đã ký', 'Chưa có: chưa có đầu cây được ký bao gồm vị trí này (đầu cây được ký trong vòng 5 giây sau mỗi lần sổ cái tăng). Tính toàn vẹn được kiểm tra bằng lệnh đối chiếu dưới đây.']);
  }
  const width = PORTRAIT_TEXT;
  return [
    centred('TRẠNG THÁI SỔ CÁI DÙNG ĐỂ LẬP BÁO CÁO', { bold: true, size: pt(14), after: 120 }),
    body([{ text: 'Mọi số liệu trong báo cáo này được đọc từ các bảng tổng hợp của sổ cái tại cùng một lát cắt. Người giữ bản in có thể kiểm tra lại sau này rằng sổ cái vẫn chứa đúng những gì nó chứa khi lập báo cáo:' }]),
    new Table({
      width: { size: width, type: WidthType.DXA },
      columnWidths: [Math.round(width * 0.35), width - Math.round(width * 0.35)],
      borders: GRID,
      rows: rows.map(([k, v]) => new TableRow({
        cantSplit: true,
        children: [k, v].map((text, i) => new TableCell({
          width: { size: i === 0 ? Math.round(width * 0.35) : width - Math.round(width * 0.35), type: WidthType.DXA },
          margins: { left: 80, right: 80 },
          children: [cellParagraph(text, 'left', { bold: i === 0 })],
        })),
      })),
    }),
    new Paragraph({ spacing: { after: 120 }, children: [] }),
    body([{ text: `Cách đối chiếu: chép đầu cây ở trên thành tệp head.json (các trường treeSize, rootHash, lastPosition, timestamp, keyId, signature và "format": "reform-ledger-tree-head/1"). `
      + `Về sau, tải bản xuất của sổ cái (GET /api/v1/audit/export, quyền thanh tra) và kiểm tra ngoại tuyến: npm run reform-ledger -- verify <tệp> --trusted-head head.json; `
      + `lệnh này kiểm tra mọi chữ ký, dựng lại cây Merkle và chứng minh sổ cái vẫn mở rộng đúng đầu cây này (hoặc GET /api/v1/audit/consistency?from=${treeHead ? treeHead.treeSize : '<treeSize>'}). `
      + `Rồi đọc lại từng số liệu tại lát cắt ghi ở chú thích của số liệu đó (vị trí ${viNumber(cut.position)}).` }]),
  ];
};

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const renderDocx = async (model: ReportModel): Promise<Buffer> => {
  const h = model.heading;
  const mainSection: ISectionOptions = {
    properties: { titlePage: true, page: page(PageOrientation.PORTRAIT) },
    headers: { first: draftHeader(h.draft), default: pageNumberHeader() },
    children: [
      headerBlock(model),
      centred(h.kind, { bold: true, size: pt(14), before: 360 }),
      centred(h.subject, { bold: true, size: pt(14) }),
      rule(PORTRAIT_TEXT, 2200),
      new Paragraph({ spacing: { after: 120 }, children: [] }),
      ...blocks(model.opening),
      ...sections(model.sections),
      ...blocks(model.closing),
      new Paragraph({ spacing: { after: 120 }, children: [] }),
      signatureBlock(model),
    ],
  };
  const appendixSection: ISectionOptions = {
    properties: { page: page(PageOrientation.LANDSCAPE) },
    headers: { default: pageNumberHeader() },
    children: model.appendices.flatMap((a, i) => [
      new Paragraph({ alignment: AlignmentType.CENTER, pageBreakBefore: i > 0, children: [new TextRun({ text: `Phụ lục ${a.number}`, bold: true, size: pt(14) })] }),
      centred(a.title, { bold: true, size: pt(14) }),
      centred(a.subtitle, { italic: true, size: pt(13), after: 60 }),
      rule(LANDSCAPE_TEXT, 2200),
      ...blocks(a.notes),
      gridTable(a.table, LANDSCAPE_TEXT),
      new Paragraph({ spacing: { before: 120 }, children: [new TextRun({ text: `Số liệu tại lát cắt: ${cutText(model.ledger.cut)}.`, italics: true, size: pt(11) })] }),
    ]),
  };
  const lastSection: ISectionOptions = {
    properties: { page: page(PageOrientation.PORTRAIT) },
    headers: { default: pageNumberHeader() },
    children: ledgerPage(model),
  };
  const document = new Document({
    title: model.title,
    creator: 'Reform Ledger',
    description: `Dự thảo do Reform Ledger lập từ sổ cái; ${cutText(model.ledger.cut)}`,
    styles: {
      default: {
        document: { run: { font: { ascii: FONT, hAnsi: FONT, eastAsia: FONT, cs: FONT }, size: pt(14) } },
      },
    },
    sections: [mainSection, appendixSection, lastSection],
  });
  return Packer.toBuffer(document);
};
