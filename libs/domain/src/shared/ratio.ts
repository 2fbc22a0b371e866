import { DomainError } from './domain-error';

/**
 * A share of a population, kept as the two counts it comes from ("42/265"), never as a typed
 * percentage: a rate is computed from it with one rounding rule, and "trên 100%" cannot be stored.
 */
export type Ratio = { numerator: number; denominator: number };

export const checkRatio = (ratio: Ratio, field: string): Ratio => {
  const { numerator, denominator } = ratio;
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || numerator < 0 || denominator < 1) {
    throw new DomainError('ratio.invalid', `${field} needs whole counts, numerator ≥ 0 and denominator ≥ 1`, field, { numerator, denominator });
  }
  if (numerator > denominator) {
    throw new DomainError('ratio.over_total',
      `${field} ${numerator}/${denominator} counts more than the whole (over 100%)`, field, { numerator, denominator });
  }
  return ratio;
};

/** Percentage with one decimal, rounded half up: 42/265 → 15.8. */
export const percent = ({ numerator, denominator }: Ratio): number => Math.round((numerator * 1000) / denominator) / 10;
