import { dayOf, IsoDate } from '@reform-ledger/calendar';
import { documentRefs, requireDocumentIfGiven } from '../documents/document';
import { calendarDate } from '../shared/calendar';
import { Command, Decider, DomainEvent, recorded, Ref } from '../shared/decider';
import { assertNever, DomainError } from '../shared/domain-error';
import { requireActiveUnit } from '../units/unit';

/** An inspection (đợt kiểm tra) led by `leadUnitId`, of `targetUnitIds`, between periodFrom and periodTo. */
export type InspectionPlanned = DomainEvent<'InspectionPlanned', {
  title: string; leadUnitId: string; targetUnitIds: string[]; periodFrom: IsoDate; periodTo: IsoDate; documentId?: string;
}>;
/**
 * The inspection's team: the units whose officers are on it (`memberUnitIds`) record visits and findings
 * with the lead. Schema version 2; a version-1 team listed no units and is read with `memberUnitIds: []`.
 */
export type InspectionTeamFormed = DomainEvent<'InspectionTeamFormed', { documentId?: string; memberCount?: number; memberUnitIds: string[] }>;
/** A visit to a unit on `occurredAt`. */
export type UnitInspected = DomainEvent<'UnitInspected', { unitId: string; findings?: string }>;
export type FindingRecorded = DomainEvent<'FindingRecorded', { unitId: string; finding: string; requiresAction: boolean }>;
/** The inspection's conclusion, usually a report or a notice (399/BC-ĐKT, 02/TB-TP). */
export type InspectionConcluded = DomainEvent<'InspectionConcluded', { reportDocumentId?: string; summary?: string }>;
export type InspectionEvent = InspectionPlanned | InspectionTeamFormed | UnitInspected | FindingRecorded | InspectionConcluded;

type Planned = { title: string; leadUnitId: string; targetUnitIds: string[]; periodFrom: IsoDate; periodTo: IsoDate; memberUnitIds: string[] };
/** Planned until the first visit, in progress from it until the conclusion. */
export type Inspection =
  | { status: 'absent' }
  | ({ status: 'planned' | 'in_progress'; teamFormed: boolean; visited: string[] } & Planned)
  | ({ status: 'concluded'; visited: string[]; concludedOn: IsoDate } & Planned);

const unitOf = (command: Command<InspectionEvent>): string | undefined =>
  command.type === 'UnitInspected' || command.type === 'FindingRecorded' ? command.data.unitId : undefined;

export const inspection: Decider<InspectionEvent, Inspection> = {
  kind: 'inspection',
  initialState: { status: 'absent' },
  creates: ['InspectionPlanned'],
  needs: (command) => {
    const refs: Ref[] = [];
    if (command.type === 'InspectionPlanned') {
      for (const id of [command.data.leadUnitId, ...command.data.targetUnitIds]) refs.push({ kind: 'unit', id });
    }
    const unitId = unitOf(command);
    if (unitId) refs.push({ kind: 'unit', id: unitId });
    if (command.type === 'InspectionTeamFormed') for (const id of command.data.memberUnitIds) refs.push({ kind: 'unit', id });
    if (command.type === 'InspectionPlanned' || command.type === 'InspectionTeamFormed') refs.push(...documentRefs(command.data.documentId));
    if (command.type === 'InspectionConcluded') refs.push(...documentRefs(command.data.reportDocumentId));
    return refs;
  },
  /** The lead unit keeps the inspection; a visit or a finding is recorded by the lead or a unit on the team. */
  writers: (command, state) => {
    if (command.type === 'InspectionPlanned') return [command.data.leadUnitId];
    if (state.status === 'absent') return [];
    return unitOf(command) ? [state.leadUnitId, ...state.memberUnitIds] : [state.leadUnitId];
  },
  decide: (command, state, world) => {
    const { id } = command;
    if (state.status === 'concluded') {
      throw new DomainError('inspection.already_concluded', `Inspection ${id} was concluded on ${state.concludedOn}`, undefined,
        { inspectionId: id, concludedOn: state.concludedOn });
    }
    switch (command.type) {
      case 'InspectionPlanned': {
        const { leadUnitId, targetUnitIds, periodFrom, periodTo, documentId } = command.data;
        requireActiveUnit(world, leadUnitId, 'data.leadUnitId');
        targetUnitIds.forEach((unitId, i) => requireActiveUnit(world, unitId, `data.targetUnitIds[${i}]`));
        if (calendarDate(periodFrom, 'data.periodFrom') > calendarDate(periodTo, 'data.periodTo')) {
          throw new DomainError('inspection.period_invalid', `The period ends (${periodTo}) before it starts (${periodFrom})`, 'data.periodTo', { periodFrom, periodTo });
        }
        requireDocumentIfGiven(world, documentId, 'data.documentId');
        return recorded(command);
      }
      case 'InspectionTeamFormed':
        command.data.memberUnitIds.forEach((unitId, i) => requireActiveUnit(world, unitId, `data.memberUnitIds[${i}]`));
        requireDocumentIfGiven(world, command.data.documentId, 'data.documentId');
        return recorded(command);
      case 'UnitInspected': {
        requireActiveUnit(world, command.data.unitId, 'data.unitId');
        const day = dayOf(command.occurredAt);
        if (state.status !== 'absent' && (day < state.periodFrom || day > state.periodTo)) {
          throw new DomainError('inspection.visit_outside_period',
            `A visit on ${day} is outside the inspection's period ${state.periodFrom} – ${state.periodTo}`, 'occurredAt',
            { day, periodFrom: state.periodFrom, periodTo: state.periodTo });
        }
        return recorded(command);
      }
      case 'FindingRecorded':
        if (state.status !== 'absent' && !state.visited.includes(command.data.unitId)) {
          throw new DomainError('inspection.unit_not_visited', `Unit ${command.data.unitId} has not been visited by inspection ${id}`, 'data.unitId',
            { inspectionId: id, unitId: command.data.unitId });
        }
        return recorded(command);
      case 'InspectionConcluded':
        requireDocumentIfGiven(world, command.data.reportDocumentId, 'data.reportDocumentId');
        return recorded(command);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    if (event.type === 'InspectionPlanned') {
      const { title, leadUnitId, targetUnitIds, periodFrom, periodTo } = event.data;
      return { status: 'planned', title, leadUnitId, targetUnitIds, periodFrom, periodTo, memberUnitIds: [], teamFormed: false, visited: [] };
    }
    if (state.status !== 'planned' && state.status !== 'in_progress') return state;
    switch (event.type) {
      case 'InspectionTeamFormed':
        return { ...state, teamFormed: true, memberUnitIds: event.data.memberUnitIds ?? [] };
      case 'UnitInspected':
        return { ...state, status: 'in_progress', visited: state.visited.includes(event.data.unitId) ? state.visited : [...state.visited, event.data.unitId] };
      case 'FindingRecorded':
        return state;
      case 'InspectionConcluded': {
        const { teamFormed: _teamFormed, ...rest } = state;
        return { ...rest, status: 'concluded', concludedOn: dayOf(event.occurredAt) };
      }
      default:
        return assertNever(event);
    }
  },
};
