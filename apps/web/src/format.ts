/** Vietnamese formats: 1.393, 81,3 %, 30/11/2022, 30/11/2022 08:15. The ledger's days are in Asia/Ho_Chi_Minh. */
const ZONE = 'Asia/Ho_Chi_Minh';
const integer = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const moment = new Intl.DateTimeFormat('vi-VN', {
  timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

export const num = (n: number): string => integer.format(n);
/** A ratio (0–1) as a percentage: 0.813 → "81,3 %". */
export const pct = (ratio: number): string => `${oneDecimal.format(ratio * 100)} %`;
/** A share: 49 of 55 → "89,1 %"; nothing of nothing → "–". */
export const share = (part: number, whole: number): string => (whole === 0 ? '–' : pct(part / whole));

/** 2022-11-30 → 30/11/2022 (a datetime: its day and time in the ledger's zone). */
export const date = (iso: string | null | undefined): string => {
  if (!iso) return '–';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const parts = Object.fromEntries(moment.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}:${parts.second}`;
};

/** 30/11/2022 → 2022-11-30; null when it is not a real day. */
export const parseDate = (text: string): string | null => {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
};

/** Today in the ledger's calendar, as YYYY-MM-DD. */
export const today = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());

/** A signed change: +5, −2, 0. */
export const delta = (n: number): string => (n > 0 ? `+${num(n)}` : n < 0 ? `−${num(-n)}` : '0');

const dayMonthFormat = new Intl.DateTimeFormat('vi-VN', { timeZone: ZONE, day: '2-digit', month: '2-digit' });
/** An instant (epoch ms) as dd/mm in the ledger's zone: a chart's axis. */
export const dayMonth = (ms: number): string => {
  // vi-VN writes a day and month alone as 01-03 in Chromium's ICU: put them together as the rest of the app writes dates.
  const parts = dayMonthFormat.formatToParts(new Date(ms));
  return `${parts.find((p) => p.type === 'day')!.value}/${parts.find((p) => p.type === 'month')!.value}`;
};

/** An occurrence as stored (a date-only fact at 00:00 UTC): its day, or its day and time in the ledger's zone. */
export const occurred = (iso: string): string => (/T00:00:00(\.0+)?Z$/.test(iso) ? date(iso.slice(0, 10)) : date(iso));
