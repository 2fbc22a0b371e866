import { DomainError } from './decider';

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** When something happened: a calendar date, or an ISO-8601 datetime with a zone (`Z` or `±hh:mm`). */
export type OccurredAt = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** True for a real calendar date: `2022-11-30` yes, `2022-11-31` and `2023-02-29` no. */
export const isCalendarDate = (value: unknown): value is IsoDate => {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
};

/** True for a calendar date or a datetime on a calendar date with a valid time and zone. */
export const isOccurredAt = (value: unknown): value is OccurredAt => {
  if (isCalendarDate(value)) return true;
  const m = typeof value === 'string' ? DATETIME.exec(value) : null;
  if (!m || !isCalendarDate(m[1])) return false;
  return Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4] ?? 0) <= 59
    && Number(m[5] ?? 0) <= 14 && Number(m[6] ?? 0) <= 59;
};

/** The calendar day of an occurrence, as written (the date on the document, not converted to UTC). */
export const dayOf = (occurredAt: OccurredAt): IsoDate => occurredAt.slice(0, 10);

export const yearOf = (date: IsoDate): number => Number(date.slice(0, 4));

/** Refuses an impossible date with `date.invalid`, naming the field; returns the date otherwise. */
export const calendarDate = (value: unknown, field: string): IsoDate => {
  if (!isCalendarDate(value)) {
    throw new DomainError('date.invalid', `${field} ${JSON.stringify(value)} is not a calendar date (YYYY-MM-DD)`, field);
  }
  return value;
};

export const occurredAt = (value: unknown): OccurredAt => {
  if (!isOccurredAt(value)) {
    throw new DomainError('date.invalid', `occurredAt ${JSON.stringify(value)} is not a calendar date or ISO datetime`, 'occurredAt');
  }
  return value;
};

/** Renders 2022-11-30 as 30/11/2022, the way Vietnamese documents write dates. */
export const vietnameseDate = (date: IsoDate): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
