import { DECIDERS, RecordKind } from '@reform-ledger/domain';
import { Ledger } from '@reform-ledger/ledger';
import type { Actor } from '../auth/api-keys';
import { recordBatch, recordOne, Write } from '../events/command-path';
import { validateSubmission } from '../events/validate';
import { Problem, toProblem } from '../problem';
import { anomalies, Entry, phaseOne, phaseTwo } from './daksong-2022/scenario';

export type ScenarioReport = {
  loaded: boolean;
  phaseOneEnd: number;
  head: number;
  anomalies: { anomaly: string; status: number; code: string; expected: boolean; corrected: boolean }[];
};

const LOADER: Actor = { keyId: 'scenario-loader', role: 'admin' };
const MARKER = 'unit:ubnd-dak-song';

/** Validates an entry exactly as the API does; a scenario entry that fails is a bug in the scenario. */
const toWrite = (entry: Entry, key: string): Write => {
  if (!Object.hasOwn(DECIDERS, entry.kind)) throw new Error(`Unknown kind ${entry.kind}`);
  const validated = validateSubmission(entry.kind as RecordKind, entry.id, { type: entry.type, occurredAt: entry.occurredAt, data: entry.data });
  if (validated.errors) throw new Problem(400, 'request.invalid', `Scenario entry ${key} is invalid`, validated.errors);
  return { ...validated.submission, idempotencyKey: key };
};

/** Records entries in all-or-nothing batches; returns the last position written. */
const inBatches = async (ledger: Ledger, entries: Entry[], phase: string) => {
  let last = 0;
  for (let i = 0; i < entries.length; i += 1000) {
    const writes = entries.slice(i, i + 1000).map((entry, j) => toWrite(entry, `daksong-2022:${phase}:${i + j}`));
    const recorded = await recordBatch(ledger, writes, { actor: LOADER, correlationId: `daksong-2022:${phase}` });
    last = Math.max(last, ...recorded.map((r) => r.globalPosition));
  }
  return last;
};

/**
 * Loads the seed district through the same validation and command path as the API, in two phases
 * (what was reported by the 30/11/2022 cut-off, then late entries and corrections), with the
 * report's mistakes entered as reported in between. recordedAt is the ledger's own time. Skipped
 * when the district is already there.
 */
export const loadScenario = async (ledger: Ledger, log: (line: string) => void = () => undefined): Promise<ScenarioReport> => {
  if ((await ledger.streamVersion(MARKER)) > 0) return { loaded: false, phaseOneEnd: 0, head: await ledger.headPosition(), anomalies: [] };
  // The last position written, not the gap-free head: that can trail while the projector commits.
  const phaseOneEnd = await inBatches(ledger, phaseOne(), 'phase-1');
  log(`  phase 1 (reported by 30/11/2022) recorded up to position ${phaseOneEnd}`);
  const results: ScenarioReport['anomalies'] = [];
  for (const [i, a] of anomalies().entries()) {
    let refused: Problem;
    try {
      await recordOne(ledger, toWrite(a.wrong, `daksong-2022:anomaly:${i}`), { actor: LOADER, correlationId: `daksong-2022:${a.anomaly}` });
      refused = new Problem(201, 'accepted', 'accepted');
    } catch (error) {
      refused = toProblem(error);
    }
    const expected = refused.status === a.expect.status && refused.code === a.expect.code;
    if (a.correction) {
      await recordOne(ledger, toWrite(a.correction, `daksong-2022:correction:${i}`), { actor: LOADER, correlationId: `daksong-2022:${a.anomaly}` });
    }
    results.push({ anomaly: a.anomaly, status: refused.status, code: refused.code, expected, corrected: a.correction !== null });
    log(`  ${a.anomaly}: refused ${refused.status} ${refused.code}${a.correction ? ', then corrected' : ''}`);
  }
  const head = await inBatches(ledger, phaseTwo(), 'phase-2');
  return { loaded: true, phaseOneEnd, head, anomalies: results };
};
