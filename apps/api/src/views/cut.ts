import { isCalendarDate, isOccurredAt } from '@reform-ledger/domain';
import type { CutQuery } from '@reform-ledger/projections';
import { Problem } from '../problem';
import type { FieldError } from '../events/validate';

export type ReadQuery = { asOf?: string; knownAt?: string; position?: string; minPosition?: string; year?: string };

const POSITION = /^\d{1,15}$/;

/** Parses the cut parameters every read route takes; 400 naming each bad one. */
export const parseCut = (query: ReadQuery): CutQuery & { minPosition?: number; year?: number } => {
  const errors: FieldError[] = [];
  const time = (name: 'asOf' | 'knownAt') => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !isOccurredAt(value)) {
      errors.push({ field: name, reason: 'must be a calendar date (YYYY-MM-DD; 2022-11-31 does not exist) or an ISO datetime with a zone' });
      return undefined;
    }
    return value;
  };
  const integer = (name: 'position' | 'minPosition') => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !POSITION.test(value)) {
      errors.push({ field: name, reason: 'must be a ledger position (a whole number ≥ 0)' });
      return undefined;
    }
    return Number(value);
  };
  const asOf = time('asOf');
  const knownAt = time('knownAt');
  const position = integer('position');
  const minPosition = integer('minPosition');
  let year: number | undefined;
  if (query.year !== undefined) {
    if (typeof query.year !== 'string' || !/^\d{4}$/.test(query.year) || !isCalendarDate(`${query.year}-01-01`)) errors.push({ field: 'year', reason: 'must be a year, e.g. 2022' });
    else year = Number(query.year);
  }
  if (errors.length) throw new Problem(400, 'request.invalid', 'The read parameters are invalid', errors);
  return { asOf, knownAt, position, minPosition, year };
};
