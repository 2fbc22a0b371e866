import {
  addDays, cutEnd, cutStart, dayOf, daysBetween, describeDate, endOfDay, isCalendarDate, isOccurredAt, localDayOf, localTimeOf, startOfDay, storedInstant,
  timeZone, useTimeZone, validFrom, vietnameseDate, yearOf,
} from './calendar';

const inZone = (zone: string, run: () => void) => {
  const previous = useTimeZone(zone);
  try {
    run();
  } finally {
    useTimeZone(previous);
  }
};

describe('calendar dates', () => {
  it.each(['2022-11-30', '2024-02-29', '2022-01-01', '2022-12-31'])('accepts %s', (d) => expect(isCalendarDate(d)).toBe(true));
  it.each(['2022-11-31', '2023-02-29', '2022-13-01', '2022-00-10', '2022-1-5', '31/11/2022', '', 20221130, null, '2022-11-30T00:00:00Z', '1899-12-31'])(
    'refuses %j', (d) => expect(isCalendarDate(d)).toBe(false));
  it.each(['2022-11-30', '2022-11-30T08:15:00Z', '2022-11-30T08:15:00.123456+07:00', '2022-11-30T23:59:59-03:30', '2022-11-30T08:15Z'])(
    'takes %s as an occurrence', (d) => expect(isOccurredAt(d)).toBe(true));
  it.each(['2022-11-31T08:00:00Z', '2022-11-30T24:00:00Z', '2022-11-30T08:15:00', '2022-11-30 08:15:00Z', '2022-11-30T08:60Z', '2022-11-30T08:00:00+15:00'])(
    'refuses %s as an occurrence', (d) => expect(isOccurredAt(d)).toBe(false));
  it('writes dates the Vietnamese way', () => expect(vietnameseDate('2022-11-30')).toBe('30/11/2022'));
  it('counts days and years', () => {
    expect(addDays('2022-11-30', 1)).toBe('2022-12-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect([daysBetween('2022-11-30', '2022-12-06'), daysBetween('2024-03-01', '2024-02-28'), daysBetween('2022-01-01', '2023-01-01')]).toEqual([6, -2, 365]);
    expect(yearOf('2022-12-31')).toBe(2022);
  });
});

describe('Vietnamese calendar days (Asia/Ho_Chi_Minh, the default)', () => {
  it('is the default zone', () => expect(timeZone()).toBe('Asia/Ho_Chi_Minh'));

  it('takes the day of an instant in Vietnam, not as written and not in UTC', () => {
    expect(dayOf('2022-12-01T06:00:00+07:00')).toBe('2022-12-01');
    expect(dayOf('2022-11-30T23:00:00Z')).toBe('2022-12-01');
    expect(dayOf('2022-11-30T20:00:00-05:00')).toBe('2022-12-01'); // 01/12 08:00 in Hà Nội
    expect(dayOf('2022-11-30T16:59:59.999999Z')).toBe('2022-11-30');
  });

  // Every hour where UTC and Vietnam disagree about the date, on both sides of midnight.
  it.each(Array.from({ length: 7 }, (_, h) => h))('%i:xx on 01/12 in Vietnam (+07:00) is 01/12', (hour) => {
    expect(dayOf(`2022-12-01T0${hour}:00:00+07:00`)).toBe('2022-12-01');
    expect(dayOf(`2022-12-01T0${hour}:59:59.999999+07:00`)).toBe('2022-12-01');
    expect(dayOf(`2022-11-30T0${hour}:30:00+07:00`)).toBe('2022-11-30');
  });
  it.each(Array.from({ length: 7 }, (_, h) => 17 + h))('%i:xx UTC on 30/11 is 01/12 in Vietnam', (hour) => {
    expect(dayOf(`2022-11-30T${hour}:00:00Z`)).toBe('2022-12-01');
    expect(dayOf(`2022-11-30T${hour}:59:59Z`)).toBe('2022-12-01');
    expect(dayOf(`2022-11-29T${hour}:30:00Z`)).toBe('2022-11-30');
  });

  it('keeps a date-only occurrence that date, and reads its stored form (00:00 UTC) back as the date', () => {
    expect(dayOf('2022-11-30')).toBe('2022-11-30');
    expect(storedInstant('2022-11-30')).toBe('2022-11-30T00:00:00.000000Z');
    expect(dayOf('2022-11-30T00:00:00.000000Z')).toBe('2022-11-30');
    // Text that only looks like a stored date is not one (evolve is total: the first ten characters).
    expect(dayOf('2022-11-31T00:00:00.000000Z')).toBe('2022-11-31');
    expect(validFrom('2022-11-31T00:00:00.000000Z')).toBe('2022-11-31T00:00:00.000000Z');
  });

  it('ends an asOf day at the end of the Vietnamese day, and starts it at its start', () => {
    expect(startOfDay('2022-11-30')).toBe('2022-11-29T17:00:00.000000Z');
    expect(endOfDay('2022-11-30')).toBe('2022-11-30T16:59:59.999999Z');
    expect(cutEnd('2022-11-30')).toBe('2022-11-30T16:59:59.999999Z');
    expect(cutStart('2022-11-30')).toBe('2022-11-29T17:00:00.000000Z');
    expect(cutEnd('2022-11-30T12:00:00.123456+07:00')).toBe('2022-11-30T05:00:00.123456Z');
    expect(cutEnd(new Date('2022-11-30T05:00:00Z'))).toBe('2022-11-30T05:00:00.000000Z');
  });

  it('puts a fact on the valid-time axis where its day starts (a date) or where it happened (an instant)', () => {
    expect(validFrom('2022-11-30')).toBe('2022-11-29T17:00:00.000000Z');
    expect(validFrom('2022-11-30T00:00:00.000000Z')).toBe('2022-11-29T17:00:00.000000Z');
    expect(validFrom('2022-12-01T06:00:00+07:00')).toBe('2022-11-30T23:00:00.000000Z');
    // Inside the cut of its own day, outside the one before.
    expect(validFrom('2022-12-01T06:00:00+07:00') > cutEnd('2022-11-30')!).toBe(true);
    expect(validFrom('2022-11-30') <= cutEnd('2022-11-30')!).toBe(true);
    expect(validFrom('2022-11-30') > cutEnd('2022-11-29')!).toBe(true);
  });

  it('gives the Vietnamese day of a moment', () => expect(localDayOf(new Date('2022-11-30T17:30:00Z'))).toBe('2022-12-01'));
  it('gives the Vietnamese time of a moment', () => {
    expect(localTimeOf('2022-12-05T10:00:00Z')).toBe('17:00:00');
    expect(localTimeOf(new Date('2022-11-30T17:30:05Z'))).toBe('00:30:05');
  });
});

describe('another deployment zone (LEDGER_TIME_ZONE)', () => {
  it('refuses a zone that does not exist, and keeps the one it had', () => {
    expect(() => useTimeZone('Mars/Olympus')).toThrow(/not a time zone/);
    expect(timeZone()).toBe('Asia/Ho_Chi_Minh');
  });

  it('takes days in that zone, and a date-only occurrence stays its date', () => inZone('America/New_York', () => {
    expect(dayOf('2022-11-30T23:00:00Z')).toBe('2022-11-30');
    expect(dayOf('2022-12-01T06:00:00+07:00')).toBe('2022-11-30');
    expect(dayOf('2022-11-30')).toBe('2022-11-30');
    expect(dayOf(storedInstant('2022-11-30')!)).toBe('2022-11-30');
    expect(startOfDay('2022-11-30')).toBe('2022-11-30T05:00:00.000000Z');
    expect(validFrom(storedInstant('2022-12-01')!) > cutEnd('2022-11-30')!).toBe(true);
    expect(validFrom(storedInstant('2022-11-30')!) <= cutEnd('2022-11-30')!).toBe(true);
  }));

  it('finds where a day starts in the zone in force, not in the one it last found it in', () => {
    expect(startOfDay('2023-03-15')).toBe('2023-03-14T17:00:00.000000Z');
    inZone('America/New_York', () => expect(validFrom('2023-03-15T00:00:00.000000Z')).toBe('2023-03-15T04:00:00.000000Z'));
    expect(validFrom('2023-03-15T00:00:00.000000Z')).toBe('2023-03-14T17:00:00.000000Z');
  });

  it('gives the time of a moment in that zone', () => inZone('America/New_York', () => expect(localTimeOf('2022-12-05T10:00:00Z')).toBe('05:00:00')));

  it('follows clock changes: the day daylight saving ends has 25 hours', () => inZone('America/New_York', () => {
    expect(startOfDay('2022-11-06')).toBe('2022-11-06T04:00:00.000000Z');
    expect(endOfDay('2022-11-06')).toBe('2022-11-07T04:59:59.999999Z');
  }));

  it('handles a zone east of Vietnam whose offset is more than half a day', () => inZone('Pacific/Kiritimati', () => {
    expect(dayOf('2022-11-30T10:00:00Z')).toBe('2022-12-01');
    expect(dayOf(storedInstant('2022-11-30')!)).toBe('2022-11-30');
  }));
});

describe('what is wrong with a date, to say what to do', () => {
  it.each([
    ['2022-11-31', { problem: 'day_not_in_month', year: 2022, month: 11, day: 31, days: 30 }],
    ['2023-02-29', { problem: 'day_not_in_month', year: 2023, month: 2, day: 29, days: 28 }],
    ['30/11/2022', { problem: 'day_first', suggestion: '2022-11-30' }],
    ['1.2.2022', { problem: 'day_first', suggestion: '2022-02-01' }],
    ['31/11/2022', { problem: 'day_not_in_month', year: 2022, month: 11, day: 31, days: 30 }],
    ['2022-13-01', { problem: 'month_invalid', month: 13 }],
    ['0000-01-01', { problem: 'year_out_of_range', year: 0, min: 1900, max: 2199 }],
    ['2022-11-30T10:00:00', { problem: 'zone_missing', suggestion: '2022-11-30T10:00:00+07:00' }],
    ['2022-11-30T25:00:00Z', { problem: 'time_invalid' }],
    ['hôm qua', { problem: 'format' }],
    [20221130, { problem: 'not_text' }],
  ])('%j', (value, expected) => expect(describeDate(value)).toEqual(expected));
  it('refuses a datetime where a date is needed, suggesting the date', () =>
    expect(describeDate('2022-11-30T10:00:00Z', true)).toEqual({ problem: 'datetime_not_allowed', suggestion: '2022-11-30' }));
  it('has nothing to say about a good value', () => expect(describeDate('2022-11-30T10:00:00Z')).toBeUndefined());
});
