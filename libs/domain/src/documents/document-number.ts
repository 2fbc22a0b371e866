import { IsoDate, yearOf } from '@reform-ledger/calendar';
import { DomainError } from '../shared/domain-error';
import { normaliseText, slug } from '../shared/text';

/**
 * A document's number and symbol (số, ký hiệu) as the seed writes them:
 *   state style  `39/QĐ-UBND`, `01/2022/QĐ-UBND` (number/year/type-issuer), `108a/KH-UBND`,
 *                `01/2015/TTLT-BNV-BTC`, `399/BC-ĐKT`, with a stray `số` prefix (`số100/KH-UBND`);
 *   party style  `09-NQ/TU`, `70 – KH/HU` (en dash and spaces).
 * The number stays a string (`108a`); `reference` is the canonical spelling.
 */
export type DocumentNumber = {
  style: 'state' | 'party';
  /** As written, leading zeros kept: `01`, `108a`. */
  number: string;
  symbol: string;
  /** The year written inside the number (`01/2022/QĐ-UBND`), when there is one. */
  year?: number;
  reference: string;
};

/** The document a reference denotes: identity is (issuer, number, symbol, year), never the symbol alone. */
export type DocumentRef = DocumentNumber & { issuerUnitId: string; year: number; date: IsoDate };

const SYMBOL_PART = String.raw`[\p{Lu}][\p{L}\d&.]*`;
const STATE = new RegExp(String.raw`^(\d{1,6}[a-z]?)\/(?:(\d{4})\/)?(${SYMBOL_PART}(?:-${SYMBOL_PART})*)$`, 'u');
const PARTY = new RegExp(String.raw`^(\d{1,6}[a-z]?)-(${SYMBOL_PART})\/(${SYMBOL_PART}(?:-${SYMBOL_PART})*)$`, 'u');

export const parseDocumentNumber = (raw: string): DocumentNumber => {
  const text = normaliseText(raw)
    .replace(/^(số|so)\s*[:.]?\s*/iu, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s*([/-])\s*/g, '$1')
    .replace(/^(\d+)([A-Z])(?=\/)/, (_m, digits: string, letter: string) => digits + letter.toLowerCase());
  const state = STATE.exec(text);
  if (state) {
    const [, number, year, symbol] = state;
    return { style: 'state', number, symbol, ...(year && { year: Number(year) }), reference: text };
  }
  const party = PARTY.exec(text);
  if (party) {
    const [, number, type, issuer] = party;
    return { style: 'party', number, symbol: `${type}/${issuer}`, reference: text };
  }
  throw new DomainError('document.number_invalid',
    `"${raw}" is not a document number and symbol such as 39/QĐ-UBND, 01/2022/QĐ-UBND or 09-NQ/TU`, 'data.reference', { reference: raw });
};

/**
 * Resolves a reference dated `date` from `issuerUnitId`. For `NN/YYYY/TYPE` numbers the year in the
 * number must be the year of the date: the seed's "Thông tư số 01/2020/TT-VPCP, ngày 21/10/2021" is
 * refused with `document.year_mismatch`.
 */
export const resolveDocument = (raw: string, date: IsoDate, issuerUnitId: string): DocumentRef => {
  const parsed = parseDocumentNumber(raw);
  const dateYear = yearOf(date);
  if (parsed.year !== undefined && parsed.year !== dateYear) {
    throw new DomainError('document.year_mismatch',
      `${parsed.reference} carries the year ${parsed.year} but is dated ${date}; one of the two is wrong`, 'occurredAt',
      { reference: parsed.reference, year: parsed.year, date });
  }
  return { ...parsed, issuerUnitId, year: dateYear, date };
};

/** The number without padding, for identity: `01` and `1` are the same number. */
const identityNumber = (number: string) => number.replace(/^0+(?=\d)/, '');

/** The document's record id, derived from its identity: `ubnd-dak-song.2022.39.qd-ubnd`. */
export const documentId = (ref: Pick<DocumentRef, 'issuerUnitId' | 'year' | 'number' | 'symbol'>): string =>
  [slug(ref.issuerUnitId), ref.year, slug(identityNumber(ref.number)), slug(ref.symbol)].join('.');
