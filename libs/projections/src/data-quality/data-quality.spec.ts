import type { RegisteredDocument } from '../registry/registry.query';
import { doneButLate, reportsDatedBeforeTheirPeriod, reusedNumbers } from './data-quality.rules';

const doc = (documentId: string, reference: string, date: string, extra: Partial<RegisteredDocument> = {}): RegisteredDocument =>
  ({ documentId, status: 'registered', reference, issuerUnitId: documentId.split('.')[0], date, documentType: 'bao_cao', ...extra });

describe('data-quality rules', () => {
  it('flags a report dated before the period it reports on, in Vietnamese dates', () => {
    const findings = reportsDatedBeforeTheirPeriod([
      doc('ubnd.2021.122.bc-ubnd', '122/BC-UBND', '2021-03-17', { reportsOn: { from: '2022-01-01', to: '2022-03-31' } }),
      doc('ubnd.2022.427.bc-ubnd', '427/BC-UBND', '2022-09-15', { reportsOn: { from: '2022-07-01', to: '2022-09-30' } }),
    ]);
    expect(findings).toEqual([expect.objectContaining({ rule: 'document.dated_before_reported_period', record: 'document:ubnd.2021.122.bc-ubnd' })]);
    expect(findings[0].detail).toContain('17/03/2021');
  });

  it('lists a number and symbol used twice, not numbers that carry different years', () => {
    const names = new Map([['t', 'UBND tỉnh Đắk Nông']]);
    const findings = reusedNumbers([doc('t.2017.1.ct-ubnd', '01/CT-UBND', '2017-01-05'), doc('t.2022.1.ct-ubnd', '01/CT-UBND', '2022-01-11'),
      doc('h.2016.1.qd', '01/2016/QĐ-UBND', '2016-05-10'), doc('h.2022.1.qd', '01/2022/QĐ-UBND', '2022-02-22')], (id) => names.get(id) ?? id);
    expect(findings).toEqual([expect.objectContaining({ rule: 'document.number_reused', record: 'document:t.2017.1.ct-ubnd, document:t.2022.1.ct-ubnd' })]);
    // The issuer by its name, as a person reads it, not its id.
    expect(findings[0].detail).toContain('UBND tỉnh Đắk Nông ngày 05/01/2017; UBND tỉnh Đắk Nông ngày 11/01/2022');
  });

  it('flags a plan done 100% with tasks done late, not one done on time or not done', () => {
    const findings = doneButLate([
      { planId: 'a', title: 'Kế hoạch Cải cách hành chính năm 2022', total: 55, completed: 55, completedOnTime: 49 },
      { planId: 'b', title: 'B', total: 5, completed: 5, completedOnTime: 5 },
      { planId: 'c', title: 'C', total: 5, completed: 4, completedOnTime: 2 },
    ]);
    expect(findings.map((f) => f.record)).toEqual(['plan:a']);
    expect(findings[0].detail).toMatch(/^Kế hoạch Cải cách hành chính năm 2022 hoàn thành 55\/55 nhiệm vụ, nhưng 6 nhiệm vụ/);
  });
});
