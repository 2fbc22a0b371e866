import { isCalendarDate, IsoDate } from '@reform-ledger/calendar';
import { roman } from './vietnamese';

/** The periods of the CCHC reporting regime: the year, the first half, the quarters. */
export const PERIODS = ['year', 'H1', 'Q1', 'Q2', 'Q3', 'Q4'] as const;
export type Period = (typeof PERIODS)[number];
export const isPeriod = (value: unknown): value is Period => typeof value === 'string' && (PERIODS as readonly string[]).includes(value);

/** A cut-off day within the reported year, `MM-DD`. */
export type CutoffDay = string;
export type Cutoffs = Record<Period, CutoffDay>;

/**
 * The national default: Nghị định 09/2019/NĐ-CP, Điều 12 — periodic reports close their figures on the
 * 14th of the period's last month (the year on 14/12).
 */
export const NATIONAL_CUTOFFS: Cutoffs = { Q1: '03-14', H1: '06-14', Q2: '06-14', Q3: '09-14', Q4: '12-14', year: '12-14' };

/**
 * Provinces that set their own cut-offs, by the province's unit id. Đắk Nông closed the 2022 annual
 * report on 30/11 (its reports are "tính đến ngày 30/11"). More come from REPORT_CUTOFFS.
 */
export const PROVINCE_CUTOFFS: Record<string, Partial<Cutoffs>> = {
  'ubnd-tinh-dak-nong': { year: '11-30' },
};

const MONTH_DAY = /^\d{2}-\d{2}$/;

/**
 * Per-province overrides from a JSON object, e.g. REPORT_CUTOFFS='{"ubnd-tinh-lam-dong":{"year":"12-10","Q1":"03-10"}}',
 * merged over the built-in ones. Throws on a malformed value: a wrong cut-off must not pass silently.
 */
export const provinceCutoffs = (json: string | undefined): Record<string, Partial<Cutoffs>> => {
  if (!json) return PROVINCE_CUTOFFS;
  const parsed = JSON.parse(json) as Record<string, Record<string, string>>;
  const merged: Record<string, Partial<Cutoffs>> = { ...PROVINCE_CUTOFFS };
  for (const [province, days] of Object.entries(parsed)) {
    for (const [period, day] of Object.entries(days)) {
      if (!isPeriod(period) || typeof day !== 'string' || !MONTH_DAY.test(day) || !isCalendarDate(`2024-${day}`)) {
        throw new Error(`REPORT_CUTOFFS: ${province}.${period} = ${JSON.stringify(day)} is not a period with an MM-DD day`);
      }
    }
    merged[province] = { ...merged[province], ...(days as Partial<Cutoffs>) };
  }
  return merged;
};

/** The default cut-off date of a period for a province (or the national one). 02-29 falls back to 02-28. */
export const cutoffDate = (year: number, period: Period, province: string | null, cutoffs = PROVINCE_CUTOFFS): IsoDate => {
  const day = (province && cutoffs[province]?.[period]) || NATIONAL_CUTOFFS[period];
  const date = `${year}-${day}`;
  return isCalendarDate(date) ? date : `${year}-02-28`;
};

const QUARTER_END: Record<string, string> = { Q1: '03-31', Q2: '06-30', Q3: '09-30', Q4: '12-31', H1: '06-30', year: '12-31' };
export const periodEnd = (year: number, period: Period): IsoDate => `${year}-${QUARTER_END[period]}`;

/** "năm 2022", "6 tháng đầu năm 2022", "quý III năm 2022". */
export const periodLabel = (year: number, period: Period): string => {
  if (period === 'year') return `năm ${year}`;
  if (period === 'H1') return `6 tháng đầu năm ${year}`;
  return `quý ${roman(Number(period.slice(1)))} năm ${year}`;
};

/** The period the "coming tasks" section looks to: after Q1 comes Q2, after the year the next year. */
export const nextPeriodLabel = (year: number, period: Period): string => {
  if (period === 'year' || period === 'Q4') return `năm ${year + 1}`;
  if (period === 'H1') return `6 tháng cuối năm ${year}`;
  return `quý ${roman(Number(period.slice(1)) + 1)} năm ${year}`;
};
