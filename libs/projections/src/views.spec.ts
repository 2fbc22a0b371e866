import { examples, DomainEvent } from '@reform-ledger/domain';
import type { StoredEvent } from '@reform-ledger/ledger';
import { Application, inspectionLogView, legalRegisterView, planProgressView, recruitmentPipelineView, registryView, UnitVisits, View } from './views';

let position = 0;
const stored = (streamId: string, e: DomainEvent): StoredEvent => ({
  eventId: `e-${++position}`, streamId, streamVersion: position, globalPosition: position, type: e.type, schemaVersion: 1, data: e.data,
  occurredAt: e.occurredAt.length === 10 ? `${e.occurredAt}T00:00:00.000000Z` : e.occurredAt, recordedAt: '2026-11-27T00:00:00.000000Z', prevHash: '', hash: '',
});
/** Folds one entity of a view from a history, as the temporal store does for "now". */
const fold = (view: View, kind: string, entity: string, history: StoredEvent[]) =>
  history.filter((e) => view.route(e).some((r) => r.kind === kind && r.entity === entity)).reduce<unknown>((s, e) => view.evolve(kind, s, e), null);

describe('view reducers', () => {
  it('plan progress routes plans by year and tasks by plan, and folds with the domain evolve', () => {
    const plan = stored('plan:cchc-2022', examples.planIssued());
    expect(planProgressView.route(plan)).toEqual([{ kind: 'plan', entity: 'cchc-2022', scope: '2022' }]);
    const history = [stored('task:T-1', examples.taskDefined()), stored('task:T-1', examples.taskCompleted())];
    expect(planProgressView.route(history[0])).toEqual([{ kind: 'task', entity: 'T-1', scope: 'cchc-2022' }]);
    expect(planProgressView.route(history[1])).toEqual([{ kind: 'task', entity: 'T-1', scope: undefined }]);
    expect(fold(planProgressView, 'task', 'T-1', history)).toMatchObject({ status: 'done', completedOn: '2022-11-20', leadUnitId: examples.UNITS.homeAffairs });
  });

  it('inspection log keeps each unit\'s visits and findings under its inspection', () => {
    const history = [
      stored('inspection:kt', examples.inspectionPlanned()),
      stored('inspection:kt', examples.unitInspected({ occurredAt: '2022-05-12' })),
      stored('inspection:kt', examples.unitInspected({ occurredAt: '2022-09-01', findings: undefined })),
      stored('inspection:kt', examples.findingRecorded()),
    ];
    expect(inspectionLogView.route(history[0])).toEqual([{ kind: 'inspection', entity: 'kt', scope: '2022' }]);
    expect(inspectionLogView.route(history[1])).toContainEqual({ kind: 'visits', entity: `kt/${examples.UNITS.namBinh}`, scope: 'kt' });
    const visits = fold(inspectionLogView, 'visits', `kt/${examples.UNITS.namBinh}`, history) as UnitVisits;
    expect(visits).toEqual({
      unitId: examples.UNITS.namBinh,
      visits: [{ date: '2022-05-12', findings: 'Chấp hành tốt quy định' }, { date: '2022-09-01' }],
      findings: ['Hồ sơ quá hạn chưa có thư xin lỗi'],
    });
    expect(fold(inspectionLogView, 'inspection', 'kt', history)).toMatchObject({ status: 'planned', visited: [examples.UNITS.namBinh] });
  });

  it('recruitment pipeline folds a drive and each application on its own', () => {
    const history = [
      stored('recruitment:vc', examples.recruitmentPlanApproved()),
      stored('recruitment:vc', examples.noticePublished()),
      stored('recruitment:vc', examples.applicationReceived({ applicationId: 'A1' })),
      stored('recruitment:vc', examples.applicationReceived({ applicationId: 'A2' })),
      stored('recruitment:vc', examples.eligibilityDecided({ applicationId: 'A1' })),
      stored('recruitment:vc', examples.eligibilityDecided({ applicationId: 'A2', eligible: false, reason: 'x' })),
      stored('recruitment:vc', examples.councilFormed()),
      stored('recruitment:vc', examples.resultApproved({ passedApplicationIds: ['A1'] })),
      stored('recruitment:vc', examples.candidateAppointed({ applicationId: 'A1' })),
      stored('recruitment:vc', examples.recruitmentClosed()),
    ];
    expect(recruitmentPipelineView.route(history[7])).toEqual([{ kind: 'application', entity: 'vc/A1', scope: 'vc' }]);
    expect(fold(recruitmentPipelineView, 'drive', 'vc', history)).toMatchObject({
      status: 'closed', closedOn: '2022-12-31', councilFormedOn: '2022-12-01', window: { from: '2022-10-28', to: '2022-11-27' },
      positions: [{ positionId: 'gv-mam-non', quota: 2 }, { positionId: 'gv-thcs', quota: 1 }],
    });
    expect(fold(recruitmentPipelineView, 'application', 'vc/A1', history)).toEqual({
      positionId: 'gv-mam-non', receivedOn: '2022-11-02', withdrawn: false, eligible: true, passed: true, appointed: true,
    } satisfies Application);
    expect(fold(recruitmentPipelineView, 'application', 'vc/A2', history)).toMatchObject({ eligible: false, passed: false });
  });

  it('legal register tracks drafting, appraisals, issue and expiry dates', () => {
    const history = [
      stored('legal-document:q1', examples.draftRegistered()),
      stored('legal-document:q1', examples.draftAppraised()),
      stored('legal-document:q1', examples.legalDocumentIssued()),
      stored('legal-document:q1', examples.legalDocumentExpired()),
    ];
    expect(fold(legalRegisterView, 'legal-document', 'q1', history)).toMatchObject({
      status: 'expired', draftedOn: '2022-01-05', appraisedOn: ['2022-01-19'], issuedOn: '2022-02-22', expiredOn: '2022-11-30',
    });
  });

  it('registry keeps unit names over time and document references', () => {
    const history = [stored('unit:u1', examples.unitRegistered({ name: 'Phòng Nội vụ huyện Đắk Song' })), stored('unit:u1', examples.unitRenamed())];
    expect(fold(registryView, 'unit', 'u1', history)).toMatchObject({ name: 'Phòng Nội vụ', aliases: ['Phòng Nội vụ huyện Đắk Song'] });
    const doc = [stored(`document:${examples.DOCUMENTS.plan2022}`, examples.documentRegistered())];
    expect(fold(registryView, 'document', examples.DOCUMENTS.plan2022, doc)).toMatchObject({ reference: '39/QĐ-UBND', date: '2022-01-10' });
  });
});
