import type { CommandBus } from '@nestjs/cqrs';
import { DECIDERS } from '@reform-ledger/domain';
import type { Actor } from '../auth/api-keys';
import type { Keyed, Recorded } from '../events/command-path';
import { RecordBatch, RecordEvent } from '../events/commands';
import { Submission, validateSubmission } from '../events/validate';
import type { Mark, Marks } from '../marks';
import { invalid, Problem, toProblem } from '../problem';
import { anomalies, phaseOne, phaseTwo } from './daksong-2022/scenario';

export type ScenarioReport = {
  loaded: boolean;
  /** Where phase 1 (what was reported by the 30/11/2022 cut-off) ends: a position and this install's knownAt. */
  phaseOne: Mark;
  head: number;
  anomalies: { anomaly: string; status: number; code: string; expected: boolean; corrected: boolean }[];
};

/** The marks the load leaves: the end of phase 1, and the end of the whole load (which also says it is complete). */
export const PHASE_ONE = 'Đắk Song 2022: hết giai đoạn 1 (đã báo cáo đến 30/11/2022)';
export const LOADED = 'Đắk Song 2022: đã nạp xong (cả báo cáo muộn và đính chính)';

const LOADER: Actor = { keyId: 'scenario-loader', role: 'admin' };
const as = (correlationId: string) => ({ actor: LOADER, correlationId, receivedAt: new Date().toISOString() });

/** The command bus (or, without an app, anything that executes RecordEvent and RecordBatch). */
export type Commands = Pick<CommandBus, 'execute'>;

/** Validates a submission exactly as the API does; a scenario submission that fails is a bug in the scenario. */
const keyed = (submission: Submission, key: string): Keyed => {
  if (!Object.hasOwn(DECIDERS, submission.kind)) throw new Error(`Unknown kind ${submission.kind}`);
  const validated = validateSubmission(submission.kind, submission.id, { type: submission.type, occurredAt: submission.occurredAt, data: submission.data });
  if (validated.errors) throw invalid(validated.errors, { params: { entry: key } });
  return { ...validated.submission, idempotencyKey: key };
};

/** Records submissions in all-or-nothing batches; returns the last write (its position and when it was recorded). */
const inBatches = async (commands: Commands, submissions: Submission[], phase: string): Promise<Recorded> => {
  let last: Recorded | undefined;
  for (let i = 0; i < submissions.length; i += 1000) {
    const batch = submissions.slice(i, i + 1000).map((submission, j) => keyed(submission, `daksong-2022:${phase}:${i + j}`));
    for (const recorded of await commands.execute(new RecordBatch(batch, as(`daksong-2022:${phase}`)))) {
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
export const loadScenario = async (commands: Commands, marks: Pick<Marks, 'list' | 'put'>, log: (line: string) => void = () => undefined): Promise<ScenarioReport> => {
  const known = await marks.list();
  const done = known.find((m) => m.label === LOADED);
  const phaseOneMark = known.find((m) => m.label === PHASE_ONE);
  if (done && phaseOneMark) return { loaded: false, phaseOne: phaseOneMark, head: done.position, anomalies: [] };
  const phaseOneEnd = markOf(PHASE_ONE, await inBatches(commands, phaseOne(), 'phase-1'));
  await marks.put(phaseOneEnd);
  log(`  phase 1 (reported by 30/11/2022) recorded up to position ${phaseOneEnd.position}`);
  const results: ScenarioReport['anomalies'] = [];
  for (const [i, a] of anomalies().entries()) {
    let refused: Problem;
    try {
      await commands.execute(new RecordEvent(keyed(a.wrong, `daksong-2022:anomaly:${i}`), as(`daksong-2022:${a.anomaly}`)));
      refused = new Problem(201, 'accepted');
    } catch (error) {
      refused = toProblem(error);
    }
    const expected = refused.status === a.expect.status && refused.code === a.expect.code;
    if (a.correction) {
      await commands.execute(new RecordEvent(keyed(a.correction, `daksong-2022:correction:${i}`), as(`daksong-2022:${a.anomaly}`)));
    }
    results.push({ anomaly: a.anomaly, status: refused.status, code: refused.code, expected, corrected: a.correction !== null });
    log(`  ${a.anomaly}: refused ${refused.status} ${refused.code}${a.correction ? ', then corrected' : ''}`);
  }
  const end = markOf(LOADED, await inBatches(commands, phaseTwo(), 'phase-2'));
  await marks.put(end);
  // A mark never moves: an earlier, interrupted load's marks stand.
  const stored = await marks.list();
  return { loaded: true, phaseOne: stored.find((m) => m.label === PHASE_ONE)!, head: end.position, anomalies: results };
};
