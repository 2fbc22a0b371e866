import { examples } from '@reform-ledger/domain';
import { foldView, stored } from '../testing';
import { stageOf } from './recruitment-pipeline.query';
import { Application, Drive, recruitmentPipelineView } from './recruitment-pipeline.view';

describe('recruitment pipeline reducer', () => {
  const history = [
    stored('recruitment:vc', examples.recruitmentPlanApproved()),
    stored('recruitment:vc', examples.noticePublished()),
    stored('recruitment:vc', examples.applicationReceived({ applicationId: 'A1' })),
    stored('recruitment:vc', examples.applicationReceived({ applicationId: 'A2' })),
    stored('recruitment:vc', examples.eligibilityDecided({ applicationId: 'A1' })),
    stored('recruitment:vc', examples.eligibilityDecided({ applicationId: 'A2', eligible: false, reason: 'x' })),
    stored('recruitment:vc', examples.councilFormed({ documentId: examples.DOCUMENTS.inspectionReport })),
    stored('recruitment:vc', examples.resultApproved({ passedApplicationIds: ['A1'] })),
    stored('recruitment:vc', examples.candidateAppointed({ applicationId: 'A1' })),
    stored('recruitment:vc', examples.recruitmentClosed()),
  ];

  it('folds a drive and each application on its own', () => {
    expect(recruitmentPipelineView.route(history[7])).toEqual([
      { kind: 'drive', entity: 'vc', scope: undefined }, { kind: 'application', entity: 'vc/A1', scope: 'vc' },
    ]);
    expect(foldView(recruitmentPipelineView, 'drive', 'vc', history)).toMatchObject({
      status: 'closed', closedOn: '2022-12-31', councilFormedOn: '2022-12-01', resultApprovedOn: '2022-12-20', window: { from: '2022-10-28', to: '2022-11-27' },
      positions: [{ positionId: 'gv-mam-non', quota: 2 }, { positionId: 'gv-thcs', quota: 1 }],
      councilDocumentId: examples.DOCUMENTS.inspectionReport,
    });
    expect(foldView(recruitmentPipelineView, 'drive', 'vc', history)).not.toHaveProperty('resultDocumentId');
    expect(foldView(recruitmentPipelineView, 'application', 'vc/A1', history)).toEqual({
      positionId: 'gv-mam-non', receivedOn: '2022-11-02', withdrawn: false, eligible: true, passed: true, appointed: true,
    } satisfies Application);
    expect(foldView(recruitmentPipelineView, 'application', 'vc/A2', history)).toMatchObject({ eligible: false, passed: false });
  });

  it('names the stage a drive is at on a day: open, applications closed, council formed, results approved, closed', () => {
    const at = (n: number) => foldView(recruitmentPipelineView, 'drive', 'vc', history.slice(0, n)) as Drive;
    expect(stageOf(at(2), '2022-11-27')).toBe('open');
    expect(stageOf(at(2), '2022-11-28')).toBe('applications_closed');
    expect(stageOf(at(7), '2022-12-05')).toBe('council_formed');
    expect(stageOf(at(8), '2022-12-21')).toBe('results_approved');
    expect(stageOf(at(10), '2023-01-01')).toBe('closed');
  });
});
