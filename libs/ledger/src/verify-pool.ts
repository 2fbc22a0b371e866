import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Examined } from './examine';
import type { PublicKeyRecord } from './keys';

/**
 * Worker threads that examine batches of a bundle's lines (examine.ts: parsing, hashes, signed texts,
 * leaves and the signatures of whole appends; one Ed25519 verification costs ~90 µs here), so the
 * main thread only reads the tar and applies the answers in order. A worker takes no execArgv (not the
 * CLI's register and flags); run from sources, it compiles its few modules with swc itself (a library
 * may not reach into tools/register.js).
 */
const FROM_SOURCES = `
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const { transformSync } = require(workerData.swc);
require.extensions['.ts'] = (module, filename) => module._compile(transformSync(readFileSync(filename, 'utf8'), {
  filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
}).code, filename);
require(workerData.entry);
`;

export class ExaminePool {
  private readonly workers: { worker: Worker; waiting: { resolve(x: Examined): void; reject(e: Error): void }[]; failed?: Error }[];
  private next = 0;

  static defaultThreads() {
    return Math.max(1, availableParallelism());
  }

  /** `keys`: the trusted public keys (none: signatures are not checked). */
  constructor(keys: PublicKeyRecord[] | undefined, threads: number) {
    const entry = require.resolve('./examine-worker');
    const fromSources = entry.endsWith('.ts');
    // A small young generation: a batch's garbage dies young either way, and each worker's peak memory drops by some 35 MB.
    const options = { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8 } };
    this.workers = Array.from({ length: threads }, () => {
      const worker = fromSources
        ? new Worker(FROM_SOURCES, { ...options, eval: true, workerData: { keys, entry, swc: require.resolve('@swc/core') } })
        : new Worker(entry, { ...options, workerData: { keys } });
      const slot: (typeof this.workers)[number] = { worker, waiting: [] };
      worker.on('message', (x: Examined) => {
        x.leaves = Buffer.from(x.leaves.buffer, x.leaves.byteOffset, x.leaves.byteLength); // a Uint8Array once cloned
        slot.waiting.shift()!.resolve(x);
      });
      // A worker that fails (out of memory, input no event parses into) is gone: what it held and what
      // is sent to it after are refused, not left waiting.
      const fail = (error: Error) => {
        slot.failed ??= error;
        for (const w of slot.waiting.splice(0)) w.reject(slot.failed);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`an examining worker stopped (exit code ${code})`)));
      return slot;
    });
  }

  /** Examines whole lines on the next worker (the buffer is handed over, not copied, when it can be). */
  examine(lines: Buffer): Promise<Examined> {
    const slot = this.workers[this.next++ % this.workers.length];
    const examined = new Promise<Examined>((resolve, reject) => {
      if (slot.failed) return reject(slot.failed);
      slot.waiting.push({ resolve, reject });
      const whole = lines.byteOffset === 0 && lines.byteLength === lines.buffer.byteLength;
      slot.worker.postMessage(lines, whole ? [lines.buffer as ArrayBuffer] : []);
    });
    // Callers keep several in flight and await them in order: a refusal waits for its turn, not an unhandled rejection.
    examined.catch(() => undefined);
    return examined;
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
