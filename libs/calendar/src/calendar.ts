/**
 * The one calendar of Reform Ledger: dates and instants as a Vietnamese office means them. The domain,
 * the ledger, the views and the API all read dates through this module, so a write, a replay, the
 * projector, a rebuild, an audit diff and an export give the same day for the same fact.
 *
 * - A calendar date is `YYYY-MM-DD` and must exist: 2022-11-31 and 2023-02-29 do not.
 * - An occurrence (`occurredAt`) is a date, or an ISO-8601 datetime with a zone (`Z` or `±hh:mm`).
 * - Every day derived from an instant — the day a task was completed, whether it was on time, the
 *   year it counts in, where an `asOf` day ends — is the calendar day in the ledger's time zone
 *   (Asia/Ho_Chi_Minh unless the deployment sets another): 2022-11-30T23:00:00Z is 01/12 in Vietnam.
 * - A date-only occurrence stays that date whatever the zone. The ledger stores it at 00:00:00 UTC of
 *   that date, and `dayOf` reads that instant back as the date. East of UTC, Vietnam included, that
 *   instant lies inside the same local day anyway; west of UTC, an instant written exactly at
 *   00:00:00.000000 UTC is read as a date-only fact too — the one place the convention shows.
 *
 * The time zone is a setting of the deployment, not a parameter: the shell (the API's start-up, the
 * CLI) calls `useTimeZone(process.env.LEDGER_TIME_ZONE)` once, before anything is decided or read.
 * Why not pass it along: it never varies within a process, and every path that turns an instant into
 * a day — deciding, folding for a view, replaying for an audit, writing a report — must use the same
 * one; a parameter threaded through every `evolve` and every view would be one more thing each path
 * could forget. The domain stays pure in the sense that matters: it reads no environment and no
 * clock, and the same code with the same setting gives the same answer on every replay.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** When something happened: a calendar date, or an ISO-8601 datetime with a zone (`Z` or `±hh:mm`). */
export type OccurredAt = string;

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DAY_MS = 86_400_000;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysInMonth = (year: number, month: number) => (month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]);

/** True for a real calendar date: `2022-11-30` yes, `2022-11-31` and `2023-02-29` no. */
export const isCalendarDate = (value: unknown): value is IsoDate => {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= MIN_YEAR && year <= MAX_YEAR && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
};

/** An instant: milliseconds since the epoch, and the microseconds below them (0–999) that a JS Date drops. */
type Instant = { ms: number; micros: number };

const parseDateTime = (value: unknown): Instant | undefined => {
  const m = typeof value === 'string' ? DATETIME.exec(value) : null;
  if (!m || !isCalendarDate(m[1])) return undefined;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  const [offsetHours, offsetMinutes] = [Number(m[8] ?? 0), Number(m[9] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59) return undefined;
  const fraction = (m[5] ?? '').padEnd(6, '0');
  const offset = (m[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const [year, month, day] = m[1].split('-').map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, Number(fraction.slice(0, 3))) - offset * 60_000;
  return { ms, micros: Number(fraction.slice(3)) };
};

/** True for an ISO-8601 datetime on a calendar date, with a valid time and a zone. */
export const isDateTime = (value: unknown): value is OccurredAt => parseDateTime(value) !== undefined;

/** True for a calendar date or a datetime with a zone. */
export const isOccurredAt = (value: unknown): value is OccurredAt => isCalendarDate(value) || isDateTime(value);

// The ledger's time zone --------------------------------------------------------------------------

let zone = DEFAULT_TIME_ZONE;
/**
 * Where each date starts in the ledger's zone, as found (cleared when the zone changes). The views turn
 * every event's day into its start (`validFrom`); asking Intl for the wall clock costs 5–10 µs a call,
 * 2–4 calls a day, which made rebuilds ten times slower. A ledger names few distinct days; the map is
 * bounded all the same.
 */
const dayStarts = new Map<IsoDate, string>();
const DAY_STARTS_KEPT = 100_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (timeZone: string) => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** True for a time zone this runtime knows (`Asia/Ho_Chi_Minh`, `Europe/Paris`, `UTC`). */
export const isTimeZone = (name: unknown): name is string => {
  if (typeof name !== 'string' || name.length === 0) return false;
  try {
    formatterOf(name);
    return true;
  } catch {
    return false;
  }
};

/**
 * Sets the ledger's time zone for this process (default Asia/Ho_Chi_Minh) and returns the previous
 * one. Called once by the shell at start-up; tests that try another zone restore the previous one.
 */
export const useTimeZone = (name: string | undefined = DEFAULT_TIME_ZONE): string => {
  if (!isTimeZone(name)) throw new RangeError(`LEDGER_TIME_ZONE ${JSON.stringify(name)} is not a time zone (e.g. Asia/Ho_Chi_Minh)`);
  const previous = zone;
  if (name !== zone) dayStarts.clear();
  zone = name;
  return previous;
};

/** The ledger's time zone. */
export const timeZone = (): string => zone;

/** The wall clock in the ledger's zone at an instant (ms since the epoch), to the second. */
const wallClock = (ms: number) => {
  const parts = Object.fromEntries(formatterOf(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateText = (year: number, month: number, day: number): IsoDate => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
const utcDate = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);
const textOf = ({ ms, micros }: Instant) => `${new Date(ms).toISOString().slice(0, 23)}${pad(micros, 3)}Z`;
const isMidnightUtc = ({ ms, micros }: Instant) => micros === 0 && ms % DAY_MS === 0;
/**
 * The date of a date-only fact in the text the ledger reads it back as (`2022-11-30T00:00:00.000000Z`),
 * without parsing: what the views meet on almost every event. Undefined for any other text.
 */
const STORED_DATE_TIME = 'T00:00:00.000000Z';
const storedDate = (value: string): IsoDate | undefined => {
  if (value.length !== 27 || !value.endsWith(STORED_DATE_TIME)) return undefined;
  const date = value.slice(0, 10);
  return isCalendarDate(date) ? date : undefined;
};

/** The calendar day, in the ledger's zone, of an instant. */
export const localDayOf = (instant: Date | OccurredAt): IsoDate => {
  const ms = instant instanceof Date ? instant.getTime() : epochMs(instant);
  const { year, month, day } = wallClock(ms);
  return dateText(year, month, day);
};

/** The wall-clock time, in the ledger's zone, of an instant: `17:00:00` for 2022-12-05T10:00:00Z in Vietnam. */
export const localTimeOf = (instant: Date | OccurredAt): string => {
  const { hour, minute, second } = wallClock(instant instanceof Date ? instant.getTime() : epochMs(instant));
  return `${pad(hour)}:${pad(minute)}:${pad(second)}`;
};

/** Today in the ledger's zone (the read side's default `asOf`; never called by the domain). */
export const today = (now: Date = new Date()): IsoDate => localDayOf(now);

/**
 * The calendar day of an occurrence: a date is itself; an instant is its day in the ledger's zone;
 * 00:00:00 UTC exactly is a date-only fact as the ledger stores it, so it is its UTC date (see above).
 * Total, as `evolve` needs: a value that is not an occurrence (the ledger stores none) gives its first ten characters.
 */
export const dayOf = (value: OccurredAt): IsoDate => {
  if (isCalendarDate(value)) return value;
  const stored = storedDate(value);
  if (stored) return stored;
  const instant = parseDateTime(value);
  if (!instant) return String(value).slice(0, 10);
  return isMidnightUtc(instant) ? utcDate(instant.ms) : localDayOf(value);
};

export const yearOf = (date: IsoDate): number => Number(date.slice(0, 4));

/** `2022-11-30` + 1 → `2022-12-01`. */
export const addDays = (date: IsoDate, days: number): IsoDate => utcDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);

/** Calendar days from one date to another: 30/11 → 06/12 is 6. */
export const daysBetween = (from: IsoDate, to: IsoDate): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The first instant of a date in the ledger's zone, as UTC text (`2022-11-29T17:00:00.000000Z` for 30/11 in Vietnam). */
export const startOfDay = (date: IsoDate): string => {
  let start = dayStarts.get(date);
  if (start === undefined) {
    if (dayStarts.size >= DAY_STARTS_KEPT) dayStarts.clear();
    start = findStartOfDay(date);
    dayStarts.set(date, start);
  }
  return start;
};

const findStartOfDay = (date: IsoDate): string => {
  const [year, month, day] = date.split('-').map(Number);
  const midnight = Date.UTC(year, month - 1, day);
  let ms = midnight;
  // The offset at local midnight is found in two steps (it may differ from the offset at UTC midnight).
  for (let i = 0; i < 3; i++) {
    const w = wallClock(ms);
    const drift = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - midnight;
    if (drift === 0) break;
    ms -= drift;
  }
  // Where a clock change skips midnight, the day starts at the first instant that is on it.
  while (localDayOf(new Date(ms)) < date) ms += 60_000;
  return textOf({ ms, micros: 0 });
};

/** The last microsecond of a date in the ledger's zone, as UTC text (`2022-11-30T16:59:59.999999Z` for 30/11 in Vietnam). */
export const endOfDay = (date: IsoDate): string => {
  const next = Date.parse(startOfDay(addDays(date, 1)));
  return textOf({ ms: next - 1, micros: 999 });
};

/** Milliseconds since the epoch: an instant's own; a date's, the start of that day in the ledger's zone. NaN for anything else. */
export const epochMs = (value: OccurredAt): number => {
  if (isCalendarDate(value)) return Date.parse(startOfDay(value));
  return parseDateTime(value)?.ms ?? Number.NaN;
};

/**
 * How the ledger stores an occurrence, as UTC text to the microsecond: an instant as itself, a date
 * at 00:00:00 UTC of that date (see above). Undefined when the value is not an occurrence.
 */
export const storedInstant = (value: OccurredAt | Date): string | undefined => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : textOf({ ms: value.getTime(), micros: 0 });
  if (isCalendarDate(value)) return `${value}T00:00:00.000000Z`;
  const instant = parseDateTime(value);
  return instant && textOf(instant);
};

/**
 * Where an occurrence starts to hold in valid time, as UTC text: a date from the start of that day in
 * the ledger's zone, an instant from itself. Views order and cut their history on this.
 */
export const validFrom = (value: OccurredAt): string => {
  if (isCalendarDate(value)) return startOfDay(value);
  const stored = storedDate(value);
  if (stored) return startOfDay(stored);
  const instant = parseDateTime(value);
  if (!instant) return String(value);
  return isMidnightUtc(instant) ? startOfDay(utcDate(instant.ms)) : textOf(instant);
};

/** The end of a cut, as UTC text: a date means the whole of that day in the ledger's zone; an instant is itself. */
export const cutEnd = (value: OccurredAt | Date): string | undefined =>
  typeof value === 'string' && isCalendarDate(value) ? endOfDay(value) : storedInstant(value);

/** The start of a range, as UTC text: a date from the start of that day in the ledger's zone; an instant itself. */
export const cutStart = (value: OccurredAt | Date): string | undefined =>
  typeof value === 'string' && isCalendarDate(value) ? startOfDay(value) : storedInstant(value);

/** Renders 2022-11-30 as 30/11/2022, the way Vietnamese documents write dates. */
export const vietnameseDate = (date: IsoDate): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** What is wrong with a value that should have been a date or an occurrence, for a message that says what to do. */
export type DateProblem =
  | { problem: 'not_text' }
  | { problem: 'day_not_in_month'; year: number; month: number; day: number; days: number }
  | { problem: 'month_invalid'; month: number }
  | { problem: 'year_out_of_range'; year: number; min: number; max: number }
  | { problem: 'day_first'; suggestion: IsoDate }
  | { problem: 'zone_missing'; suggestion: string }
  | { problem: 'time_invalid' }
  | { problem: 'datetime_not_allowed'; suggestion: IsoDate }
  | { problem: 'format' };

/**
 * Why `value` is not a calendar date (`dateOnly`) or an occurrence; undefined when it is one.
 * `2022-11-31` → the day does not exist (November has 30); `30/11/2022` → write 2022-11-30.
 */
export const describeDate = (value: unknown, dateOnly = false): DateProblem | undefined => {
  if (dateOnly ? isCalendarDate(value) : isOccurredAt(value)) return undefined;
  if (typeof value !== 'string') return { problem: 'not_text' };
  const text = value.trim();
  const dayFirst = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (dayFirst) {
    const suggestion = `${dayFirst[3]}-${pad(Number(dayFirst[2]))}-${pad(Number(dayFirst[1]))}`;
    return isCalendarDate(suggestion) ? { problem: 'day_first', suggestion } : describeDate(suggestion, true);
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!date) return { problem: 'format' };
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (year < MIN_YEAR || year > MAX_YEAR) return { problem: 'year_out_of_range', year, min: MIN_YEAR, max: MAX_YEAR };
  if (month < 1 || month > 12) return { problem: 'month_invalid', month };
  if (day < 1 || day > daysInMonth(year, month)) return { problem: 'day_not_in_month', year, month, day, days: daysInMonth(year, month) };
  const rest = text.slice(10);
  if (rest === '') return { problem: 'format' };
  if (dateOnly) return { problem: 'datetime_not_allowed', suggestion: text.slice(0, 10) };
  const time = /^[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(rest);
  if (!time) return { problem: 'format' };
  if (Number(time[1]) > 23 || Number(time[2]) > 59 || Number(time[3] ?? 0) > 59) return { problem: 'time_invalid' };
  const local = `${text.slice(0, 10)}T${rest.slice(1).replace(/(Z|[+-]\d{2}:\d{2})$/, '')}`;
  if (!time[4]) return { problem: 'zone_missing', suggestion: `${local}${offsetText(local)}` };
  return { problem: 'format' };
};

/** The ledger zone's offset (`+07:00`) for a wall-clock time written without one. */
const offsetText = (local: string): string => {
  const asUtc = Date.parse(`${local}Z`);
  const w = wallClock(asUtc);
  const minutes = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(asUtc / 1000) * 1000) / 60_000);
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
};
