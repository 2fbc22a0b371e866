import { setTimeout as sleep } from 'node:timers/promises';
import {
  authorise, authorityRefs, Command, DECIDERS, decideCommand, DomainError, normaliseDeep, RecordKind, Ref, SCHEMA_VERSIONS, streamIdOf, World,
} from '@reform-ledger/domain';
import { AppendResult, ConcurrentAppendError, Ledger, VersionConflictError } from '@reform-ledger/ledger';
import type { Actor } from '../auth/api-keys';
import { Folded, keptState, loadRecords } from './folded-streams';
import type { Submission } from './validate';

/** What a write returns; a retry with the same key returns the same body. */
export type Recorded = { streamId: string; streamVersion: number; globalPosition: number; eventId: string; recordedAt: string };

/** A submission under its idempotency key and, when the caller pins it (If-Match), the stream version it expects. */
export type Keyed = Submission & { idempotencyKey: string; expectedVersion?: number };

/** Who writes, under which correlation id, and when the ledger received the request (the decision's "now"). */
export type WriteContext = { actor: Actor; correlationId: string; receivedAt: string };

/**
 * A batch refused as a whole: every refused item with its index and its own refusal. Nothing of the
 * batch was stored.
 */
export class BatchRefused extends Error {
  constructor(
    readonly refusals: { index: number; error: DomainError }[],
    readonly total: number,
  ) {
    super(`${refusals.length} of ${total} submissions refused`);
    this.name = 'BatchRefused';
  }
}

/** How long an unpinned write keeps deciding again while other writers move its stream on. */
export const RETRY_DEADLINE_MS = 2000;
const BACKOFF_BASE_MS = 2;
const BACKOFF_CAP_MS = 100;

const toRecorded = (r: AppendResult): Recorded => ({
  streamId: r.streamId,
  streamVersion: r.streamVersion,
  globalPosition: r.lastPosition,
  eventId: r.eventIds[r.eventIds.length - 1],
  recordedAt: r.recordedAt,
});

/**
 * The records a decision reads, each folded to its current state (loadRecords); `load` adds more, all
 * that are missing in one read. `world` answers only for what was loaded.
 */
const worldOf = (ledger: Ledger) => {
  const states = new Map<string, Folded>();
  const get = (kind: RecordKind) => (id: string): any => {
    const folded = states.get(streamIdOf(kind, id));
    if (!folded) throw new Error(`Decision read ${kind} ${id} without declaring it in needs()`);
    return folded.state;
  };
  const world: World = { unit: get('unit'), document: get('document'), plan: get('plan') };
  const loaded = (ref: Ref) => states.has(streamIdOf(ref.kind, ref.id));
  const load = async (refs: Ref[]) => {
    const missing = [...new Map(refs.filter((ref) => !loaded(ref)).map((ref) => [streamIdOf(ref.kind, ref.id), ref])).values()];
    if (missing.length === 0) return;
    (await loadRecords(ledger, missing)).forEach((folded, i) => states.set(streamIdOf(missing[i].kind, missing[i].id), folded));
  };
  const folded = (ref: Ref) => states.get(streamIdOf(ref.kind, ref.id))!;
  return { world, loaded, load, folded };
};

/** A submission made ready once, before any attempt: its text normalised, and what identifies it for its key. */
type Prepared = { keyed: Keyed; command: Command; request: unknown };

const prepare = (keyed: Keyed, context: WriteContext): Prepared => {
  const fact = normaliseDeep({ type: keyed.type, id: keyed.id, occurredAt: keyed.occurredAt, data: keyed.data });
  return {
    keyed,
    command: { ...fact, receivedAt: context.receivedAt, author: { role: context.actor.role, ...(context.actor.unitId && { unitId: context.actor.unitId }) } },
    // What identifies the request for its idempotency key: the fact and who sent it, never the moment it
    // arrived (a retry comes later). Another key reusing it is refused (idempotency_key.reused).
    request: { ...fact, kind: keyed.kind, expectedVersion: keyed.expectedVersion ?? null, keyId: context.actor.keyId },
  };
};

/**
 * One attempt of the command path: read the stream and fold it (from the state kept after the last
 * write: loadRecord), load what the decision and the rights read, authorise, check the pinned version,
 * decide, append with the expected version and the key. A retried key gets its first result: from the
 * append, or, when the pinned version or the decision refuses it, from a look-up of the key. Reading
 * the stream before looking up the key means a concurrent retry that already sees the first write also
 * finds its key.
 */
const attempt = async (ledger: Ledger, { keyed, command, request }: Prepared, context: WriteContext): Promise<Recorded> => {
  const decider = DECIDERS[keyed.kind];
  const streamId = streamIdOf(keyed.kind, keyed.id);
  const author = command.author!;
  const { world, loaded, load, folded } = worldOf(ledger);
  // One read for the record and what the decision most likely reads with it: what it needs on the
  // state kept in memory (if any), and a department's own unit (authorise reads it). Then whatever
  // the state as read needs beyond that.
  const record: Ref = { kind: keyed.kind, id: keyed.id };
  const guess = keptState(ledger, keyed.kind, keyed.id) ?? decider.initialState;
  await load([record, ...decider.needs(command, guess), ...(author.role === 'department' && author.unitId ? [{ kind: 'unit' as const, id: author.unitId }] : [])]);
  const { state, version } = folded(record);
  await load(decider.needs(command, state));
  // Who may write reads the author's unit and the writers' (a merged unit passes its work on): load them until none is missing.
  let missing: Ref[];
  while ((missing = authorityRefs(decider, command, state, world, author, loaded)).length > 0) await load(missing);
  authorise(decider, command, state, world, author);
  // A retry whose first attempt moved the stream on, or whose decision is now refused (the record it
  // created exists), is answered with the first result; otherwise the append answers it (ledger_append
  // looks the key up first), so a write that goes through makes no separate round trip for its key.
  const replayOr = async (refusal: Error) => {
    const earlier = await ledger.findIdempotent(streamId, keyed.idempotencyKey, request);
    if (earlier) return toRecorded(earlier);
    throw refusal;
  };
  if (keyed.expectedVersion !== undefined && keyed.expectedVersion !== version) {
    return replayOr(new VersionConflictError(streamId, keyed.expectedVersion, version));
  }
  let events: ReturnType<typeof decideCommand>;
  try {
    events = decideCommand(decider, command, state, world);
  } catch (error) {
    if (error instanceof DomainError) return replayOr(error);
    throw error;
  }
  const versions = SCHEMA_VERSIONS[keyed.kind] as Record<string, number>;
  const result = await ledger.append(
    streamId,
    events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data, schemaVersion: versions[e.type] })),
    {
      expectedVersion: version,
      idempotencyKey: keyed.idempotencyKey,
      request,
      metadata: { actor: context.actor, correlationId: context.correlationId },
    },
  );
  return toRecorded(result);
};

/**
 * Someone wrote in between: a conflict the caller did not ask for (no If-Match), or a concurrent
 * append under the same key inside a batch. Decide again after a jittered, growing pause until
 * RETRY_DEADLINE_MS has passed; a pinned conflict is the caller's to resolve (409).
 */
const retrying = async <T>(work: () => Promise<T>, pinned: boolean): Promise<T> => {
  const deadline = Date.now() + RETRY_DEADLINE_MS;
  for (let i = 0; ; i++) {
    try {
      return await work();
    } catch (error) {
      const raced = (error instanceof VersionConflictError && !pinned) || error instanceof ConcurrentAppendError;
      const left = deadline - Date.now();
      if (!raced || left <= 0) throw error;
      await sleep(Math.min(left, Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** i)));
    }
  }
};

/**
 * Writes to one stream from this process take turns, attempt by attempt, so that concurrent writers
 * do not spend their attempts on each other; conflicts with other processes (and batches) remain, and
 * are retried.
 */
const turns = new Map<string, Promise<unknown>>();
const inTurn = async <T>(streamId: string, work: () => Promise<T>): Promise<T> => {
  const mine = (turns.get(streamId) ?? Promise.resolve()).then(work);
  const done = mine.then(() => undefined, () => undefined);
  turns.set(streamId, done);
  try {
    return await mine;
  } finally {
    if (turns.get(streamId) === done) turns.delete(streamId);
  }
};

/** Records one submission. Called only by the RecordEvent command's handler. */
export const recordOne = (ledger: Ledger, keyed: Keyed, context: WriteContext): Promise<Recorded> => {
  const prepared = prepare(keyed, context);
  const streamId = streamIdOf(keyed.kind, keyed.id);
  return retrying(() => inTurn(streamId, () => attempt(ledger, prepared, context)), keyed.expectedVersion !== undefined);
};

/**
 * Records a batch in one transaction: all or nothing. Each item is decided on the state the items
 * before it produced. Every refusal is collected (the items after a refused one are still checked)
 * and reported together (BatchRefused). Called only by the RecordBatch command's handler.
 */
export const recordBatch = (ledger: Ledger, items: Keyed[], context: WriteContext): Promise<Recorded[]> => {
  const prepared = items.map((keyed) => prepare(keyed, context));
  return retrying(() => ledger.transaction(async (tx) => {
    const results: Recorded[] = [];
    const refusals: BatchRefused['refusals'] = [];
    for (const [index, item] of prepared.entries()) {
      try {
        results.push(await attempt(tx, item, context));
      } catch (error) {
        // Domain refusals come before the item's append, so the transaction is still usable for the next
        // item; a ledger error (a race, a reused key) aborted it and ends the batch.
        if (error instanceof DomainError) refusals.push({ index, error });
        else throw error;
      }
    }
    if (refusals.length > 0) throw new BatchRefused(refusals, items.length);
    return results;
  }), false);
};
