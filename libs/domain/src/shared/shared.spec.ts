import { DomainError, isCalendarDate, isOccurredAt, normaliseDeep, percent, checkRatio, slug, vietnameseDate } from '../index';
import { specFor, taskDefined } from '../testing/spec';
import { task } from '../plans/task';

describe('calendar dates', () => {
  it.each(['2022-11-30', '2024-02-29', '2022-01-01', '2022-12-31'])('accepts %s', (d) => expect(isCalendarDate(d)).toBe(true));
  it.each(['2022-11-31', '2023-02-29', '2022-13-01', '2022-00-10', '2022-1-5', '31/11/2022', '', 20221130, null, '2022-11-30T00:00:00Z'])(
    'refuses %j', (d) => expect(isCalendarDate(d)).toBe(false));
  it.each(['2022-11-30', '2022-11-30T08:15:00Z', '2022-11-30T08:15:00.123456+07:00', '2022-11-30T23:59:59-03:30'])(
    'takes %s as an occurrence', (d) => expect(isOccurredAt(d)).toBe(true));
  it.each(['2022-11-31T08:00:00Z', '2022-11-30T24:00:00Z', '2022-11-30T08:15:00', '2022-11-30 08:15:00Z', '2022-11-30T08:60Z'])(
    'refuses %s as an occurrence', (d) => expect(isOccurredAt(d)).toBe(false));
  it('writes dates the Vietnamese way', () => expect(vietnameseDate('2022-11-30')).toBe('30/11/2022'));
});

describe('text', () => {
  it('normalises every string, keys included, to NFC', () => {
    const nfd = { ['tên'.normalize('NFD')]: ['Đắk Song\u00a0'.normalize('NFD')] };
    expect(JSON.stringify(normaliseDeep(nfd))).toBe(JSON.stringify({ ['tên'.normalize('NFC')]: ['Đắk Song'.normalize('NFC')] }));
  });
  it('slugs Vietnamese names', () => expect(slug('UBND xã Đăk N’Drung')).toBe('ubnd-xa-dak-n-drung'));
});

describe('ratios', () => {
  it('computes a rate with one rounding rule', () => {
    expect(percent({ numerator: 42, denominator: 265 })).toBe(15.8);
    expect(percent({ numerator: 18, denominator: 19 })).toBe(94.7);
    expect(percent({ numerator: 55, denominator: 55 })).toBe(100);
  });
  it('refuses more than the whole and non-counts', () => {
    expect(() => checkRatio({ numerator: 10, denominator: 9 }, 'x')).toThrow(DomainError);
    expect(() => checkRatio({ numerator: 1.5, denominator: 9 }, 'x')).toThrow(expect.objectContaining({ code: 'ratio.invalid' }));
  });
});

describe('the spec helper itself', () => {
  const { given } = specFor(task, { id: 'T-1' });
  it('fails when the refusal code differs', () =>
    expect(() => given([]).when(taskDefined({ dueOn: '2022-11-31' })).thenRejects('task.other')).toThrow());
  it('fails when the events differ', () =>
    expect(() => given([]).when(taskDefined()).then([taskDefined({ title: 'khác' })])).toThrow());
});
