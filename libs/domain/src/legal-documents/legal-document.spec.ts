import {
  draftAppraised, draftRegistered, legalDocumentExpired, legalDocumentIssued, reviewRecorded, selfCheckRecorded, specFor,
} from '../testing/spec';
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
});
