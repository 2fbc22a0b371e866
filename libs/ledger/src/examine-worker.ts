import { parentPort, workerData } from 'node:worker_threads';
import { examineLines } from './examine';
import { PublicKeys, PublicKeyRecord } from './keys';

// A worker thread of ExaminePool (verify-pool.ts): examines each batch of bundle lines it is sent, in order.
const { keys: records } = workerData as { keys?: PublicKeyRecord[] };
const keys = records && new PublicKeys(records);
parentPort!.on('message', (lines: Uint8Array) => {
  const examined = examineLines(lines, keys);
  parentPort!.postMessage(examined, [examined.leaves.buffer as ArrayBuffer]);
});
