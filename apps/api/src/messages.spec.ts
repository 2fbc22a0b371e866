import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateProblem } from '@reform-ledger/calendar';
import { LedgerInputErrorCode } from '@reform-ledger/ledger';
import { day, languageOf, MESSAGES, render } from './messages';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [readFileSync(path, 'utf8')] : [];
  });
const keys = (texts: string[], pattern: RegExp) => [...new Set(texts.flatMap((t) => [...t.matchAll(pattern)].map((m) => m[1])))].sort();

describe('the message catalogue', () => {
  const domain = sources(join(__dirname, '..', '..', '..', 'libs', 'domain', 'src'));
  const api = sources(__dirname);

  it('has a message for every code the domain refuses with', () => {
    const codes = [
      ...keys(domain, /new DomainError\(\s*'([a-z_.]+)'/g),
      ...keys(domain, /fail\('([a-z_]+)'/g).map((c) => `recruitment.${c}`),
    ];
    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter((c) => !MESSAGES[c])).toEqual([]);
  });

  it('has a message for every refusal of a report', () => {
    const reports = sources(join(__dirname, '..', '..', '..', 'libs', 'reports', 'src'));
    const codes = keys(reports, /new ReportRequestError\(\s*\d+,\s*'([a-z_.]+)'/g);
    expect(codes).toEqual(['report.unit_not_found', 'report.unit_required']);
    expect(codes.filter((c) => !MESSAGES[c])).toEqual([]);
  });

  it('has a message for every code, detail and reason the API raises', () => {
    const used = [
      ...keys(api, /new Problem\(\s*\d+,\s*'([a-z_.0-9]+)'/g),
      ...keys(api, /(?:reason|detail): '([a-z_.]+)'/g),
      ...keys(api, /reason\('([a-z_.]+)'/g),
    ];
    expect(used.length).toBeGreaterThan(40);
    // 'accepted' is the loader's note for an anomaly that was not refused; 'your.*' are the how-to's placeholders.
    expect(used.filter((k) => !MESSAGES[k] && k !== 'accepted' && !k.startsWith('your.'))).toEqual([]);
  });

  it('has a message for every refusal of the ledger and every date problem', () => {
    const ledger: LedgerInputErrorCode[] = ['stream_id.invalid', 'events.empty', 'events.too_many', 'event.type_invalid', 'event.schema_version_invalid',
      'event.occurred_at_invalid', 'event.id_invalid', 'payload.not_serialisable', 'payload.too_large', 'idempotency_key.invalid', 'expected_version.invalid'];
    expect(ledger.filter((c) => !MESSAGES[c])).toEqual([]);
    const problems: DateProblem['problem'][] = ['not_text', 'day_not_in_month', 'month_invalid', 'year_out_of_range', 'day_first', 'zone_missing', 'time_invalid', 'datetime_not_allowed', 'format'];
    expect(new Set(problems.map((problem) => render('date.problem', { problem }, 'en'))).size).toBe(problems.length);
  });

  it('writes every message in both languages, differently', () => {
    for (const [key, entry] of Object.entries(MESSAGES)) {
      const [vi, en] = [entry.vi({}, 'vi'), entry.en({}, 'en')];
      expect({ key, vi: typeof vi, en: typeof en }).toEqual({ key, vi: 'string', en: 'string' });
      if (!key.startsWith('title.') || key === 'title.400') expect({ key, same: vi === en && vi.length > 20 }).toEqual({ key, same: false });
    }
    expect(render('task.already_completed', { taskId: 'NV-11', completedOn: '2022-11-30' }, 'vi'))
      .toBe('Nhiệm vụ NV-11 đã hoàn thành ngày 30/11/2022: muốn ghi lại, hãy mở lại nhiệm vụ (TaskReopened) trước.');
    expect(render('no.such.key', { a: 1 }, 'en')).toBe('no.such.key {"a":1}');
  });

  it('writes dates the reader\'s way: 30/11/2022 in Vietnamese, 2022-11-30 in English; an instant with its Vietnamese day', () => {
    expect(day('2022-11-30', 'vi')).toBe('30/11/2022');
    expect(day('2022-11-30', 'en')).toBe('2022-11-30');
    expect(day('2022-11-30T23:00:00Z', 'vi')).toBe('2022-11-30T23:00:00Z (ngày 01/12/2022)');
  });

  it('reads the language from Accept-Language: English only when preferred to Vietnamese', () => {
    expect(languageOf(() => 'en')).toBe('en');
    expect(languageOf(() => 'vi')).toBe('vi');
    expect(languageOf(() => false)).toBe('vi');
  });
});
