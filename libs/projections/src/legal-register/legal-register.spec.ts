import { examples } from '@reform-ledger/domain';
import { foldView, stored } from '../testing';
import { legalRegisterView } from './legal-register.view';

describe('legal register reducer', () => {
  it('tracks drafting, appraisals, issue and expiry dates', () => {
    const history = [
      stored('legal-document:q1', examples.draftRegistered()),
      stored('legal-document:q1', examples.draftAppraised()),
      stored('legal-document:q1', examples.legalDocumentIssued()),
      stored('legal-document:q1', examples.legalDocumentExpired()),
    ];
    expect(foldView(legalRegisterView, 'legal-document', 'q1', history)).toMatchObject({
      status: 'expired', draftedOn: '2022-01-05', appraisedOn: ['2022-01-19'], issuedOn: '2022-02-22', expiredOn: '2022-11-30',
    });
  });
});
