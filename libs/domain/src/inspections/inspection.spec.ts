import {
  findingRecorded, inspectionConcluded, inspectionPlanned, inspectionTeamFormed, specFor, UNITS, unitInspected,
} from '../testing/spec';
import { fold } from '../shared/decider';
import { UPCASTERS } from '../catalogue';
import { inspection } from './inspection';

const { given } = specFor(inspection, { id: 'kt-cchc-2022' });
const planned = [inspectionPlanned()];

describe('inspections', () => {
  it('plans an inspection of registered units', () => given([]).when(inspectionPlanned()).then([inspectionPlanned()]));
  it('refuses a target that is not registered', () =>
    given([]).when(inspectionPlanned({ targetUnitIds: [UNITS.namBinh, 'ubnd-xa-khong-co'] }))
      .thenRejects('unit.not_registered', 'data.targetUnitIds[1]'));
  it('refuses a period that ends before it starts', () =>
    given([]).when(inspectionPlanned({ periodFrom: '2022-12-01', periodTo: '2022-11-30' })).thenRejects('inspection.period_invalid'));
  it('refuses an impossible period date', () =>
    given([]).when(inspectionPlanned({ periodTo: '2022-11-31' })).thenRejects('date.invalid', 'data.periodTo'));

  it('forms the team', () => given(planned).when(inspectionTeamFormed()).then([inspectionTeamFormed()]));

  it('records a visit within the period', () => given(planned).when(unitInspected()).then([unitInspected()]));
  it('refuses a visit outside the period', () =>
    given(planned).when(unitInspected({ occurredAt: '2022-12-02' })).thenRejects('inspection.visit_outside_period', 'occurredAt'));
  it('refuses a visit to an unregistered unit', () =>
    given(planned).when(unitInspected({ unitId: 'truong-khong-co' })).thenRejects('unit.not_registered', 'data.unitId'));
  it('refuses a visit before the inspection is planned', () => given([]).when(unitInspected()).thenRejects('inspection.not_found'));

  it('records a finding at a visited unit', () =>
    given([...planned, unitInspected()]).when(findingRecorded()).then([findingRecorded()]));
  it('refuses a finding at a unit not visited', () =>
    given(planned).when(findingRecorded()).thenRejects('inspection.unit_not_visited'));

  it('concludes with its report', () => given([...planned, unitInspected()]).when(inspectionConcluded()).then([inspectionConcluded()]));
  it('refuses a second conclusion', () =>
    given([...planned, inspectionConcluded()]).when(inspectionConcluded()).thenRejects('inspection.already_concluded'));
  it('refuses visits after the conclusion', () =>
    given([...planned, inspectionConcluded()]).when(unitInspected()).thenRejects('inspection.already_concluded'));
  it('refuses a report that is not registered', () =>
    given(planned).when(inspectionConcluded({ reportDocumentId: 'ubnd-dak-song.2022.400.bc-dkt' })).thenRejects('document.not_registered'));

  it('is planned until its first visit, in progress from it until concluded', () => {
    expect(fold(inspection, planned).status).toBe('planned');
    expect(fold(inspection, [...planned, inspectionTeamFormed()]).status).toBe('planned');
    expect(fold(inspection, [...planned, unitInspected()])).toMatchObject({ status: 'in_progress', visited: [UNITS.namBinh] });
    expect(fold(inspection, [...planned, unitInspected(), unitInspected({ unitId: UNITS.ducAn, occurredAt: '2022-06-01' })]).status).toBe('in_progress');
    expect(fold(inspection, [...planned, unitInspected(), inspectionConcluded()])).toMatchObject({ status: 'concluded', concludedOn: '2022-11-29' });
  });
  it('keeps checking visits and findings while in progress', () => {
    given([...planned, unitInspected()]).when(unitInspected({ occurredAt: '2022-12-02' })).thenRejects('inspection.visit_outside_period');
    given([...planned, unitInspected()]).when(findingRecorded({ unitId: UNITS.ducAn })).thenRejects('inspection.unit_not_visited', 'data.unitId');
  });

  it('keeps the team\'s units; refuses one that is not registered', () => {
    expect(fold(inspection, [...planned, inspectionTeamFormed()])).toMatchObject({ memberUnitIds: [UNITS.justice] });
    given(planned).when(inspectionTeamFormed({ memberUnitIds: ['phong-khong-co'] })).thenRejects('unit.not_registered', 'data.memberUnitIds[0]');
  });
  it('reads a version-1 team as listing no units', () => {
    const upcast = UPCASTERS.find((u) => u.type === 'InspectionTeamFormed' && u.fromVersion === 1)!.upcast;
    expect(upcast({ memberCount: 5 })).toEqual({ memberCount: 5, memberUnitIds: [] });
  });

  describe('who may write', () => {
    const team = [...planned, inspectionTeamFormed()];
    it('the lead unit plans, forms the team and concludes', () => {
      given([]).when(inspectionPlanned()).by(UNITS.homeAffairs).allowed();
      given([]).when(inspectionPlanned()).by(UNITS.justice).refused('auth.not_your_record');
      given(planned).when(inspectionTeamFormed()).by(UNITS.justice).refused('auth.not_your_record');
      given(team).when(inspectionConcluded()).by(UNITS.justice).refused('auth.not_your_record');
      given(team).when(inspectionConcluded()).by(UNITS.homeAffairs).allowed();
    });
    it('visits and findings: the lead or a unit on the team', () => {
      given(planned).when(unitInspected()).by(UNITS.homeAffairs).allowed();
      given(planned).when(unitInspected()).by(UNITS.justice).refused('auth.not_your_record');
      given(team).when(unitInspected()).by(UNITS.justice).allowed();
      given([...team, unitInspected()]).when(findingRecorded()).by(UNITS.justice).allowed();
      given(team).when(unitInspected()).by(UNITS.culture).refused('auth.not_your_record');
      given([...planned, inspectionTeamFormed({ memberUnitIds: [] })]).when(unitInspected()).by(UNITS.justice).refused('auth.not_your_record');
    });
  });
});
