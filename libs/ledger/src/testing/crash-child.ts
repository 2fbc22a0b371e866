/**
 * Appends batches of three events in a loop and prints "ack <streamId> <lastPosition>" after each
 * acknowledged append. The contract suite kills it with SIGKILL and checks every ack survived.
 */
import { Ledger } from '../ledger';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.CRASH_DATABASE_URL, max: 4 });
const ledger = new Ledger(pool);

const writer = async (w: number) => {
  for (let i = 0; ; i++) {
    const streamId = `crash-${w}-${i % 7}`;
    const events = [0, 1, 2].map((k) => ({ type: 'Appended', data: { w, i, k }, occurredAt: '2022-11-30' }));
    const r = await ledger.append(streamId, events, { idempotencyKey: `w${w}-i${i}` });
    process.stdout.write(`ack ${streamId} ${r.lastPosition} ${r.eventIds.join(',')}\n`);
  }
};

Promise.all([0, 1, 2, 3].map(writer)).catch((error) => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
