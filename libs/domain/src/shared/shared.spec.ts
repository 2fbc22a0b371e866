import { DomainError, normaliseDeep, percent, checkRatio, slug } from '../index';
import { useTimeZone } from '@reform-ledger/calendar';
import { RECEIVED_AT, seedWorld, specFor, taskCompleted, taskDefined, taskProgressReported } from '../testing/spec';
import { decideCommand, fold } from './decider';
import { task } from '../plans/task';

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

describe('what happened cannot be in the future', () => {
  const { given } = specFor(task, { id: 'T-1' });
  // RECEIVED_AT is 27/11/2026 10:00 in Vietnam (03:00 UTC).
  it('accepts a fact dated today, and a moment a few minutes ahead (clocks differ)', () => {
    given([taskDefined()]).when(taskProgressReported({ occurredAt: '2026-11-27' })).then([taskProgressReported({ occurredAt: '2026-11-27' })]);
    given([taskDefined()]).when(taskProgressReported({ occurredAt: '2026-11-27T10:04:59+07:00' }))
      .then([taskProgressReported({ occurredAt: '2026-11-27T10:04:59+07:00' })]);
  });
  it('refuses a fact dated tomorrow, or in 2030', () => {
    given([taskDefined()]).when(taskProgressReported({ occurredAt: '2026-11-28' })).thenRejects('occurred_at.in_future', 'occurredAt');
    given([taskDefined()]).when(taskProgressReported({ occurredAt: '2030-01-01' })).thenRejects('occurred_at.in_future', 'occurredAt');
  });
  it('refuses a moment more than 5 minutes ahead', () =>
    given([taskDefined()]).when(taskCompleted({ occurredAt: '2026-11-27T03:05:01Z' })).thenRejects('occurred_at.in_future'));
  it('compares a date as a Vietnamese day: at 03:00 on 28/11 in Vietnam (20:00 UTC on 27/11), 28/11 is today', () =>
    given([taskDefined()]).when(taskCompleted({ occurredAt: '2026-11-28' }), 'T-1', '2026-11-27T20:00:00Z')
      .then([taskCompleted({ occurredAt: '2026-11-28' })]));
  it('lets planned dates lie ahead: a due date in 2030 is data', () =>
    given([]).when(taskDefined({ dueOn: '2030-12-31' })).then([taskDefined({ dueOn: '2030-12-31' })]));
  it('carries what it compared, for the message', () =>
    expect(() => decideCommand(task, { ...taskCompleted({ occurredAt: '2030-01-01' }), id: 'T-1', receivedAt: RECEIVED_AT }, fold(task, [taskDefined()]), seedWorld))
      .toThrow(expect.objectContaining({ params: expect.objectContaining({ occurredAt: '2030-01-01', today: '2026-11-27', toleranceMinutes: 5 }) })));
  it('needs the moment of receipt: a command without it is a programming error, not an acceptance', () =>
    expect(() => decideCommand(task, { ...taskCompleted(), id: 'T-1' } as never, fold(task, [taskDefined()]), seedWorld)).toThrow(/receivedAt/));
});

describe('calendar days are Vietnamese days', () => {
  const { given } = specFor(task, { id: 'T-1' });
  it('a completion at 06:00 on 01/12 in Vietnam (23:00 UTC on 30/11) is done on 01/12, late for a task due 30/11', () => {
    for (const at of ['2022-12-01T06:00:00+07:00', '2022-11-30T23:00:00Z']) {
      given([taskDefined()]).when(taskCompleted({ occurredAt: at })).then([taskCompleted({ occurredAt: at })]);
      expect(fold(task, [taskDefined({ dueOn: '2022-11-30' }), taskCompleted({ occurredAt: at })])).toMatchObject({ status: 'done', completedOn: '2022-12-01' });
    }
    expect(fold(task, [taskDefined(), taskCompleted({ occurredAt: '2022-11-30T16:59:59Z' })])).toMatchObject({ completedOn: '2022-11-30' });
  });
  it('a date-only fact is that date, stored or as written', () => {
    expect(fold(task, [taskDefined(), taskCompleted({ occurredAt: '2022-11-30' })])).toMatchObject({ completedOn: '2022-11-30' });
    expect(fold(task, [taskDefined(), taskCompleted({ occurredAt: '2022-11-30T00:00:00.000000Z' })])).toMatchObject({ completedOn: '2022-11-30' });
  });
  it('in another deployment zone the day follows it', () => {
    const previous = useTimeZone('America/New_York');
    try {
      expect(fold(task, [taskDefined(), taskCompleted({ occurredAt: '2022-12-01T06:00:00+07:00' })])).toMatchObject({ completedOn: '2022-11-30' });
      expect(fold(task, [taskDefined(), taskCompleted({ occurredAt: '2022-11-30T00:00:00.000000Z' })])).toMatchObject({ completedOn: '2022-11-30' });
    } finally {
      useTimeZone(previous);
    }
  });
  it('refuses an impossible date saying what is wrong', () =>
    expect(() => decideCommand(task, { ...taskCompleted({ occurredAt: '2022-11-31' }), id: 'T-1', receivedAt: RECEIVED_AT }, fold(task, [taskDefined()]), seedWorld))
      .toThrow(expect.objectContaining({ code: 'date.invalid', params: expect.objectContaining({ problem: 'day_not_in_month', days: 30 }) })));
});
