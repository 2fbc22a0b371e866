import { describeDate, IsoDate, OccurredAt } from '@reform-ledger/calendar';
import { DomainError } from './domain-error';

/**
 * The domain's refusals of impossible dates (the calendar itself is @reform-ledger/calendar). The
 * refusal carries what is wrong (`problem`: a day November does not have, a day-first date…), so the
 * API can say what to do.
 */
export const calendarDate = (value: unknown, field: string): IsoDate => {
  const problem = describeDate(value, true);
  if (problem) {
    throw new DomainError('date.invalid', `${field} ${JSON.stringify(value)} is not a calendar date (YYYY-MM-DD)`, field, { value, ...problem });
  }
  return value as IsoDate;
};

export const occurredAt = (value: unknown): OccurredAt => {
  const problem = describeDate(value);
  if (problem) {
    throw new DomainError('date.invalid', `occurredAt ${JSON.stringify(value)} is not a calendar date or ISO datetime`, 'occurredAt', { value, ...problem });
  }
  return value as OccurredAt;
};
