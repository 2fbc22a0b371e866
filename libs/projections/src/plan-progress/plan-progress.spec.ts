import { examples } from '@reform-ledger/domain';
import { foldView, stored } from '../testing';
import { planProgressView } from './plan-progress.view';

describe('plan progress reducer', () => {
  it('routes plans by year and tasks by plan, and folds with the domain evolve', () => {
    const plan = stored('plan:cchc-2022', examples.planIssued());
    expect(planProgressView.route(plan)).toEqual([{ kind: 'plan', entity: 'cchc-2022', scope: '2022' }]);
    const history = [stored('task:T-1', examples.taskDefined()), stored('task:T-1', examples.taskCompleted())];
    expect(planProgressView.route(history[0])).toEqual([{ kind: 'task', entity: 'T-1', scope: 'cchc-2022' }]);
    expect(planProgressView.route(history[1])).toEqual([{ kind: 'task', entity: 'T-1', scope: undefined }]);
    expect(foldView(planProgressView, 'task', 'T-1', history)).toMatchObject({ status: 'done', completedOn: '2022-11-20', leadUnitId: examples.UNITS.homeAffairs });
  });

  it('takes a completion at 06:00 on 01/12 in Vietnam, stored as 23:00 UTC on 30/11, as done on 01/12', () => {
    const history = [stored('task:T-2', examples.taskDefined({ dueOn: '2022-11-30' })), stored('task:T-2', examples.taskCompleted({ occurredAt: '2022-12-01T06:00:00+07:00' }))];
    expect(history[1].occurredAt).toBe('2022-11-30T23:00:00.000000Z');
    expect(foldView(planProgressView, 'task', 'T-2', history)).toMatchObject({ status: 'done', completedOn: '2022-12-01', dueOn: '2022-11-30' });
  });

  it('keeps a plan\'s own document and lists its amendments apart', () => {
    const history = [stored('plan:p', examples.planIssued()), stored('plan:p', examples.planAmended({ documentId: examples.DOCUMENTS.inspectionReport }))];
    expect(foldView(planProgressView, 'plan', 'p', history)).toMatchObject({
      documentId: examples.DOCUMENTS.plan2022, amendments: [{ on: '2022-04-19', documentId: examples.DOCUMENTS.inspectionReport }],
    });
  });

  it('keeps the latest reported progress of a task with its day', () => {
    const history = [stored('task:T-3', examples.taskDefined()), stored('task:T-3', examples.taskProgressReported({ occurredAt: '2022-08-01T09:00:00+07:00' }))];
    expect(foldView(planProgressView, 'task', 'T-3', history)).toMatchObject({ status: 'open', progress: { numerator: 3, denominator: 5, reportedOn: '2022-08-01' } });
  });
});
