import { IsoDate, localDayOf, localTimeOf, vietnameseDate } from '@reform-ledger/calendar';
import { DOCUMENT_TYPE_NAMES, type DocumentType } from '@reform-ledger/domain';

/**
 * Numbers, dates and document citations as Vietnamese administrative writing has them:
 * `1.393`, `81,3 %`, `06 văn bản`, `30/11/2022`, "Quyết định số 39/QĐ-UBND ngày 10/01/2022 của …".
 */

const NBSP = '\u00a0';
const integers = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** 1393 → "1.393"; 81.3 → "81,3". */
export const viNumber = (n: number): string => (Number.isInteger(n) ? integers : oneDecimal).format(n);

/** A count as official reports write it: below ten with a leading zero ("06 dự thảo", "02 lần"). */
export const viCount = (n: number): string => (n > 0 && n < 10 ? `0${n}` : viNumber(n));

/** A share as a percentage with one decimal, rounded half up: 42/265 → "15,8 %"; 55/55 → "100 %". */
export const viPercent = (numerator: number, denominator: number): string =>
  denominator === 0 ? '—' : `${viNumber(Math.round((numerator * 1000) / denominator) / 10)}${NBSP}%`;

export const viDate = (date: IsoDate): string => vietnameseDate(date);

/** An instant at its time and day in the ledger's zone (Vietnam's by default): "17:00:00 ngày 05/12/2022". */
export const viMoment = (instant: string): string => `${localTimeOf(instant)} ngày ${vietnameseDate(localDayOf(instant))}`;

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
export const roman = (n: number): string => ROMAN[n - 1] ?? String(n);

/** Uppercase with Vietnamese diacritics kept: "huyện Đắk Song" → "HUYỆN ĐẮK SONG". */
export const upper = (text: string): string => text.toLocaleUpperCase('vi');

export type CitedDocument = { reference: string; date: IsoDate; documentType: DocumentType; title?: string; issuerName: string };

/**
 * What a document is about, from its registered title, as it follows "về": the type name is not
 * repeated, a leading "Về (việc)" is dropped, and a title that only names the document again
 * ("Quyết định QPPL số 01/2022") gives no subject.
 */
export const subjectOf = (doc: Pick<CitedDocument, 'documentType' | 'title' | 'reference'>): string | null => {
  let title = doc.title?.trim();
  if (!title) return null;
  const type = DOCUMENT_TYPE_NAMES[doc.documentType];
  if (title.toLocaleLowerCase('vi').startsWith(type.toLocaleLowerCase('vi'))) {
    title = title.slice(type.length).trim();
    if (!title || /(^|\s)số\s|\d/.test(title)) return null;
  }
  title = title.replace(/^về việc\s+|^về\s+/i, '');
  // Lower-case the first letter of an ordinary word; keep acronyms (QPPL, PCI) and proper names as written.
  return /^\p{Lu}\p{Ll}/u.test(title) && !/^(Đắk|Đăk|Ủy|UBND|Nghị|Chính)/.test(title) ? title[0].toLocaleLowerCase('vi') + title.slice(1) : title;
};

/** First mention: type, number, date, issuer and subject. */
export const citeFull = (doc: CitedDocument): string => {
  const subject = subjectOf(doc);
  const about = subject ? ` ${doc.documentType === 'quyet_dinh' || doc.documentType === 'cong_van' ? 'về việc' : 'về'} ${subject}` : '';
  return `${DOCUMENT_TYPE_NAMES[doc.documentType]} số ${doc.reference} ngày ${viDate(doc.date)} của ${doc.issuerName}${about}`;
};

/** Later mentions: type and number. */
export const citeShort = (doc: Pick<CitedDocument, 'documentType' | 'reference'>): string => `${DOCUMENT_TYPE_NAMES[doc.documentType]} số ${doc.reference}`;
