import { document } from '../documents/document';
import { plan } from '../plans/plan';
import { decideCommand, Decider, DomainEvent, fold, World } from '../shared/decider';
import { normaliseDeep } from '../shared/text';
import { unit } from '../units/unit';
import { documentRegistered, DOCUMENTS, planIssued, RECEIVED_AT, UNITS, unitDissolved, unitRegistered } from '../examples';

export * from '../examples';

type Histories = { units?: Record<string, DomainEvent[]>; documents?: Record<string, DomainEvent[]>; plans?: Record<string, DomainEvent[]> };

/** A world of other records, each given by its history. */
export const worldOf = ({ units = {}, documents = {}, plans = {} }: Histories): World => ({
  unit: (id) => fold(unit, units[id] ?? []),
  document: (id) => fold(document, documents[id] ?? []),
  plan: (id) => fold(plan, plans[id] ?? []),
});

/** The seed district as most specs need it: its units, plan 'cchc-2022' issued on 2022-01-10, cited documents. */
export const seedHistories: Required<Histories> = {
  units: {
    ...Object.fromEntries(Object.values(UNITS).map((id) => [id, [unitRegistered({ name: id })]])),
    'phong-giao-duc-cu': [unitRegistered({ name: 'Phòng Giáo dục (cũ)' }), unitDissolved()],
  },
  documents: Object.fromEntries(Object.values(DOCUMENTS).map((id) => [id, [documentRegistered()]])),
  plans: { 'cchc-2022': [planIssued()] },
};
export const seedWorld = worldOf(seedHistories);

/**
 * Given/when/then for a decider:
 *   given([planIssued()]).when(taskCompleted()).then([taskCompleted()])
 *   given([]).when(taskCompleted()).thenRejects('task.not_found')
 * `when` takes the proposed fact; the record id defaults to the spec's, the moment the ledger
 * receives the command to RECEIVED_AT (27/11/2026 10:00 in Vietnam).
 */
export const specFor = <E extends DomainEvent, S extends { status: string }>(
  decider: Decider<E, S>, options: { id: string; world?: World },
) => ({
  given: (history: E[], world: World = options.world ?? seedWorld) => ({
    when: (command: E, id: string = options.id, receivedAt: string = RECEIVED_AT) => {
      const run = () => decideCommand(decider, normaliseDeep({ ...command, id, receivedAt }), fold(decider, history), world);
      return {
        then: (expected: E[]) => expect(run()).toEqual(expected),
        thenRejects: (code: string, field?: string) =>
          expect(run).toThrow(expect.objectContaining({ code, ...(field && { field }) })),
      };
    },
  }),
});
