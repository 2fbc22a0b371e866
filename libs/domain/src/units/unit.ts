import { dayOf, IsoDate } from '@reform-ledger/calendar';
import { Decider, DomainEvent, recorded, World } from '../shared/decider';
import { assertNever, DomainError } from '../shared/domain-error';

export const UNIT_KINDS = [
  'province', 'central', 'district', 'department', 'commune', 'school', 'public_service_unit',
  'party_committee', 'mass_organisation', 'inspection_team', 'other',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/**
 * `keepsRegister`: the unit keeps the register of incoming documents (sổ đăng ký văn bản đến; the Văn
 * phòng HĐND và UBND of a district), so its department registers documents other bodies issued.
 */
export type UnitRegistered = DomainEvent<'UnitRegistered', {
  name: string; kind: UnitKind; parentUnitId?: string; aliases?: string[]; keepsRegister?: boolean;
}>;
/** The old name stays known as an alias. */
export type UnitRenamed = DomainEvent<'UnitRenamed', { name: string; reason?: string }>;
/** Another spelling of the same unit (Đắk/Đăk Song), so searches and imports find it. */
export type UnitAliasAdded = DomainEvent<'UnitAliasAdded', { alias: string }>;
/** The unit's work and records pass to `intoUnitId` (e.g. the 2025 merger of administrative levels). */
export type UnitMerged = DomainEvent<'UnitMerged', { intoUnitId: string; reason?: string }>;
export type UnitDissolved = DomainEvent<'UnitDissolved', { reason?: string }>;
export type UnitEvent = UnitRegistered | UnitRenamed | UnitAliasAdded | UnitMerged | UnitDissolved;

export type Unit =
  | { status: 'absent' }
  | { status: 'active'; name: string; kind: UnitKind; aliases: string[]; parentUnitId?: string; keepsRegister?: true }
  | { status: 'merged'; name: string; kind: UnitKind; intoUnitId: string; since: IsoDate }
  | { status: 'dissolved'; name: string; kind: UnitKind; since: IsoDate };

/** Refuses a reference to a unit that is not registered, or no longer active, on the day of the event. */
export const requireActiveUnit = (world: World, unitId: string, field: string): void => {
  const unit = world.unit(unitId);
  if (unit.status === 'absent') {
    throw new DomainError('unit.not_registered', `Unit ${unitId} is not registered`, field, { unitId });
  }
  if (unit.status !== 'active') {
    throw new DomainError('unit.not_active', `Unit ${unitId} (${unit.name}) was ${unit.status} on ${unit.since}`, field,
      { unitId, name: unit.name, status: unit.status, since: unit.since, ...(unit.status === 'merged' && { intoUnitId: unit.intoUnitId }) });
  }
};

const active = (state: Unit, id: string) => {
  if (state.status !== 'active') {
    throw new DomainError('unit.not_active', `Unit ${id} is ${state.status}; only an active unit changes`, undefined,
      { unitId: id, status: state.status, ...((state.status === 'merged' || state.status === 'dissolved') && { name: state.name, since: state.since }) });
  }
  return state;
};

export const unit: Decider<UnitEvent, Unit> = {
  kind: 'unit',
  initialState: { status: 'absent' },
  creates: ['UnitRegistered'],
  needs: (command) => {
    if (command.type === 'UnitRegistered' && command.data.parentUnitId) return [{ kind: 'unit', id: command.data.parentUnitId }];
    if (command.type === 'UnitMerged') return [{ kind: 'unit', id: command.data.intoUnitId }];
    return [];
  },
  /** Units are registered, renamed, merged and dissolved by an admin only. */
  writers: () => [],
  decide: (command, state, world) => {
    const { id } = command;
    switch (command.type) {
      case 'UnitRegistered':
        if (command.data.parentUnitId) requireActiveUnit(world, command.data.parentUnitId, 'data.parentUnitId');
        return recorded(command);
      case 'UnitRenamed':
        if (active(state, id).name === command.data.name) {
          throw new DomainError('unit.same_name', `Unit ${id} is already named ${command.data.name}`, 'data.name', { unitId: id, name: command.data.name });
        }
        return recorded(command);
      case 'UnitAliasAdded': {
        const current = active(state, id);
        if (current.name === command.data.alias || current.aliases.includes(command.data.alias)) {
          throw new DomainError('unit.alias_exists', `Unit ${id} is already known as ${command.data.alias}`, 'data.alias', { unitId: id, alias: command.data.alias });
        }
        return recorded(command);
      }
      case 'UnitMerged':
        active(state, id);
        if (command.data.intoUnitId === id) {
          throw new DomainError('unit.merge_into_self', `Unit ${id} cannot be merged into itself`, 'data.intoUnitId', { unitId: id });
        }
        requireActiveUnit(world, command.data.intoUnitId, 'data.intoUnitId');
        return recorded(command);
      case 'UnitDissolved':
        active(state, id);
        return recorded(command);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'UnitRegistered':
        return { status: 'active', name: event.data.name, kind: event.data.kind, aliases: event.data.aliases ?? [],
          ...(event.data.parentUnitId && { parentUnitId: event.data.parentUnitId }), ...(event.data.keepsRegister && { keepsRegister: true as const }) };
      case 'UnitRenamed':
        return state.status === 'active'
          ? { ...state, name: event.data.name, aliases: [...state.aliases, state.name] }
          : state;
      case 'UnitAliasAdded':
        return state.status === 'active' ? { ...state, aliases: [...state.aliases, event.data.alias] } : state;
      case 'UnitMerged':
        return state.status === 'absent' ? state
          : { status: 'merged', name: state.name, kind: state.kind, intoUnitId: event.data.intoUnitId, since: dayOf(event.occurredAt) };
      case 'UnitDissolved':
        return state.status === 'absent' ? state
          : { status: 'dissolved', name: state.name, kind: state.kind, since: dayOf(event.occurredAt) };
      default:
        return assertNever(event);
    }
  },
};
