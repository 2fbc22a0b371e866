import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SIGNATURE_MISMATCH, SignatureJob } from './check';
import type { PublicKeyRecord } from './keys';

/**
 * Ed25519 verifications on worker threads (one costs ~110 µs here; a million of them is the bulk of
 * verifying a large bundle offline). Jobs go out in batches; a failed one is reported with its
 * position. `backpressure()` holds the reader while too many are in flight, so memory stays bounded.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const keys = new Map(workerData.keys.map((r) => [r.keyId, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(r.publicKey, 'base64').toString('base64url') }, format: 'jwk' })]));
parentPort.on('message', (batch) => {
  const failed = [];
  for (const job of batch) {
    const key = keys.get(job.keyId);
    if (!key || !verify(null, Buffer.from(job.message), key, Buffer.from(job.signature))) failed.push(job.position);
  }
  parentPort.postMessage(failed);
});
`;

const BATCH = 256;
const MAX_IN_FLIGHT = 64; // batches

export class SignaturePool {
  private readonly workers: Worker[];
  private next = 0;
  private batch: SignatureJob[] = [];
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private onFail?: (position: number, reason: string) => void;
  private error?: Error;

  static defaultThreads() {
    return Math.max(1, availableParallelism());
  }

  constructor(keys: PublicKeyRecord[], threads: number) {
    this.workers = Array.from({ length: threads }, () => {
      const worker = new Worker(WORKER, { eval: true, workerData: { keys } });
      worker.on('message', (failed: number[]) => {
        for (const position of failed) this.onFail?.(position, SIGNATURE_MISMATCH);
        this.inFlight--;
        this.wake();
      });
      worker.on('error', (error) => {
        this.error = error;
        this.inFlight = 0;
        this.wake();
      });
      return worker;
    });
  }

  submit(job: SignatureJob, onFail: (position: number, reason: string) => void) {
    this.onFail = onFail;
    this.batch.push(job);
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush() {
    if (this.batch.length === 0) return;
    const worker = this.workers[this.next++ % this.workers.length];
    this.inFlight++;
    worker.postMessage(this.batch);
    this.batch = [];
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async until(condition: () => boolean) {
    while (!condition() && !this.error) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.error) throw this.error;
  }

  /** Waits while too many batches are in flight. */
  backpressure() {
    return this.inFlight > MAX_IN_FLIGHT ? this.until(() => this.inFlight <= MAX_IN_FLIGHT / 2) : Promise.resolve();
  }

  /** Sends what is left and waits for every answer. */
  async drain() {
    this.flush();
    await this.until(() => this.inFlight === 0);
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
