import { dayOf, IsoDate } from '@reform-ledger/calendar';
import { documentRefs, requireDocumentIfGiven } from '../documents/document';
import { calendarDate } from '../shared/calendar';
import { Command, Decider, DomainEvent, recorded, Ref, World } from '../shared/decider';
import { assertNever, DomainError } from '../shared/domain-error';
import { checkRatio, Ratio } from '../shared/ratio';
import { requireActiveUnit } from '../units/unit';
import type { ReformField } from './plan';

export type TaskDefined = DomainEvent<'TaskDefined', {
  planId: string; title: string; field: ReformField; leadUnitId: string; supportingUnitIds?: string[];
  deliverable?: string; dueOn: IsoDate;
}>;
export type TaskReassigned = DomainEvent<'TaskReassigned', { leadUnitId: string; reason?: string }>;
export type TaskDueChanged = DomainEvent<'TaskDueChanged', { dueOn: IsoDate; reason?: string }>;
export type TaskProgressReported = DomainEvent<'TaskProgressReported', { progress: Ratio; note?: string }>;
/** Done on `occurredAt`; `evidenceDocumentId` is the document that shows it (a report, a decision). */
export type TaskCompleted = DomainEvent<'TaskCompleted', { evidenceDocumentId?: string; note?: string }>;
export type TaskReopened = DomainEvent<'TaskReopened', { reason: string }>;
export type TaskCancelled = DomainEvent<'TaskCancelled', { reason: string }>;
export type TaskEvent =
  | TaskDefined | TaskReassigned | TaskDueChanged | TaskProgressReported | TaskCompleted | TaskReopened | TaskCancelled;

/** What a task is, whatever its status; `progress` is the last progress reported, and the day it was reported on. */
type Defined = {
  planId: string; title: string; field: ReformField; leadUnitId: string; supportingUnitIds: string[]; dueOn: IsoDate;
  progress?: Ratio & { reportedOn: IsoDate };
};
export type Task =
  | { status: 'absent' }
  | ({ status: 'open' } & Defined)
  | ({ status: 'done'; completedOn: IsoDate } & Defined)
  | ({ status: 'cancelled'; cancelledOn: IsoDate } & Defined);

const planIdOf = (command: Command<TaskEvent>, state: Task): string | undefined =>
  command.type === 'TaskDefined' ? command.data.planId : state.status === 'absent' ? undefined : state.planId;

/** Tasks change only while open: a second completion needs a reopening first. */
const requireOpen = (state: Task, id: string) => {
  if (state.status === 'done') {
    throw new DomainError('task.already_completed', `Task ${id} was completed on ${state.completedOn}; reopen it first`, undefined,
      { taskId: id, completedOn: state.completedOn });
  }
  if (state.status === 'cancelled') {
    throw new DomainError('task.cancelled', `Task ${id} was cancelled on ${state.cancelledOn}`, undefined, { taskId: id, cancelledOn: state.cancelledOn });
  }
};

/** No task event before its plan is issued, neither in the ledger nor by date. */
const requirePlanIssued = (world: World, planId: string, command: Command<TaskEvent>) => {
  const plan = world.plan(planId);
  if (plan.status === 'absent') {
    throw new DomainError('task.plan_not_issued', `Plan ${planId} has not been issued`, 'data.planId', { planId });
  }
  if (dayOf(command.occurredAt) < plan.issuedOn) {
    throw new DomainError('task.before_plan_issued',
      `${command.type} dated ${dayOf(command.occurredAt)} is before plan ${planId} was issued on ${plan.issuedOn}`, 'occurredAt',
      { type: command.type, day: dayOf(command.occurredAt), planId, issuedOn: plan.issuedOn });
  }
  return plan;
};

export const task: Decider<TaskEvent, Task> = {
  kind: 'task',
  initialState: { status: 'absent' },
  creates: ['TaskDefined'],
  needs: (command, state) => {
    const planId = planIdOf(command, state);
    const refs: Ref[] = planId ? [{ kind: 'plan', id: planId }] : [];
    if (command.type === 'TaskDefined') {
      for (const id of [command.data.leadUnitId, ...(command.data.supportingUnitIds ?? [])]) refs.push({ kind: 'unit', id });
    }
    if (command.type === 'TaskReassigned') refs.push({ kind: 'unit', id: command.data.leadUnitId });
    if (command.type === 'TaskCompleted') refs.push(...documentRefs(command.data.evidenceDocumentId));
    return refs;
  },
  /** The plan's owner manages its tasks; the lead unit also reports progress and completion. */
  writers: (command, state, world) => {
    const planId = planIdOf(command, state);
    const plan = planId ? world.plan(planId) : undefined;
    const owner = plan?.status === 'issued' ? [plan.ownerUnitId] : [];
    const reporting = command.type === 'TaskProgressReported' || command.type === 'TaskCompleted' || command.type === 'TaskReopened';
    return reporting && state.status !== 'absent' ? [...owner, state.leadUnitId] : owner;
  },
  decide: (command, state, world) => {
    const { id } = command;
    const plan = requirePlanIssued(world, planIdOf(command, state)!, command);
    switch (command.type) {
      case 'TaskDefined': {
        requireActiveUnit(world, command.data.leadUnitId, 'data.leadUnitId');
        (command.data.supportingUnitIds ?? []).forEach((unitId, i) => requireActiveUnit(world, unitId, `data.supportingUnitIds[${i}]`));
        if (calendarDate(command.data.dueOn, 'data.dueOn') < plan.issuedOn) {
          throw new DomainError('task.due_before_plan_issued',
            `Due ${command.data.dueOn}, before plan ${plan.title} was issued on ${plan.issuedOn}`, 'data.dueOn',
            { dueOn: command.data.dueOn, planId: planIdOf(command, state), issuedOn: plan.issuedOn });
        }
        return recorded(command);
      }
      case 'TaskReassigned':
        requireOpen(state, id);
        requireActiveUnit(world, command.data.leadUnitId, 'data.leadUnitId');
        if (state.status !== 'absent' && state.leadUnitId === command.data.leadUnitId) {
          throw new DomainError('task.same_lead', `Task ${id} is already led by ${command.data.leadUnitId}`, 'data.leadUnitId',
            { taskId: id, leadUnitId: command.data.leadUnitId });
        }
        return recorded(command);
      case 'TaskDueChanged':
        requireOpen(state, id);
        calendarDate(command.data.dueOn, 'data.dueOn');
        return recorded(command);
      case 'TaskProgressReported':
        requireOpen(state, id);
        checkRatio(command.data.progress, 'data.progress');
        return recorded(command);
      case 'TaskCompleted':
        requireOpen(state, id);
        requireDocumentIfGiven(world, command.data.evidenceDocumentId, 'data.evidenceDocumentId');
        return recorded(command);
      case 'TaskReopened':
        if (state.status !== 'done') {
          throw new DomainError('task.not_completed', `Task ${id} is ${state.status}, not completed`, undefined, { taskId: id, status: state.status });
        }
        return recorded(command);
      case 'TaskCancelled':
        requireOpen(state, id);
        return recorded(command);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    if (event.type === 'TaskDefined') {
      const { planId, title, field, leadUnitId, supportingUnitIds = [], dueOn } = event.data;
      return { status: 'open', planId, title, field, leadUnitId, supportingUnitIds, dueOn };
    }
    if (state.status === 'absent') return state;
    const defined = (): Defined => {
      const { planId, title, field, leadUnitId, supportingUnitIds, dueOn, progress } = state;
      return { planId, title, field, leadUnitId, supportingUnitIds, dueOn, ...(progress && { progress }) };
    };
    switch (event.type) {
      case 'TaskReassigned':
        return { ...state, leadUnitId: event.data.leadUnitId };
      case 'TaskDueChanged':
        return { ...state, dueOn: event.data.dueOn };
      case 'TaskProgressReported':
        return { ...state, progress: { ...event.data.progress, reportedOn: dayOf(event.occurredAt) } };
      case 'TaskCompleted':
        return { status: 'done', ...defined(), completedOn: dayOf(event.occurredAt) };
      case 'TaskReopened':
        return { status: 'open', ...defined() };
      case 'TaskCancelled':
        return { status: 'cancelled', ...defined(), cancelledOn: dayOf(event.occurredAt) };
      default:
        return assertNever(event);
    }
  },
};
