import type { CommandBus } from '@nestjs/cqrs';
import { Author, DECIDERS, RecordKind, streamIdOf, World } from '@reform-ledger/domain';
import type { Actor } from '../auth/api-keys';
import type { Keyed, Recorded } from '../events/command-path';
import { RecordBatch, RecordEvent } from '../events/commands';
import { Submission, validateSubmission } from '../events/validate';
import type { Mark, Marks } from '../marks';
import { invalid, Problem, toProblem } from '../problem';
import { anomalies, phaseOne, phaseTwo, REGISTER_KEEPER } from './daksong-2022/scenario';

export type ScenarioReport = {
  loaded: boolean;
  /** The ledger held the seed already but not its marks (a restored backup: marks are the API's, not the ledger's): marks recovered, nothing recorded. */
  recovered: boolean;
  /** Where phase 1 (what was reported by the 30/11/2022 cut-off) ends: a position and this install's knownAt. */
  phaseOne: Mark;
  head: number;
  anomalies: { anomaly: string; status: number; code: string; expected: boolean; corrected: boolean }[];
};

/** The marks the load leaves: the end of phase 1, and the end of the whole load (which also says it is complete). */
export const PHASE_ONE = 'Đắk Song 2022: hết giai đoạn 1 (đã báo cáo đến 30/11/2022)';
export const LOADED = 'Đắk Song 2022: đã nạp xong (cả báo cáo muộn và đính chính)';

/** The admin key, for what no department may record (units; the district's own plan and its tasks). */
const LOADER: Actor = { keyId: 'scenario-loader', role: 'admin' };
const as = (actor: Actor, correlationId: string) => ({ actor, correlationId, receivedAt: new Date().toISOString() });
const RECORDING_KINDS = ['department', 'commune'];

/**
 * Who records each submission, as in a real year: the first unit the domain's own rules (`writers`) let
 * record it that is a department or a commune, with that unit's own key (demo-dept-<unitId>); an admin
 * for what none may. Follows the submissions as they are recorded, folded by the domain's evolve.
 */
const recorders = () => {
  const states = new Map<string, { status: string }>();
  const stateOf = (kind: RecordKind, id: string): any => states.get(streamIdOf(kind, id)) ?? DECIDERS[kind].initialState;
  const world: World = { unit: (id) => stateOf('unit', id), document: (id) => stateOf('document', id), plan: (id) => stateOf('plan', id) };
  // Asked as the register's keeper, the rules also name who registers the documents of other bodies.
  const keeper: Author = { role: 'department', unitId: REGISTER_KEEPER };
  const records = (unitId: string) => {
    const unit = world.unit(unitId);
    return unit.status === 'active' && RECORDING_KINDS.includes(unit.kind);
  };
  return {
    actorOf: (s: Submission): Actor => {
      const command = { type: s.type, occurredAt: s.occurredAt, data: s.data, id: s.id, receivedAt: new Date().toISOString() };
      const writers = DECIDERS[s.kind].writers(command, stateOf(s.kind, s.id), world, keeper);
      const unitId = writers === 'any' ? undefined : writers.find(records);
      return unitId ? { keyId: `demo-dept-${unitId}`, role: 'department', unitId } : LOADER;
    },
    recorded: (s: Submission) => {
      states.set(streamIdOf(s.kind, s.id), DECIDERS[s.kind].evolve(stateOf(s.kind, s.id), { type: s.type, occurredAt: s.occurredAt, data: s.data }));
    },
  };
};

/** The command bus (or, without an app, anything that executes RecordEvent and RecordBatch). */
export type Commands = Pick<CommandBus, 'execute'>;

/** Validates a submission exactly as the API does; a scenario submission that fails is a bug in the scenario. */
const keyed = (submission: Submission, key: string): Keyed => {
  if (!Object.hasOwn(DECIDERS, submission.kind)) throw new Error(`Unknown kind ${submission.kind}`);
  const validated = validateSubmission(submission.kind, submission.id, { type: submission.type, occurredAt: submission.occurredAt, data: submission.data });
  if (validated.errors) throw invalid(validated.errors, { params: { entry: key } });
  return { ...validated.submission, idempotencyKey: key };
};

/**
 * Records submissions in all-or-nothing batches, each of consecutive submissions by one recorder (at
 * most 1,000); returns the last write (its position and when it was recorded).
 */
const inBatches = async (commands: Commands, by: ReturnType<typeof recorders>, submissions: Submission[], phase: string): Promise<Recorded> => {
  const batches: { actor: Actor; items: Keyed[] }[] = [];
  submissions.forEach((submission, i) => {
    const actor = by.actorOf(submission);
    by.recorded(submission);
    const current = batches.at(-1);
    const item = keyed(submission, `daksong-2022:${phase}:${i}`);
    if (current && current.actor.keyId === actor.keyId && current.items.length < 1000) current.items.push(item);
    else batches.push({ actor, items: [item] });
  });
  let last: Recorded | undefined;
  for (const { actor, items } of batches) {
    for (const recorded of await commands.execute(new RecordBatch(items, as(actor, `daksong-2022:${phase}`)))) {
      if (!last || recorded.globalPosition > last.globalPosition) last = recorded;
    }
  }
  return last!;
};
const markOf = (label: string, recorded: Recorded): Mark => ({ label, position: recorded.globalPosition, knownAt: recorded.recordedAt });

/**
 * Loads the seed district through the same validation and command path as the API, in two phases
 * (what was reported by the 30/11/2022 cut-off, then late entries and corrections), with the
 * report's mistakes entered as reported in between. recordedAt is the ledger's own time; the end of
 * phase 1 is kept as a mark. Skipped when the load has finished before. Every write carries an
 * idempotency key, so a load that was interrupted (or made before marks existed) resumes and only
 * fills in its marks: nothing is recorded twice.
 */
export const loadScenario = async (commands: Commands, marks: Pick<Marks, 'list' | 'put'>,
  { log = () => undefined, ledgerHead = 0 }: { log?: (line: string) => void; ledgerHead?: number } = {}): Promise<ScenarioReport> => {
  const known = await marks.list();
  const done = known.find((m) => m.label === LOADED);
  const phaseOneMark = known.find((m) => m.label === PHASE_ONE);
  if (done && phaseOneMark) return { loaded: false, recovered: false, phaseOne: phaseOneMark, head: done.position, anomalies: [] };
  const by = recorders();
  const phaseOneEnd = markOf(PHASE_ONE, await inBatches(commands, by, phaseOne(), 'phase-1'));
  await marks.put(phaseOneEnd);
  // Phase 1 answered from below the head the ledger had before this load: every write was a replay, so the
  // seed was in the ledger already (a restore). Its mistakes are not entered again (against a later state they
  // would be refused for other reasons); the corrections and phase 2 replay too, and only the marks are new.
  const recovered = ledgerHead > 0 && phaseOneEnd.position <= ledgerHead;
  log(recovered ? `  seed district found in the ledger (restored?): phase 1 ends at position ${phaseOneEnd.position}; nothing recorded again`
    : `  phase 1 (reported by 30/11/2022) recorded up to position ${phaseOneEnd.position}`);
  const results: ScenarioReport['anomalies'] = [];
  for (const [i, a] of anomalies().entries()) {
    const correct = async () => {
      if (!a.correction) return;
      await commands.execute(new RecordEvent(keyed(a.correction, `daksong-2022:correction:${i}`), as(by.actorOf(a.correction), `daksong-2022:${a.anomaly}`)));
      by.recorded(a.correction);
    };
    if (recovered) {
      await correct(); // a replay; who recorded it still decides who records what follows
      continue;
    }
    let refused: Problem;
    try {
      await commands.execute(new RecordEvent(keyed(a.wrong, `daksong-2022:anomaly:${i}`), as(by.actorOf(a.wrong), `daksong-2022:${a.anomaly}`)));
      refused = new Problem(201, 'accepted');
    } catch (error) {
      refused = toProblem(error);
    }
    await correct();
    results.push({ anomaly: a.anomaly, status: refused.status, code: refused.code, expected: refused.status === a.expect.status && refused.code === a.expect.code, corrected: a.correction !== null });
    log(`  ${a.anomaly}: refused ${refused.status} ${refused.code}${a.correction ? ', then corrected' : ''}`);
  }
  const end = markOf(LOADED, await inBatches(commands, by, phaseTwo(), 'phase-2'));
  await marks.put(end);
  // A mark never moves: an earlier, interrupted load's marks stand.
  const stored = await marks.list();
  return { loaded: !recovered, recovered, phaseOne: stored.find((m) => m.label === PHASE_ONE)!, head: end.position, anomalies: results };
};
