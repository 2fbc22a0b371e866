import {
  AnyDecider, DECIDERS, decideCommand, DomainError, normaliseDeep, RecordKind, Ref, requireRecord, SCHEMA_VERSIONS, streamIdOf, World,
} from '@reform-ledger/domain';
import { AppendResult, ConcurrentAppendError, Ledger, VersionConflictError } from '@reform-ledger/ledger';
import type { Actor } from '../auth/api-keys';
import { Problem, toProblem } from '../problem';
import { loadRecord } from './folded-streams';
import type { Submission } from './validate';

/** What a write returns; a retry with the same key returns the same body. */
export type Recorded = { streamId: string; streamVersion: number; globalPosition: number; eventId: string; recordedAt: string };

export type Write = Submission & { idempotencyKey: string; expectedVersion?: number };

/** Who writes, under which correlation id, and when the ledger received the request (the decision's "now"). */
export type WriteContext = { actor: Actor; correlationId: string; receivedAt: string };

const MAX_ATTEMPTS = 5;

const toRecorded = (r: AppendResult): Recorded => ({
  streamId: r.streamId,
  streamVersion: r.streamVersion,
  globalPosition: r.lastPosition,
  eventId: r.eventIds[r.eventIds.length - 1],
  recordedAt: r.recordedAt,
});

/** Loads the other records a decision reads, each folded to its current state. */
const loadWorld = async (ledger: Ledger, refs: Ref[]): Promise<World> => {
  const states = new Map<string, { status: string }>();
  for (const ref of refs) {
    const key = streamIdOf(ref.kind, ref.id);
    if (!states.has(key)) states.set(key, (await loadRecord(ledger, ref.kind, ref.id)).state);
  }
  const get = (kind: RecordKind) => (id: string): any => {
    const state = states.get(streamIdOf(kind, id));
    if (!state) throw new Error(`Decision read ${kind} ${id} without declaring it in needs()`);
    return state;
  };
  return { unit: get('unit'), document: get('document'), plan: get('plan') };
};

/** Departments write only the records their unit is responsible for; admins write anything; other roles nothing. */
const authorise = (decider: AnyDecider, command: Parameters<AnyDecider['writers']>[0], state: { status: string }, world: World, actor: Actor) => {
  if (actor.role === 'admin') return;
  if (actor.role !== 'department') {
    throw new Problem(403, 'auth.role_forbidden', { role: actor.role });
  }
  const writers = decider.writers(command, state, world);
  if (writers !== 'any' && (!actor.unitId || !writers.includes(actor.unitId))) {
    throw new Problem(403, 'auth.not_your_record', { unitId: actor.unitId, type: command.type, kind: decider.kind, id: command.id, writers: [...writers] });
  }
};

/**
 * The one command path: answer a retried key with its first result, read the stream and fold it
 * (from the state kept after the last write: loadRecord), load what the decision reads, authorise,
 * decide, append with the expected version.
 */
const writeOne = async (ledger: Ledger, write: Write, context: WriteContext): Promise<Recorded> => {
  const decider = DECIDERS[write.kind];
  const streamId = streamIdOf(write.kind, write.id);
  const fact = normaliseDeep({ type: write.type, id: write.id, occurredAt: write.occurredAt, data: write.data });
  // What identifies the request for its idempotency key: the fact, never the moment it arrived (a retry comes later).
  const request = { ...fact, kind: write.kind, expectedVersion: write.expectedVersion ?? null };
  const command = { ...fact, receivedAt: context.receivedAt };
  const earlier = await ledger.findIdempotent(streamId, write.idempotencyKey, request);
  if (earlier) return toRecorded(earlier);

  const { state, version } = await loadRecord(ledger, write.kind, write.id);
  if (write.expectedVersion !== undefined && write.expectedVersion !== version) {
    throw new VersionConflictError(streamId, write.expectedVersion, version);
  }
  requireRecord(decider, command, state);
  const world = await loadWorld(ledger, decider.needs(command, state));
  authorise(decider, command, state, world, context.actor);
  const events = decideCommand(decider, command, state, world);
  const versions = SCHEMA_VERSIONS[write.kind] as Record<string, number>;
  const result = await ledger.append(
    streamId,
    events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data, schemaVersion: versions[e.type] })),
    {
      expectedVersion: version,
      idempotencyKey: write.idempotencyKey,
      request,
      metadata: { actor: context.actor, correlationId: context.correlationId },
    },
  );
  return toRecorded(result);
};

/** A conflict the caller did not ask for (no If-Match) means someone wrote in between: decide again. */
const retrying = async <T>(attempt: () => Promise<T>, pinned: boolean): Promise<T> => {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const raced = (error instanceof VersionConflictError && !pinned) || error instanceof ConcurrentAppendError;
      if (!raced || i >= MAX_ATTEMPTS) throw error;
    }
  }
};

export const recordOne = (ledger: Ledger, write: Write, context: WriteContext): Promise<Recorded> =>
  retrying(() => writeOne(ledger, write, context), write.expectedVersion !== undefined);

/**
 * Records a batch in one transaction: all or nothing. Each item is decided on the state the items
 * before it produced. Every refusal is collected (the items after a refused one are still checked)
 * and reported together, each naming its item.
 */
export const recordBatch = (ledger: Ledger, writes: Write[], context: WriteContext): Promise<Recorded[]> =>
  retrying(() => ledger.transaction(async (tx) => {
    const results: Recorded[] = [];
    const refusals: Problem[] = [];
    for (const [i, write] of writes.entries()) {
      try {
        results.push(await writeOne(tx, write, context));
      } catch (error) {
        // Refusals come before the item's append, so the transaction is still usable for the next item.
        if (error instanceof DomainError || error instanceof Problem) refusals.push(itemProblem(i, toProblem(error)));
        else throw error;
      }
    }
    if (refusals.length > 0) {
      const status = Math.min(...refusals.map((p) => p.status));
      throw new Problem(status, 'batch.refused', { refused: refusals.length, total: writes.length }, refusals.flatMap((p) => p.errors));
    }
    return results;
  }), false);

/** One refused item of a batch, as a field problem naming the item; its reason is the item's own detail. */
const itemProblem = (index: number, problem: Problem): Problem =>
  new Problem(problem.status, problem.code, problem.params, [{
    field: `[${index}]${problem.errors[0]?.field ? `.${problem.errors[0].field}` : ''}`,
    reason: problem.detailKey,
    params: problem.params,
    code: problem.code,
  }]);
