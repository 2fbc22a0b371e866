import {
  draftAppraised, draftRegistered, legalDocumentExpired, legalDocumentIssued, reviewRecorded, selfCheckRecorded, specFor, UNITS,
} from '../testing/spec';
import { UPCASTERS } from '../catalogue';
import { legalDocument } from './legal-document';

const { given } = specFor(legalDocument, { id: 'qppl-2022-01' });
const issued = [draftRegistered(), draftAppraised(), legalDocumentIssued()];

describe('legal normative documents (QPPL)', () => {
  it('registers a draft', () => given([]).when(draftRegistered()).then([draftRegistered()]));
  it('refuses a drafting unit that is not registered', () =>
    given([]).when(draftRegistered({ draftingUnitId: 'phong-khong-co' })).thenRejects('unit.not_registered'));

  it('appraises a draft', () => given([draftRegistered()]).when(draftAppraised()).then([draftAppraised()]));
  it('refuses appraising an issued document', () => given(issued).when(draftAppraised()).thenRejects('legal_document.not_a_draft'));
  it('refuses appraising without a draft', () => given([]).when(draftAppraised()).thenRejects('legal_document.not_found'));

  it('issues a registered draft', () =>
    given([draftRegistered(), draftAppraised()]).when(legalDocumentIssued()).then([legalDocumentIssued()]));
  it('refuses issuing without a registered draft', () => given([]).when(legalDocumentIssued()).thenRejects('legal_document.not_found'));
  it('refuses issuing twice', () => given(issued).when(legalDocumentIssued()).thenRejects('legal_document.not_a_draft'));
  it('refuses issuing as an unregistered document', () =>
    given([draftRegistered()]).when(legalDocumentIssued({ documentId: 'ubnd-dak-song.2022.9.qd-ubnd' })).thenRejects('document.not_registered'));

  it('records a self-check of an issued document', () => given(issued).when(selfCheckRecorded()).then([selfCheckRecorded()]));
  it('refuses a self-check of a draft', () => given([draftRegistered()]).when(selfCheckRecorded()).thenRejects('legal_document.not_issued'));
  it('records a review', () => given(issued).when(reviewRecorded()).then([reviewRecorded()]));

  it('expires an issued document', () => given(issued).when(legalDocumentExpired()).then([legalDocumentExpired()]));
  it('expires in part, then wholly', () =>
    given([...issued, legalDocumentExpired({ scope: 'partial' })]).when(legalDocumentExpired()).then([legalDocumentExpired()]));
  it('refuses expiring a draft', () => given([draftRegistered()]).when(legalDocumentExpired()).thenRejects('legal_document.not_issued'));
  it('refuses anything after a whole expiry', () =>
    given([...issued, legalDocumentExpired()]).when(reviewRecorded({ occurredAt: '2022-12-01' })).thenRejects('legal_document.expired'));

  it('refuses an appraisal by another unit than the draft names', () =>
    given([draftRegistered()]).when(draftAppraised({ appraisingUnitId: UNITS.culture })).thenRejects('legal_document.appraiser_mismatch', 'data.appraisingUnitId'));
  it('refuses an appraiser that is not registered', () =>
    given([]).when(draftRegistered({ appraisalUnitId: 'phong-khong-co' })).thenRejects('unit.not_registered', 'data.appraisalUnitId'));
  it('reads a version-1 draft as naming no appraiser', () => {
    const upcast = UPCASTERS.find((u) => u.type === 'DraftRegistered' && u.fromVersion === 1)!.upcast;
    expect(upcast({ title: 'Dự thảo', draftingUnitId: UNITS.homeAffairs })).toEqual({ title: 'Dự thảo', draftingUnitId: UNITS.homeAffairs, appraisalUnitId: null });
  });

  describe('who may write', () => {
    it('the drafting unit registers, issues and reviews its draft', () => {
      given([]).when(draftRegistered()).by(UNITS.homeAffairs).allowed();
      given([]).when(draftRegistered()).by(UNITS.justice).refused('auth.not_your_record');
      given([draftRegistered(), draftAppraised()]).when(legalDocumentIssued()).by(UNITS.homeAffairs).allowed();
      given(issued).when(reviewRecorded()).by(UNITS.justice).refused('auth.not_your_record');
    });
    it('only the unit the draft names appraises it, not one that names itself the appraiser', () => {
      given([draftRegistered()]).when(draftAppraised()).by(UNITS.justice).allowed();
      given([draftRegistered()]).when(draftAppraised()).by(UNITS.homeAffairs).refused('auth.not_your_record');
      given([draftRegistered()]).when(draftAppraised({ appraisingUnitId: UNITS.culture })).by(UNITS.culture).refused('auth.not_your_record');
    });
    it('a draft that names no appraiser (version 1) is appraised by an admin only', () => {
      const v1 = [draftRegistered({ appraisalUnitId: null })];
      given(v1).when(draftAppraised()).by(UNITS.justice).refused('auth.not_your_record');
      given(v1).when(draftAppraised()).by({ role: 'admin' }).allowed();
      given(v1).when(draftAppraised()).then([draftAppraised()]);
    });
  });
});
