import { documentCorrected, documentRegistered, DOCUMENTS, specFor, UNITS } from '../testing/spec';
import { document } from './document';

const { given } = specFor(document, { id: DOCUMENTS.plan2022 });

describe('documents', () => {
  it('registers a document under the id derived from its identity', () =>
    given([]).when(documentRegistered()).then([documentRegistered()]));
  it('stores the canonical reference and keeps what was written', () =>
    given([]).when(documentRegistered({ reference: 'số100/KH-UBND', documentType: 'ke_hoach', occurredAt: '2022-04-01' }), 'ubnd-dak-song.2022.100.kh-ubnd')
      .then([documentRegistered({ reference: '100/KH-UBND', writtenAs: 'số100/KH-UBND', documentType: 'ke_hoach', occurredAt: '2022-04-01' })]));
  it('refuses an id that does not match the identity', () =>
    given([]).when(documentRegistered(), 'qd-39').thenRejects('document.id_mismatch', 'id'));
  it('refuses a number it cannot read', () =>
    given([]).when(documentRegistered({ reference: 'QĐ 39' })).thenRejects('document.number_invalid', 'data.reference'));
  it('refuses a NN/YYYY/TYPE number dated in another year (01/2020/TT-VPCP of 21/10/2021)', () =>
    given([]).when(documentRegistered({ reference: '01/2020/TT-VPCP', occurredAt: '2021-10-21', issuerUnitId: UNITS.province }),
      'ubnd-tinh-dak-nong.2021.1.tt-vpcp').thenRejects('document.year_mismatch'));
  it('refuses an issuer that is not registered', () =>
    given([]).when(documentRegistered({ issuerUnitId: 'bo-khong-co' })).thenRejects('unit.not_registered', 'data.issuerUnitId'));
  it('refuses an impossible date', () =>
    given([]).when(documentRegistered({ occurredAt: '2022-11-31' })).thenRejects('date.invalid'));
  it('records the period a report covers, and refuses one that ends before it starts', () => {
    const report = { reference: '427/BC-UBND', documentType: 'bao_cao' as const, occurredAt: '2022-09-15' };
    given([]).when(documentRegistered({ ...report, reportsOn: { from: '2022-07-01', to: '2022-09-30' } }), 'ubnd-dak-song.2022.427.bc-ubnd')
      .then([documentRegistered({ ...report, reportsOn: { from: '2022-07-01', to: '2022-09-30' } })]);
    given([]).when(documentRegistered({ ...report, reportsOn: { from: '2022-09-30', to: '2022-07-01' } }), 'ubnd-dak-song.2022.427.bc-ubnd')
      .thenRejects('document.period_invalid', 'data.reportsOn.to');
  });
  it('refuses registering the same document twice', () =>
    given([documentRegistered()]).when(documentRegistered()).thenRejects('document.already_exists'));
  it('corrects a title', () => given([documentRegistered()]).when(documentCorrected()).then([documentCorrected()]));
  it('refuses a correction that changes nothing', () =>
    given([documentRegistered()]).when(documentCorrected({ title: undefined })).thenRejects('document.nothing_to_correct'));
  it('refuses correcting an unknown document', () => given([]).when(documentCorrected()).thenRejects('document.not_found'));

  describe('who may write', () => {
    it('a unit registers the documents it issued; the documents of other bodies, the unit keeping the register', () => {
      given([]).when(documentRegistered()).by(UNITS.district).allowed();
      given([]).when(documentRegistered()).by(UNITS.office).allowed();
      given([]).when(documentRegistered()).by(UNITS.homeAffairs).refused('auth.not_your_record');
      given([]).when(documentRegistered({ issuerUnitId: UNITS.province }), 'ubnd-tinh-dak-nong.2022.39.qd-ubnd').by(UNITS.district).refused('auth.not_your_record');
    });
    it('stamps who registered it, and only that unit corrects it (an admin corrects what an admin registered)', () => {
      given([]).when(documentRegistered()).by(UNITS.office).then([documentRegistered({ registeredByUnitId: UNITS.office })]);
      given([]).when(documentRegistered()).by({ role: 'admin' }).then([documentRegistered()]);
      given([]).when(documentRegistered({ registeredByUnitId: UNITS.homeAffairs } as never)).by(UNITS.district).then([documentRegistered({ registeredByUnitId: UNITS.district })]);
      const byOffice = [documentRegistered({ registeredByUnitId: UNITS.office })];
      given(byOffice).when(documentCorrected()).by(UNITS.office).allowed();
      given(byOffice).when(documentCorrected()).by(UNITS.district).refused('auth.not_your_record');
      given([documentRegistered()]).when(documentCorrected()).by(UNITS.district).refused('auth.not_your_record');
      given([documentRegistered()]).when(documentCorrected()).by({ role: 'admin' }).allowed();
    });
  });
});
