import {
  DOCUMENTS, seedHistories, specFor, taskCancelled, taskCompleted, taskDefined, taskDueChanged, taskProgressReported,
  taskReassigned, taskReopened, UNITS, worldOf, planIssued, RECEIVED_AT,
} from '../testing/spec';
import { task } from './task';
import { decideCommand, fold } from '../shared/decider';

const { given } = specFor(task, { id: 'T-07' });

describe('tasks', () => {
  describe('TaskDefined', () => {
    it('defines a task of an issued plan', () => given([]).when(taskDefined()).then([taskDefined()]));
    it('refuses a task of a plan not issued', () =>
      given([]).when(taskDefined({ planId: 'cchc-2023' })).thenRejects('task.plan_not_issued', 'data.planId'));
    it('refuses a task dated before its plan was issued', () =>
      given([]).when(taskDefined({ occurredAt: '2022-01-09' })).thenRejects('task.before_plan_issued', 'occurredAt'));
    it('refuses a lead unit that is not registered', () =>
      given([]).when(taskDefined({ leadUnitId: 'phong-khong-co' })).thenRejects('unit.not_registered', 'data.leadUnitId'));
    it('refuses a dissolved supporting unit', () =>
      given([]).when(taskDefined({ supportingUnitIds: [UNITS.justice, 'phong-giao-duc-cu'] }))
        .thenRejects('unit.not_active', 'data.supportingUnitIds[1]'));
    it('refuses an impossible due date (31/11/2022)', () =>
      given([]).when(taskDefined({ dueOn: '2022-11-31' })).thenRejects('date.invalid', 'data.dueOn'));
    it('refuses a due date before the plan was issued', () =>
      given([]).when(taskDefined({ dueOn: '2021-12-31' })).thenRejects('task.due_before_plan_issued'));
    it('refuses defining the same task twice', () =>
      given([taskDefined()]).when(taskDefined()).thenRejects('task.already_exists'));
    it('stores Vietnamese text NFC-normalised and trimmed', () =>
      given([]).when(taskDefined({ title: ' Rà soát thủ tục\u00a0'.normalize('NFD') }))
        .then([taskDefined({ title: 'Rà soát thủ tục'.normalize('NFC') })]));
  });

  describe('TaskCompleted', () => {
    it('completes an open task', () => given([taskDefined()]).when(taskCompleted()).then([taskCompleted()]));
    it('refuses a second completion', () =>
      given([taskDefined(), taskCompleted()]).when(taskCompleted()).thenRejects('task.already_completed'));
    it('accepts a completion again after a reopening', () =>
      given([taskDefined(), taskCompleted(), taskReopened()]).when(taskCompleted({ occurredAt: '2022-11-28' }))
        .then([taskCompleted({ occurredAt: '2022-11-28' })]));
    it('refuses a completion dated before the plan was issued', () =>
      given([taskDefined()]).when(taskCompleted({ occurredAt: '2021-12-30' })).thenRejects('task.before_plan_issued'));
    it('refuses a completion on an impossible date', () =>
      given([taskDefined()]).when(taskCompleted({ occurredAt: '2022-11-31' })).thenRejects('date.invalid', 'occurredAt'));
    it('refuses a completion of an unknown task', () => given([]).when(taskCompleted()).thenRejects('task.not_found'));
    it('refuses a completion of a cancelled task', () =>
      given([taskDefined(), taskCancelled()]).when(taskCompleted()).thenRejects('task.cancelled'));
    it('cites a registered evidence document', () =>
      given([taskDefined()]).when(taskCompleted({ evidenceDocumentId: DOCUMENTS.inspectionReport }))
        .then([taskCompleted({ evidenceDocumentId: DOCUMENTS.inspectionReport })]));
    it('refuses an evidence document that is not registered', () =>
      given([taskDefined()]).when(taskCompleted({ evidenceDocumentId: 'ubnd-dak-song.2022.1.bc-ubnd' }))
        .thenRejects('document.not_registered', 'data.evidenceDocumentId'));
  });

  describe('TaskReassigned', () => {
    it('reassigns to a registered unit', () => given([taskDefined()]).when(taskReassigned()).then([taskReassigned()]));
    it('refuses a unit that is not registered', () =>
      given([taskDefined()]).when(taskReassigned({ leadUnitId: 'ubnd-xa-khong-co' })).thenRejects('unit.not_registered'));
    it('refuses the current lead', () =>
      given([taskDefined()]).when(taskReassigned({ leadUnitId: UNITS.homeAffairs })).thenRejects('task.same_lead'));
    it('refuses a completed task', () =>
      given([taskDefined(), taskCompleted()]).when(taskReassigned({ occurredAt: '2022-11-21' })).thenRejects('task.already_completed'));
  });

  describe('TaskDueChanged', () => {
    it('moves the due date', () => given([taskDefined()]).when(taskDueChanged()).then([taskDueChanged()]));
    it('refuses an impossible date', () =>
      given([taskDefined()]).when(taskDueChanged({ dueOn: '2023-02-29' })).thenRejects('date.invalid', 'data.dueOn'));
    it('refuses a cancelled task', () =>
      given([taskDefined(), taskCancelled()]).when(taskDueChanged({ occurredAt: '2022-09-02' })).thenRejects('task.cancelled'));
  });

  describe('TaskProgressReported', () => {
    it('records progress as counts', () => given([taskDefined()]).when(taskProgressReported()).then([taskProgressReported()]));
    it('refuses more than the whole ("trên 100%")', () =>
      given([taskDefined()]).when(taskProgressReported({ progress: { numerator: 10, denominator: 9 } }))
        .thenRejects('ratio.over_total', 'data.progress'));
    it('refuses a zero denominator', () =>
      given([taskDefined()]).when(taskProgressReported({ progress: { numerator: 0, denominator: 0 } })).thenRejects('ratio.invalid'));
  });

  describe('TaskReopened', () => {
    it('reopens a completed task', () => given([taskDefined(), taskCompleted()]).when(taskReopened()).then([taskReopened()]));
    it('refuses an open task', () => given([taskDefined()]).when(taskReopened()).thenRejects('task.not_completed'));
  });

  describe('TaskCancelled', () => {
    it('cancels an open task', () => given([taskDefined()]).when(taskCancelled()).then([taskCancelled()]));
    it('refuses a second cancellation', () =>
      given([taskDefined(), taskCancelled()]).when(taskCancelled()).thenRejects('task.cancelled'));
  });

  describe('who may write', () => {
    it('the plan owner defines and reassigns', () => {
      given([]).when(taskDefined()).by(UNITS.district).allowed();
      given([]).when(taskDefined()).by(UNITS.homeAffairs).refused('auth.not_your_record');
      given([taskDefined()]).when(taskReassigned()).by(UNITS.district).allowed();
      given([taskDefined()]).when(taskReassigned()).by(UNITS.homeAffairs).refused('auth.not_your_record');
    });
    it('the lead unit also reports and completes; another department does not', () => {
      given([taskDefined()]).when(taskCompleted()).by(UNITS.homeAffairs).allowed();
      given([taskDefined()]).when(taskProgressReported()).by(UNITS.district).allowed();
      given([taskDefined()]).when(taskCompleted()).by(UNITS.justice).refused('auth.not_your_record');
    });
    it('a merged unit writes nothing more; the unit it was merged into records late what it did', () => {
      const led = [taskDefined({ leadUnitId: 'phong-lao-dong' })];
      given(led).when(taskCompleted()).by('phong-lao-dong').refused('unit.inactive');
      given(led).when(taskCompleted()).by(UNITS.homeAffairs).allowed();
      given([taskDefined({ leadUnitId: 'phong-giao-duc-cu' })]).when(taskCompleted()).by('phong-giao-duc-cu').refused('unit.inactive');
    });
    it('an admin writes anything; a manager or an inspector nothing', () => {
      given([taskDefined()]).when(taskCompleted()).by({ role: 'admin' }).allowed();
      given([taskDefined()]).when(taskCompleted()).by({ role: 'manager' }).refused('auth.role_forbidden');
      given([taskDefined()]).when(taskCompleted()).by({ role: 'inspector' }).refused('auth.role_forbidden');
    });
    it('leaves a task that does not exist to the decision (404), whoever asks', () =>
      given([]).when(taskCompleted()).by(UNITS.justice).allowed());
  });

  it('keeps the last reported progress and its day, also once the task is done', () => {
    const reported = [taskDefined(), taskProgressReported({ occurredAt: '2022-06-30' }), taskProgressReported({ occurredAt: '2022-09-30', progress: { numerator: 4, denominator: 5 } })];
    expect(fold(task, reported)).toMatchObject({ status: 'open', progress: { numerator: 4, denominator: 5, reportedOn: '2022-09-30' } });
    expect(fold(task, [...reported, taskCompleted()])).toMatchObject({ status: 'done', progress: { numerator: 4, reportedOn: '2022-09-30' } });
    expect(fold(task, [taskDefined()])).not.toHaveProperty('progress');
  });

  it('folds a history into the state views and decisions share', () => {
    const state = fold(task, [taskDefined(), taskReassigned(), taskCompleted()]);
    expect(state).toMatchObject({ status: 'done', leadUnitId: UNITS.justice, completedOn: '2022-11-20' });
  });

  it('decides without a clock: the same command on the same history gives the same events', () => {
    const world = worldOf({ ...seedHistories, plans: { 'cchc-2022': [planIssued()] } });
    const decideOnce = () => decideCommand(task, { ...taskCompleted(), id: 'T-07', receivedAt: RECEIVED_AT }, fold(task, [taskDefined()]), world);
    expect(decideOnce()).toEqual(decideOnce());
  });
});
