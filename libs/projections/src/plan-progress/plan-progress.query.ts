import { addDays, daysBetween, IsoDate, startOfDay } from '@reform-ledger/calendar';
import { percent, Plan, REFORM_FIELDS, ReformField, Task } from '@reform-ledger/domain';
import { At, defineQuery, UnitFilter } from '../reader';
import { stateBefore } from '../temporal-store';
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

/** The counts of progress on a day: cancelled tasks left out; overdue means open past its due day. */
const countTasks = (tasks: Defined[], day: IsoDate) => {
  const counted = tasks.filter((t) => t.status !== 'cancelled');
  const completed = counted.filter((t): t is Done => t.status === 'done');
  const open = counted.filter((t) => t.status === 'open');
  const overdue = open.filter((t) => t.dueOn < day).length;
  return {
    counted, open,
    total: counted.length,
    completed: completed.length,
    completedOnTime: completed.filter((t) => t.completedOn <= t.dueOn).length,
    overdue,
    inProgress: open.length - overdue,
  };
};

/**
 * Plan progress: total, completed (on time: on or before the due day), overdue (open past its due day
 * at the cut's day), in progress, open tasks with a progress report, by field and by lead unit.
 */
export const progressQuery = defineQuery([planProgressView], async (at, planId: string, filter: UnitFilter = {}) => {
  const found = await planTasks(at, planId, filter);
  if (!found) return null;
  const { counted, open, ...counts } = countTasks(found.tasks.map((t) => t.state), at.day);
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
    ...counts,
    withProgressReport: open.filter((t) => t.progress !== undefined).length,
    completionRate: rate(counts.completed, counts.total),
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
      taskId: entity, title: state.title, field: state.field, fieldName: REFORM_FIELDS[state.field as ReformField], status: state.status, leadUnitId: state.leadUnitId,
      supportingUnitIds: state.supportingUnitIds, dueOn: state.dueOn, completedOn: state.status === 'done' ? state.completedOn : null,
      progress: state.progress
        ? { numerator: state.progress.numerator, denominator: state.progress.denominator, percent: percent(state.progress), reportedOn: state.progress.reportedOn }
        : null,
    })),
    cut: at.answered,
  };
});

export const SERIES_STEPS = ['day', 'week', 'month'] as const;
export type SeriesStep = (typeof SERIES_STEPS)[number];
export type SeriesRange = { from: IsoDate; to: IsoDate; step: SeriesStep };
/** The most points one series answers. */
export const MAX_SERIES_POINTS = 1000;

/** The days of a series: from, then every step after it, up to and including to (always the last point). */
export const seriesDays = ({ from, to, step }: SeriesRange): IsoDate[] => {
  const days: IsoDate[] = [];
  for (let i = 0; days.length <= MAX_SERIES_POINTS; i++) {
    let day: IsoDate;
    if (step === 'month') {
      const [y, m, d] = from.split('-').map(Number);
      const month = new Date(Date.UTC(y, m - 1 + i, 1));
      const last = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)).getUTCDate();
      day = `${month.toISOString().slice(0, 8)}${String(Math.min(d, last)).padStart(2, '0')}`;
    } else day = addDays(from, i * (step === 'week' ? 7 : 1));
    if (day > to) break;
    days.push(day);
  }
  if (days.at(-1) !== to && daysBetween(from, to) >= 0) days.push(to);
  return days;
};

/**
 * Plan progress at a series of days (valid time), all as known at the cut's position: the burn-up.
 * from and to default to the plan's year. One read of the plan's task histories, then each day's counts in memory — as progressQuery counts them.
 */
export const seriesQuery = defineQuery([planProgressView], async (at, planId: string, asked: Partial<SeriesRange>, filter: UnitFilter = {}) => {
  const plan = await at.one<Plan>(planProgressView, 'plan', planId);
  if (!plan || plan.status === 'absent') return null;
  const range: SeriesRange = { from: asked.from ?? `${plan.year}-01-01`, to: asked.to ?? `${plan.year}-12-31`, step: asked.step ?? 'week' };
  const histories = await at.histories<Task>(planProgressView, 'task', planId);
  const points = seriesDays(range).map((day) => {
    const until = Date.parse(startOfDay(addDays(day, 1)));
    const tasks = histories.flatMap((h) => {
      const state = stateBefore(h, until);
      return state && state.status !== 'absent' && (filter.unitId === undefined || state.leadUnitId === filter.unitId) ? [state] : [];
    });
    const { counted: _c, open: _o, ...counts } = countTasks(tasks, day);
    return { asOf: day, ...counts };
  });
  return { planId, unitId: filter.unitId ?? null, step: range.step, points, cut: at.answered };
});
