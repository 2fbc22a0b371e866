import { document } from '../documents/document';
import { plan } from '../plans/plan';
import { Author, authorise, decideCommand, Decider, DomainEvent, fold, World } from '../shared/decider';
import { normaliseDeep } from '../shared/text';
import { unit } from '../units/unit';
import { documentRegistered, DOCUMENTS, planIssued, RECEIVED_AT, UNITS, unitDissolved, unitMerged, unitRegistered } from '../examples';

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
    ...Object.fromEntries(Object.values(UNITS).map((id) => [id, [unitRegistered({ name: id, ...(id === UNITS.office && { keepsRegister: true }) })]])),
    'phong-giao-duc-cu': [unitRegistered({ name: 'Phòng Giáo dục (cũ)' }), unitDissolved()],
    // Merged into Phòng Nội vụ on 01/07/2025: its work passes on.
    'phong-lao-dong': [unitRegistered({ name: 'Phòng Lao động – Thương binh và Xã hội' }), unitMerged({ intoUnitId: UNITS.homeAffairs })],
  },
  documents: Object.fromEntries(Object.values(DOCUMENTS).map((id) => [id, [documentRegistered()]])),
  plans: { 'cchc-2022': [planIssued()] },
};
export const seedWorld = worldOf(seedHistories);

/** A department's author, by its unit id; or any author as given. */
const authorOf = (author: Author | string): Author => (typeof author === 'string' ? { role: 'department', unitId: author } : author);

/**
 * Given/when/then for a decider:
 *   given([planIssued()]).when(taskCompleted()).then([taskCompleted()])
 *   given([]).when(taskCompleted()).thenRejects('task.not_found')
 * and who may record it (a unit id stands for that unit's department):
 *   given([taskDefined()]).when(taskCompleted()).by(UNITS.homeAffairs).allowed()
 *   given([taskDefined()]).when(taskCompleted()).by(UNITS.justice).refused('auth.not_your_record')
 *   given([]).when(documentRegistered()).by(UNITS.office).then([...])   (decided with the author)
 * `when` takes the proposed fact; the record id defaults to the spec's, the moment the ledger
 * receives the command to RECEIVED_AT (27/11/2026 10:00 in Vietnam).
 */
export const specFor = <E extends DomainEvent, S extends { status: string }>(
  decider: Decider<E, S>, options: { id: string; world?: World },
) => ({
  given: (history: E[], world: World = options.world ?? seedWorld) => ({
    when: (command: E, id: string = options.id, receivedAt: string = RECEIVED_AT) => {
      const state = () => fold(decider, history);
      const outcome = (author?: Author) => {
        const run = () => decideCommand(decider, normaliseDeep({ ...command, id, receivedAt, ...(author && { author }) }), state(), world);
        return {
          then: (expected: E[]) => expect(run()).toEqual(expected),
          thenRejects: (code: string, field?: string) =>
            expect(run).toThrow(expect.objectContaining({ code, ...(field && { field }) })),
        };
      };
      return {
        ...outcome(),
        by: (author: Author | string) => {
          const check = () => authorise(decider, normaliseDeep({ ...command, id, receivedAt }), state(), world, authorOf(author));
          return {
            ...outcome(authorOf(author)),
            allowed: () => expect(check).not.toThrow(),
            refused: (code: string) => expect(check).toThrow(expect.objectContaining({ code })),
          };
        },
      };
    },
  }),
});
