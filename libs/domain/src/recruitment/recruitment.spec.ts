import {
  applicationReceived, applicationWithdrawn, candidateAppointed, councilFormed, eligibilityDecided, noticePublished,
  recruitmentClosed, recruitmentPlanApproved, resultApproved, roundHeld, specFor, UNITS,
} from '../testing/spec';
import { fold } from '../shared/decider';
import { recruitment } from './recruitment';

const { given } = specFor(recruitment, { id: 'vien-chuc-2022' });
const announced = [recruitmentPlanApproved(), noticePublished()];
const applied = [...announced, applicationReceived()];
const eligible = [...applied, eligibilityDecided()];
const passed = [...eligible, councilFormed(), resultApproved()];

describe('recruitment', () => {
  it('approves a plan with quotas per position', () => given([]).when(recruitmentPlanApproved()).then([recruitmentPlanApproved()]));
  it('refuses a position listed twice', () =>
    given([]).when(recruitmentPlanApproved({ positions: [{ positionId: 'a', title: 'A', quota: 1 }, { positionId: 'a', title: 'A', quota: 2 }] }))
      .thenRejects('recruitment.position_duplicate', 'data.positions[1].positionId'));
  it('refuses a position at an unregistered unit', () =>
    given([]).when(recruitmentPlanApproved({ positions: [{ positionId: 'a', title: 'A', quota: 1, unitId: 'truong-khong-co' }] }))
      .thenRejects('unit.not_registered', 'data.positions[0].unitId'));

  it('publishes the notice', () => given([recruitmentPlanApproved()]).when(noticePublished()).then([noticePublished()]));
  it('refuses a window that closes before it opens', () =>
    given([recruitmentPlanApproved()]).when(noticePublished({ applicationsCloseOn: '2022-10-01' })).thenRejects('recruitment.window_invalid'));
  it('refuses a step dated before the approval', () =>
    given([recruitmentPlanApproved()]).when(noticePublished({ occurredAt: '2022-09-01' })).thenRejects('recruitment.before_approval'));

  it('receives an application inside the window', () => given(announced).when(applicationReceived()).then([applicationReceived()]));
  it('refuses an application before the notice', () =>
    given([recruitmentPlanApproved()]).when(applicationReceived()).thenRejects('recruitment.no_notice'));
  it('refuses an application after the window closed', () =>
    given(announced).when(applicationReceived({ occurredAt: '2022-11-28' })).thenRejects('recruitment.outside_window', 'occurredAt'));
  it('refuses a position not in the plan', () =>
    given(announced).when(applicationReceived({ positionId: 'gv-tieu-hoc' })).thenRejects('recruitment.position_unknown'));
  it('refuses the same application twice', () =>
    given(applied).when(applicationReceived()).thenRejects('recruitment.application_exists'));

  it('withdraws an application', () => given(applied).when(applicationWithdrawn()).then([applicationWithdrawn()]));
  it('refuses withdrawing an unknown application', () =>
    given(announced).when(applicationWithdrawn()).thenRejects('recruitment.application_unknown'));
  it('refuses withdrawing twice', () =>
    given([...applied, applicationWithdrawn()]).when(applicationWithdrawn()).thenRejects('recruitment.application_not_active'));

  it('decides eligibility of a received application', () => given(applied).when(eligibilityDecided()).then([eligibilityDecided()]));
  it('refuses a second eligibility decision', () =>
    given(eligible).when(eligibilityDecided({ eligible: false, reason: 'x' })).thenRejects('recruitment.eligibility_already_decided'));
  it('refuses deciding an unknown application', () =>
    given(announced).when(eligibilityDecided()).thenRejects('recruitment.application_unknown'));
  it('refuses deciding a withdrawn application', () =>
    given([...applied, applicationWithdrawn()]).when(eligibilityDecided()).thenRejects('recruitment.application_not_received'));
  it('refuses an ineligibility without a reason', () =>
    given(applied).when(eligibilityDecided({ eligible: false })).thenRejects('recruitment.reason_required', 'data.reason'));

  it('forms the council and holds a round', () => {
    given(eligible).when(councilFormed()).then([councilFormed()]);
    given(eligible).when(roundHeld()).then([roundHeld()]);
  });
  it('approves the result of eligible applications', () =>
    given([...eligible, councilFormed()]).when(resultApproved()).then([resultApproved()]));
  it('refuses a result before the council is formed', () => given(eligible).when(resultApproved()).thenRejects('recruitment.no_council'));
  it('refuses passing an application that is not eligible', () =>
    given([...applied, councilFormed()]).when(resultApproved()).thenRejects('recruitment.not_eligible'));
  it('refuses a second result', () => given(passed).when(resultApproved()).thenRejects('recruitment.result_already_approved'));

  it('appoints a passed candidate', () => given(passed).when(candidateAppointed()).then([candidateAppointed()]));
  it('refuses appointing a candidate who has not passed', () =>
    given(eligible).when(candidateAppointed()).thenRejects('recruitment.not_passed'));
  it('never appoints above the quota', () => {
    const twoForOne = [
      ...announced,
      applicationReceived({ applicationId: 'A1', positionId: 'gv-thcs' }),
      applicationReceived({ applicationId: 'A2', positionId: 'gv-thcs' }),
      eligibilityDecided({ applicationId: 'A1' }), eligibilityDecided({ applicationId: 'A2' }),
      councilFormed(), resultApproved({ passedApplicationIds: ['A1', 'A2'] }),
      candidateAppointed({ applicationId: 'A1' }),
    ];
    given(twoForOne).when(candidateAppointed({ applicationId: 'A2' })).thenRejects('recruitment.quota_exceeded');
  });

  it('closes the drive, and takes no step after it', () => {
    given(passed).when(recruitmentClosed()).then([recruitmentClosed()]);
    given([...passed, recruitmentClosed()]).when(candidateAppointed()).thenRejects('recruitment.closed');
  });
  it('refuses steps of a drive never approved', () => given([]).when(noticePublished()).thenRejects('recruitment.not_found'));

  it('folds without changing the states before: each event shares the drive\'s other applications', () => {
    const before = fold(recruitment, applied);
    const after = recruitment.evolve(before, eligibilityDecided());
    const statusOf = (state: typeof before) => (state.status === 'absent' ? undefined : state.applications.get(applicationReceived().data.applicationId)?.status);
    expect([statusOf(before), statusOf(after)]).toEqual(['received', 'eligible']);
    expect(JSON.parse(JSON.stringify(after))).toMatchObject({ applications: { [applicationReceived().data.applicationId]: { status: 'eligible' } } });
  });

  describe('who may write', () => {
    it('the unit that owns the drive records all of it; no other department', () => {
      given([]).when(recruitmentPlanApproved()).by(UNITS.homeAffairs).allowed();
      given([]).when(recruitmentPlanApproved()).by(UNITS.justice).refused('auth.not_your_record');
      given(announced).when(applicationReceived()).by(UNITS.homeAffairs).allowed();
      given(announced).when(applicationReceived()).by(UNITS.culture).refused('auth.not_your_record');
    });
  });
});
