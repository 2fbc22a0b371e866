import { plan, task } from '@reform-ledger/domain';
import { dataOf, recordOf, View, withDomain } from '../view';

const TASK_TYPES = ['TaskDefined', 'TaskReassigned', 'TaskDueChanged', 'TaskProgressReported', 'TaskCompleted', 'TaskReopened', 'TaskCancelled'];

/** Plans (listed by year) and their tasks (listed by plan), folded by the domain's own evolve: plan progress and the task board. */
export const planProgressView = {
  name: 'plan-progress',
  version: 2,
  types: ['PlanIssued', 'PlanAmended', ...TASK_TYPES],
  route: (e) => {
    const { kind, id } = recordOf(e.streamId);
    if (kind === 'plan') return [{ kind: 'plan', entity: id, scope: e.type === 'PlanIssued' ? String(dataOf(e).year) : undefined }];
    return [{ kind: 'task', entity: id, scope: e.type === 'TaskDefined' ? dataOf(e).planId : undefined }];
  },
  evolve: (kind, state, e) => (kind === 'plan' ? withDomain(plan)(state, e) : withDomain(task)(state, e)),
} as const satisfies View<'plan-progress'>;
