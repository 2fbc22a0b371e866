import { examples } from '@reform-ledger/domain';
import { foldView, stored } from '../testing';
import { inspectionLogView, UnitVisits } from './inspection-log.view';

describe('inspection log reducer', () => {
  const history = [
    stored('inspection:kt', examples.inspectionPlanned()),
    stored('inspection:kt', examples.unitInspected({ occurredAt: '2022-05-12' })),
    stored('inspection:kt', examples.unitInspected({ occurredAt: '2022-09-01', findings: undefined })),
    stored('inspection:kt', examples.findingRecorded()),
  ];

  it('keeps each unit\'s visits and findings (a visit\'s notes and the findings recorded) under its inspection', () => {
    expect(inspectionLogView.route(history[0])).toEqual([{ kind: 'inspection', entity: 'kt', scope: '2022' }]);
    expect(inspectionLogView.route(history[1])).toContainEqual({ kind: 'visits', entity: `kt/${examples.UNITS.namBinh}`, scope: 'kt' });
    expect(foldView(inspectionLogView, 'visits', `kt/${examples.UNITS.namBinh}`, history) as UnitVisits).toEqual({
      unitId: examples.UNITS.namBinh,
      visits: [{ date: '2022-05-12', findings: 'Chấp hành tốt quy định' }, { date: '2022-09-01' }],
      findings: [
        { on: '2022-05-12', finding: 'Chấp hành tốt quy định', requiresAction: null },
        { on: '2022-05-12', finding: 'Hồ sơ quá hạn chưa có thư xin lỗi', requiresAction: true },
      ],
    });
  });

  it('shows an inspection with visits as in progress, and planned before its first visit', () => {
    expect(foldView(inspectionLogView, 'inspection', 'kt', history.slice(0, 1))).toMatchObject({ status: 'planned' });
    expect(foldView(inspectionLogView, 'inspection', 'kt', history)).toMatchObject({ status: 'in_progress', visited: [examples.UNITS.namBinh] });
  });

  it('keeps the documents the inspection\'s events cite, and its conclusion', () => {
    const cited = [
      stored('inspection:kd', examples.inspectionPlanned({ documentId: examples.DOCUMENTS.plan2022 })),
      stored('inspection:kd', examples.inspectionTeamFormed({ documentId: examples.DOCUMENTS.inspectionReport })),
      stored('inspection:kd', examples.unitInspected()),
      stored('inspection:kd', examples.inspectionConcluded({ summary: 'Đạt 100% kế hoạch kiểm tra' })),
    ];
    expect(foldView(inspectionLogView, 'inspection', 'kd', cited.slice(0, 3))).toMatchObject({
      status: 'in_progress', documentId: examples.DOCUMENTS.plan2022, teamDocumentId: examples.DOCUMENTS.inspectionReport,
    });
    expect(foldView(inspectionLogView, 'inspection', 'kd', cited)).toEqual({
      status: 'concluded', title: 'Kiểm tra công tác cải cách hành chính năm 2022', leadUnitId: examples.UNITS.homeAffairs,
      targetUnitIds: [examples.UNITS.namBinh, examples.UNITS.ducAn], periodFrom: '2022-03-01', periodTo: '2022-11-30', visited: [examples.UNITS.namBinh],
      memberUnitIds: [examples.UNITS.justice], concludedOn: '2022-11-29', documentId: examples.DOCUMENTS.plan2022, teamDocumentId: examples.DOCUMENTS.inspectionReport,
      reportDocumentId: examples.DOCUMENTS.inspectionReport, summary: 'Đạt 100% kế hoạch kiểm tra',
    });
  });

  it('dates a visit by its Vietnamese day', () => {
    const late = [history[0], stored('inspection:kt', examples.unitInspected({ occurredAt: '2022-05-12T18:30:00Z' }))];
    expect((foldView(inspectionLogView, 'visits', `kt/${examples.UNITS.namBinh}`, late) as UnitVisits).visits[0].date).toBe('2022-05-13');
  });
});
