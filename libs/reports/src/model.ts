import { isCalendarDate } from '@reform-ledger/calendar';
import type { AnsweredCut } from '@reform-ledger/projections';
import type { SignedTreeHead } from './sources';
import { viDate, viMoment, viNumber } from './vietnamese';

/**
 * A report as plain data — sections, paragraphs, tables, the figures with their cuts — built by a pure
 * function from the views' answers and rendered by another (DOCX). Numbering and citations are
 * resolved here, so every renderer prints the same text.
 */

export type Run = {
  text: string;
  bold?: boolean;
  italic?: boolean;
  /** A place for a person to write what the ledger cannot know; rendered highlighted, in brackets. */
  placeholder?: boolean;
  /** The footnote this run ends with: the cut and source of the figures just stated. */
  footnote?: CutNote;
};

/** Where a figure comes from: the cut it was read at and the view (route) that answered. */
export type CutNote = { cut: AnsweredCut; source: string; route: string };

export type Block =
  | { kind: 'paragraph'; runs: Run[] }
  /** A dash list, as Vietnamese reports write them ("- …;"). */
  | { kind: 'list'; items: Run[][] };

export type Section = {
  /** The printed label, assigned by numbering: "I.", "1.", "1.1.", "a)". */
  number: string;
  title: string;
  blocks: Block[];
  sections: Section[];
};

export type Column = { header: string; width: number; align?: 'left' | 'center' | 'right' };
export type TableRow = { cells: string[]; bold?: boolean } | { group: string };
export type Table = { columns: Column[]; rows: TableRow[] };

export type Appendix = { number: string; title: string; subtitle: string; table: Table; notes: Block[] };

export type Heading = {
  /** The issuing body, in capitals, one or two lines ("ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK SONG"). */
  issuer: string[];
  /** "Số:      /BC-UBND": the number is left for the records clerk. */
  numberLine: string;
  /** "Đắk Song, ngày      tháng      năm 2022": the day and month too. */
  placeAndDate: string;
  kind: string;
  subject: string;
  draft: boolean;
};

export type Signature = { recipients: Run[][]; capacity: string | null; position: string; name: Run };

/** The ledger state the report was made from, for its last page. */
export type LedgerState = { cut: AnsweredCut; treeHead: SignedTreeHead | null };

/** A figure as stated, with where it came from: lets a test (or a person) check every number against the views. */
export type Figure = { id: string; value: number | string; note: CutNote };

export type ReportModel = {
  heading: Heading;
  opening: Block[];
  sections: Section[];
  closing: Block[];
  signature: Signature;
  appendices: Appendix[];
  ledger: LedgerState;
  figures: Figure[];
  /** Document properties. */
  title: string;
};

const label = (depth: number, index: number) => {
  const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
  if (depth === 0) return `${ROMAN[index] ?? index + 1}.`;
  if (depth === 3) return `${'abcdefghiklmnopqrstuvxy'[index] ?? index + 1})`;
  return '';
};

/**
 * Numbers sections by position, so headings never skip (the seed's I, II, IV, VI): I., II. at the top,
 * then 1., 2.; 1.1., 1.2.; then a), b).
 */
export type Unnumbered = Omit<Section, 'number' | 'sections'> & { sections: Unnumbered[] };

export const numberSections = (sections: Unnumbered[], depth = 0, prefix = ''): Section[] =>
  sections.map((s, i) => {
    const number = depth === 0 || depth === 3 ? label(depth, i) : `${prefix}${i + 1}.`;
    const childPrefix = depth === 1 ? `${i + 1}.` : prefix;
    return { ...s, number, sections: numberSections(s.sections, depth === 2 ? 3 : depth + 1, childPrefix) };
  });

const when = (cut: AnsweredCut) => {
  if (!cut.asOf) return 'tình trạng hiện tại';
  return isCalendarDate(cut.asOf) ? `tình trạng đến hết ngày ${viDate(cut.asOf)}` : `tình trạng đến ${viMoment(cut.asOf)}`;
};

/** A cut in words: "tình trạng đến hết ngày 30/11/2022; theo sổ cái đến vị trí 353[; …ghi nhận đến …]". */
export const cutText = (cut: AnsweredCut): string =>
  `${when(cut)}; theo sổ cái đến vị trí ${viNumber(cut.position)}${cut.knownAt ? `; chỉ gồm những gì sổ cái đã ghi nhận đến ${viMoment(cut.knownAt)}` : ''}`;

/** A figure's footnote: its cut and the view that answered. */
export const footnoteText = (note: CutNote): string => `Lát cắt: ${cutText(note.cut)}. Nguồn: ${note.source} (${note.route}).`;
