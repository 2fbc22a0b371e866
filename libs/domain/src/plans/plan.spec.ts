import { DOCUMENTS, planAmended, planIssued, specFor, UNITS } from '../testing/spec';
import { fold } from '../shared/decider';
import { plan } from './plan';

const { given } = specFor(plan, { id: 'cchc-2022' });

describe('plans', () => {
  it('issues a plan by a registered decision', () => given([]).when(planIssued()).then([planIssued()]));
  it('accepts a plan for next year issued in December (QĐ 2126 of 28/12/2021 for 2022)', () =>
    given([]).when(planIssued({ occurredAt: '2021-12-28' })).then([planIssued({ occurredAt: '2021-12-28' })]));
  it('refuses a plan year far from its issue date', () =>
    given([]).when(planIssued({ year: 2025 })).thenRejects('plan.year_mismatch', 'data.year'));
  it('refuses an owner that is not registered', () =>
    given([]).when(planIssued({ ownerUnitId: 'ubnd-khac' })).thenRejects('unit.not_registered'));
  it('refuses a decision that is not registered', () =>
    given([]).when(planIssued({ documentId: 'ubnd-dak-song.2022.40.qd-ubnd' })).thenRejects('document.not_registered', 'data.documentId'));
  it('refuses issuing twice', () => given([planIssued()]).when(planIssued()).thenRejects('plan.already_exists'));
  it('amends an issued plan', () =>
    given([planIssued()]).when(planAmended({ documentId: DOCUMENTS.plan2022 })).then([planAmended({ documentId: DOCUMENTS.plan2022 })]));
  it('refuses amending a plan never issued', () => given([]).when(planAmended()).thenRejects('plan.not_found'));
  it('keeps its own issuing document; amendments are listed apart, in order', () => {
    const amendments = [planAmended({ documentId: DOCUMENTS.inspectionReport }), planAmended({ occurredAt: '2022-06-01', title: 'Kế hoạch CCHC năm 2022 (sửa đổi)' })];
    expect(fold(plan, [planIssued(), ...amendments])).toMatchObject({
      documentId: DOCUMENTS.plan2022, title: 'Kế hoạch CCHC năm 2022 (sửa đổi)',
      amendments: [{ on: '2022-04-19', documentId: DOCUMENTS.inspectionReport }, { on: '2022-06-01' }],
    });
  });

  describe('who may write', () => {
    it('the owner issues and amends its plan; no other department', () => {
      given([]).when(planIssued()).by(UNITS.district).allowed();
      given([]).when(planIssued()).by(UNITS.homeAffairs).refused('auth.not_your_record');
      given([planIssued()]).when(planAmended()).by(UNITS.district).allowed();
      given([planIssued()]).when(planAmended()).by(UNITS.homeAffairs).refused('auth.not_your_record');
    });
  });
});
