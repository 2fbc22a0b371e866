import { legalDocument } from '@reform-ledger/domain';
import { recordOf, View, withDomain } from '../view';

/** Legal normative documents (QPPL): drafts, appraisals, issue, expiry, folded by the domain's own evolve. */
export const legalRegisterView = {
  name: 'legal-register',
  version: 3,
  types: ['DraftRegistered', 'DraftAppraised', 'LegalDocumentIssued', 'SelfCheckRecorded', 'ReviewRecorded', 'LegalDocumentExpired'],
  route: (e) => [{ kind: 'legal-document', entity: recordOf(e.streamId).id, scope: 'all' }],
  evolve: (_kind, state, e) => withDomain(legalDocument)(state, e),
} as const satisfies View<'legal-register'>;
