import { percent, Plan, REFORM_FIELDS, ReformField, Task } from '@reform-ledger/domain';
import { At, defineQuery, UnitFilter } from '../reader';
import { planProgressView } from './plan-progress.view';

type Defined = Exclude<Task, { status: 'absent' }>;
type Done = Extract<Task, { status: 'done' }>;
type Issued = Extract<Plan, { status: 'issued' }>;

const rate = (numerator: number, denominator: number) => (denominator === 0 ? 0 : Math.round((numerator / denominator) * 10_000) / 10_000);

/** Plans of a year (all when none), with their own issuing document and their amendments listed apart. */
export const plansQuery = defineQuery([planProgressView], async (at, filter: UnitFilter & { year?: number } = {}) => {
  const plans = await at.list<Issued>(planProgressView, 'plan', filter.year === undefined ? null : String(filter.year));
  return {
    plans: plans
      .filter(({ state }) => filter.unitId === undefined || state.ownerUnitId === filter.unitId)
      .map(({ entity, state }) => ({
        planId: entity, title: state.title, year: state.year, documentId: state.documentId ?? null,
        amendments: state.amendments.map((a) => ({ documentId: a.documentId ?? null, on: a.on })),
        ownerUnitId: state.ownerUnitId, issuedOn: state.issuedOn,
      })),
    cut: at.answered,
  };
});

/** A plan at the cut and its tasks (those led by `unitId` only, when given); null when the plan does not exist then. */
export const planTasks = async (at: At, planId: string, filter: UnitFilter = {}) => {
  const plan = await at.one<Plan>(planProgressView, 'plan', planId);
  if (!plan || plan.status === 'absent') return null;
  const tasks = (await at.list<Defined>(planProgressView, 'task', planId))
    .filter(({ state }) => filter.unitId === undefined || state.leadUnitId === filter.unitId);
  return { plan, tasks };
};

/**
 * Plan progress: total, completed (on time: on or before the due day), overdue (open past its due day
 * at the cut's day), in progress, open tasks with a progress report, by field and by lead unit.
 */
export const progressQuery = defineQuery([planProgressView], async (at, planId: string, filter: UnitFilter = {}) => {
  const found = await planTasks(at, planId, filter);
  if (!found) return null;
  const counted = found.tasks.map((t) => t.state).filter((t) => t.status !== 'cancelled');
  const completed = counted.filter((t): t is Done => t.status === 'done');
  const open = counted.filter((t) => t.status === 'open');
  const overdue = open.filter((t) => t.dueOn < at.day).length;
  const group = <K extends string>(key: (t: Defined) => K) => {
    const groups = new Map<K, { total: number; completed: number }>();
    for (const t of counted) {
      const g = groups.get(key(t)) ?? { total: 0, completed: 0 };
      g.total++;
      if (t.status === 'done') g.completed++;
      groups.set(key(t), g);
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    planId,
    unitId: filter.unitId ?? null,
    total: counted.length,
    completed: completed.length,
    completedOnTime: completed.filter((t) => t.completedOn <= t.dueOn).length,
    overdue,
    inProgress: open.length - overdue,
    withProgressReport: open.filter((t) => t.progress !== undefined).length,
    completionRate: rate(completed.length, counted.length),
    byField: group((t) => t.field).map(([field, g]) => ({ field, fieldName: REFORM_FIELDS[field as ReformField], ...g })),
    byUnit: group((t) => t.leadUnitId).map(([unitId, g]) => ({ unitId, ...g })),
    cut: at.answered,
  };
});

/** The task board: each task with its status, lead unit, due and completion days, and its latest reported progress. */
export const tasksQuery = defineQuery([planProgressView], async (at, planId: string, filter: UnitFilter = {}) => {
  const found = await planTasks(at, planId, filter);
  if (!found) return null;
  return {
    planId,
    unitId: filter.unitId ?? null,
    tasks: found.tasks.map(({ entity, state }) => ({
      taskId: entity, title: state.title, field: state.field, status: state.status, leadUnitId: state.leadUnitId,
      supportingUnitIds: state.supportingUnitIds, dueOn: state.dueOn, completedOn: state.status === 'done' ? state.completedOn : null,
      progress: state.progress
        ? { numerator: state.progress.numerator, denominator: state.progress.denominator, percent: percent(state.progress), reportedOn: state.progress.reportedOn }
        : null,
    })),
    cut: at.answered,
  };
});
