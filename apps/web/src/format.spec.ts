import { date, dayMonth, delta, num, parseDate, pct, share } from './format';

describe('Vietnamese formats', () => {
  it('writes numbers with a dot for thousands and a comma for decimals, a space before %', () => {
    expect(num(1393)).toBe('1.393');
    expect(pct(0.813)).toBe('81,3 %');
    expect(share(49, 55)).toBe('89,1 %');
    expect(share(0, 0)).toBe('–');
    expect([delta(5), delta(-2), delta(0)]).toEqual(['+5', '−2', '0']);
  });

  it('writes days as dd/mm/yyyy and moments in the ledger\'s zone; reads only real days typed dd/mm/yyyy', () => {
    expect(date('2022-11-30')).toBe('30/11/2022');
    expect(date('2022-11-30T17:30:00Z')).toBe('01/12/2022 00:30:00');
    expect(parseDate('30/11/2022')).toBe('2022-11-30');
    expect(parseDate('1/6/2022')).toBe('2022-06-01');
    expect(parseDate('31/11/2022')).toBeNull();
    expect(parseDate('2022-11-30')).toBeNull();
    // A chart's axis: the day of an instant in the ledger's zone, dd/mm (17:30Z on 30/11 is 01/12 in Vietnam).
    expect(dayMonth(Date.parse('2022-03-01T00:00:00Z'))).toBe('01/03');
    expect(dayMonth(Date.parse('2022-11-30T17:30:00Z'))).toBe('01/12');
  });
});
