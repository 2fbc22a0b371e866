import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import {
  ConcurrentAppendError,
  ExpectedVersion,
  IdempotencyKeyReusedError,
  LedgerInputError,
  VersionConflictError,
} from './errors';
import { isUuid, uuidv7 } from './uuid';
import { appendMessage, canonicalJson, canonicalText, eventText, MAX_DEPTH, TreeHead, utcMicros } from './signing';
import { LedgerCheck, Verdict } from './check';
import type { Examined } from './examine';
import { ExaminePool } from './verify-pool';
import type { PublicKeys } from './keys';
import { LedgerTree } from './tree';
import { cutEnd, cutStart, isCalendarDate, isDateTime, timeZone } from '@reform-ledger/calendar';
import { withTransaction } from './transaction';

export type Actor = { keyId?: string; unitId?: string; role?: string; user?: string };

export type EventMetadata = { actor?: Actor; correlationId?: string; causationId?: string };

/** An event as a caller hands it to the ledger. `recordedAt` is never accepted: the ledger sets it. */
export type NewEvent = {
  type: string;
  data: unknown;
  /** Valid time: when it happened in the world (a Date, or an ISO date or datetime string). */
  occurredAt: Date | string;
  schemaVersion?: number;
  eventId?: string;
  metadata?: EventMetadata;
};

export type AppendOptions = {
  expectedVersion?: ExpectedVersion;
  idempotencyKey?: string;
  /** Metadata applied to every event of the batch (an event's own metadata wins field by field). */
  metadata?: EventMetadata;
  /**
   * What identifies the request behind an idempotency key, when it is not the events themselves
   * (e.g. the command they were decided from). Default: the events' type, schema, data and time.
   */
  request?: unknown;
};

export type AppendResult = {
  streamId: string;
  /** The stream's version after the append (the version of its last event). */
  streamVersion: number;
  firstPosition: number;
  lastPosition: number;
  eventIds: string[];
  recordedAt: string;
  /** True when an earlier append with the same idempotency key is being returned. */
  duplicate: boolean;
};

export type StoredEvent = {
  eventId: string;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  occurredAt: string;
  recordedAt: string;
  actor?: Actor;
  correlationId?: string;
  causationId?: string;
  idempotencyKey?: string;
  prevPosition?: number;
  prevHash: string;
  hash: string;
};

/**
 * An event exactly as stored: `data` and `metadata` are PostgreSQL's jsonb text, which the hash
 * covers; `keyId` and `signature` (base64) are the signature of the append or group that the event ends,
 * and an empty signature with no key id on the events before its last (null before migration 3).
 */
export type ExportedEvent = {
  globalPosition: number; eventId: string; streamId: string; streamVersion: number; prevPosition: number | null;
  type: string; schemaVersion: number; data: string; metadata: string; occurredAt: string; recordedAt: string;
  idempotencyKey: string | null; prevHash: string; hash: string; keyId: string | null; signature: string | null;
};
type ExportedRow = {
  global_position: string; event_id: string; stream_id: string; stream_version: number; prev_position: string | null;
  type: string; schema_version: number; data: string; metadata: string; occurred_at: string; recorded_at: string;
  idempotency_key: string | null; prev_hash: string; hash: string; key_id: string | null; signature: string | null;
};
const EXPORT_COLUMNS = `global_position, event_id, stream_id, stream_version, prev_position, type, schema_version, data::text AS data,
  metadata::text AS metadata, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, idempotency_key,
  encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash, key_id, encode(signature, 'base64') AS signature`;
const toExported = (r: ExportedRow): ExportedEvent => ({
  globalPosition: Number(r.global_position), eventId: r.event_id, streamId: r.stream_id, streamVersion: r.stream_version,
  prevPosition: r.prev_position === null ? null : Number(r.prev_position), type: r.type, schemaVersion: r.schema_version,
  data: r.data, metadata: r.metadata, occurredAt: r.occurred_at, recordedAt: r.recorded_at, idempotencyKey: r.idempotency_key,
  prevHash: r.prev_hash, hash: r.hash, keyId: r.key_id, signature: r.signature === null ? null : r.signature.replace(/\n/g, ''),
});

/** Transforms the data of (type, fromVersion) into the data of version fromVersion + 1. Applied on read. */
export type Upcaster = { type: string; fromVersion: number; upcast: (data: any) => unknown };

/** Filters shared by stream and feed reads: `knownAt` is transaction time, `validUntil` valid time. */
export type TimeCut = { knownAt?: Date | string; validUntil?: Date | string };

export type ReadStreamOptions = TimeCut & { fromVersion?: number; toVersion?: number };

export type ReadAllOptions = TimeCut & { after?: number; limit?: number; types?: string[] };

/** What a projection reads of an event: no envelope beyond what folding needs (the feed is cheaper to read). */
export type FeedEvent = Pick<StoredEvent, 'globalPosition' | 'streamId' | 'streamVersion' | 'type' | 'schemaVersion' | 'data' | 'occurredAt'>;

/** What a decision folds of a stream's event (Ledger.readStreams): the feed's fields and the event's id. */
export type StreamEvent = FeedEvent & { eventId: string };

export type VerifyResult = Verdict;

/**
 * Signs appends (keys.ts, KeyRing): once per group commit, over all its events (signing.ts, appendMessage),
 * on the event loop. Handing a signature to libuv's thread pool cost the event loop as much as making
 * it (30–100 µs to wake a thread here, against 30 µs for Ed25519), and a signing thread of its own
 * added milliseconds to every append once both cores were busy. Without one, events are stored unsigned
 * (and verify says so).
 */
export type AppendSigner = { keyId: string; sign(message: Buffer): Buffer };

export type LedgerOptions = {
  upcasters?: Upcaster[];
  signer?: AppendSigner;
  /** Commit concurrent appends together (default true; false: each append in its own transaction). */
  groupCommit?: boolean;
  /** Group commits in flight at once (default 2). */
  groupsInFlight?: number;
  maxPayloadBytes?: number;
  maxEventsPerAppend?: number;
};

export const MAX_STREAM_ID_LENGTH = 200;
const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

const EVENT_COLUMNS = `global_position, event_id, stream_id, stream_version, prev_position, type, schema_version, data,
  metadata, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, idempotency_key,
  encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash`;

/**
 * Where a stored event holds from in valid time, as @reform-ledger/calendar's validFrom puts it: an
 * instant from itself; a date-only fact (stored at 00:00 UTC) from the start of its day in the ledger's
 * time zone (the parameter `zone`). So a `validUntil` date keeps exactly the facts up to the end of that day.
 */
const validFrom = (zone: string) =>
  `(CASE WHEN occurred_at = date_trunc('day', occurred_at, 'UTC') THEN (occurred_at AT TIME ZONE 'UTC') AT TIME ZONE ${zone}::text ELSE occurred_at END)`;

type EventRow = {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  prev_position: string | null;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  occurred_at: string;
  recorded_at: string;
  idempotency_key: string | null;
  prev_hash: string;
  hash: string;
};

/**
 * The event ledger on PostgreSQL. It owns the ledger tables and every statement against them.
 * Appends are one round trip to `ledger_append` (schema.ts); reads are plain indexed queries.
 */
export class Ledger {
  private readonly upcasters = new Map<string, Upcaster>();
  /** Appends waiting for the commits in flight to end (group commit). */
  private readonly waiting: Waiting[] = [];
  private committing = 0;
  /** Whether commitWaiting is queued to run once the microtasks before it have (append). */
  private commitQueued = false;
  /** Streams with appends in a group being committed, and how many. */
  private readonly streamsInFlight = new Map<string, number>();
  private readonly maxPayloadBytes: number;
  private readonly maxEventsPerAppend: number;

  constructor(
    readonly pool: Pool,
    private readonly options: LedgerOptions = {},
    /** Set on the ledger a transaction hands to its work: every statement runs on this connection. */
    private readonly session?: PoolClient,
  ) {
    for (const u of options.upcasters ?? []) this.upcasters.set(`${u.type}@${u.fromVersion}`, u);
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.maxEventsPerAppend = options.maxEventsPerAppend ?? 1000;
  }

  /** True for the ledger a transaction hands to its work: what it reads may include appends not committed yet. */
  get transactional(): boolean {
    return this.session !== undefined;
  }

  registerUpcaster(upcaster: Upcaster): void {
    this.upcasters.set(`${upcaster.type}@${upcaster.fromVersion}`, upcaster);
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    const expected = parseExpectedVersion(options.expectedVersion);
    const key = options.idempotencyKey;
    if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 200)) {
      throw new LedgerInputError('idempotency_key.invalid', 'idempotencyKey', 'Idempotency key must be 1 to 200 characters');
    }
    const prepared = this.prepare(streamId, events, options.metadata, key);
    const append: Append = {
      streamId, expected, expectedOption: options.expectedVersion, key: key ?? null,
      // The fingerprint identifies the request behind a key; without a key nothing reads it.
      fingerprint: key === undefined ? '' : fingerprintOf(options.request ?? prepared.fingerprint), rows: prepared.rows, texts: prepared.texts,
      count: events.length,
    };
    if (this.session || this.options.groupCommit === false) return this.appendAlone(append);
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...append, resolve, reject });
      // Not at once: the writers a commit answers append again in the microtasks that follow, and the
      // first of them would take a free slot alone (in 32 concurrent writers, three commits in four were
      // of one append, beside groups of 31). After them, they go together.
      if (this.commitQueued) return;
      this.commitQueued = true;
      queueMicrotask(() => {
        this.commitQueued = false;
        this.commitWaiting();
      });
    });
  }

  /**
   * Group commit. Appends that arrive while earlier ones are being committed wait, and are then
   * committed together: one transaction, one commit (one WAL flush), one gap-free section for all of
   * them (ledger_append_group). Each caller is answered only when that transaction has committed,
   * with its own result or its own refusal; a lone single-event append goes alone (ledger_append),
   * so a single writer waits for nobody. At most `groupsInFlight` commits run at once, and appends to
   * one stream are never in two of them.
   */
  private commitWaiting(): void {
    while (this.committing < (this.options.groupsInFlight ?? GROUPS_IN_FLIGHT) && this.waiting.length > 0) {
      // A stream with appends in flight is left to a later group, so that the appends to one stream
      // reach the server in the order they were made (two groups in flight could arrive swapped).
      const blocked = new Set(this.streamsInFlight.keys());
      const group: Waiting[] = [];
      let events = 0;
      for (let i = 0; i < this.waiting.length && group.length < MAX_GROUP_APPENDS; i++) {
        const a = this.waiting[i];
        if (blocked.has(a.streamId)) continue;
        if (group.length > 0 && events + a.count > this.maxEventsPerAppend) {
          blocked.add(a.streamId);
          continue;
        }
        group.push(a);
        events += a.count;
        this.waiting.splice(i--, 1);
      }
      if (group.length === 0) return;
      for (const a of group) this.streamsInFlight.set(a.streamId, (this.streamsInFlight.get(a.streamId) ?? 0) + 1);
      this.committing++;
      void this.commitGroup(group).finally(() => {
        for (const a of group) {
          const left = this.streamsInFlight.get(a.streamId)! - 1;
          if (left === 0) this.streamsInFlight.delete(a.streamId);
          else this.streamsInFlight.set(a.streamId, left);
        }
        this.committing--;
        this.commitWaiting();
      });
    }
  }

  private async commitGroup(group: Waiting[]): Promise<void> {
    if (group.length === 1 && group[0].count === 1) {
      await this.appendAlone(group[0]).then(group[0].resolve, group[0].reject);
      return;
    }
    let results: GroupResult[];
    try {
      const signer = this.options.signer;
      // Signed, the group is appended whole or not at all: its one signature covers every event of it.
      const signature = signer?.sign(appendMessage(group.flatMap((a) => a.texts!)));
      const items = group.map((a) => `{"s":${JSON.stringify(a.streamId)},"x":${a.expected},"k":${a.key === null ? 'null' : JSON.stringify(a.key)},`
        + `"f":"${a.fingerprint}","e":${this.sealed(a, '}')}}`);
      results = (await this.query<{ r: GroupResult[] }>('SELECT ledger_append_group($1, $2, $3) AS r',
        [`[${items.join(',')}]`, signer?.keyId ?? null, signature ?? null], 'ledger_append_group')).rows[0].r;
    } catch (error) {
      // The connection failed (whether the group committed is unknown, as for a lone append), or the
      // signer did (nothing was sent).
      if (!(error as { code?: string }).code) {
        for (const a of group) a.reject(error);
        return;
      }
      // Refused as a whole (a signed group with an append refused or a duplicate, RL412; a deadlock
      // with a transaction holding two of its streams, a key raced by a lone append, input the server
      // rejects): each append on its own, in order, signed alone, with its own answer.
      for (const a of group) await this.appendAlone(a).then(a.resolve, a.reject);
      return;
    }
    group.forEach((a, i) => {
      const r = results[i];
      if (!('error' in r)) a.resolve(toAppendResult(a.streamId, r));
      else if (r.error === 'RL409') a.reject(new VersionConflictError(a.streamId, a.expectedOption ?? 'any', r.actual));
      else a.reject(new IdempotencyKeyReusedError(a.streamId, a.key ?? ''));
    });
  }

  /** One append in its own transaction (ledger_append), or on the transaction's connection. */
  private async appendAlone(append: Append): Promise<AppendResult> {
    const { streamId, expected, expectedOption, key, fingerprint } = append;
    const json = this.sealed(append, this.rowEnd(append));
    try {
      const { rows } = await this.query<{ r: StoredResult }>(
        'SELECT ledger_append($1, $2, $3, $4, $5) AS r',
        [streamId, expected, key, fingerprint, json],
        'ledger_append',
      );
      return toAppendResult(streamId, rows[0].r);
    } catch (error) {
      const pgError = error as { code?: string; detail?: string; constraint?: string };
      if (pgError.code === 'RL409') {
        throw new VersionConflictError(streamId, expectedOption ?? 'any', Number(pgError.detail));
      }
      if (pgError.code === 'RL422') throw new IdempotencyKeyReusedError(streamId, key ?? '');
      // Appends to one stream are serialised, so the only possible race left is two appends with the
      // same key: the loser's key insert fails once the winner commits. Return the winner's result.
      if (pgError.code !== '23505' || pgError.constraint !== 'ledger_idempotency_pkey') throw error;
      // Inside a transaction the statement failure aborted it: the caller retries the transaction.
      if (this.session) throw new ConcurrentAppendError(streamId, key ?? '');
      try {
        const { rows } = await this.query<{ r: StoredResult }>(
          'SELECT ledger_idempotent_result($1, $2, $3) AS r',
          [streamId, key, fingerprint],
        );
        return toAppendResult(streamId, rows[0].r);
      } catch (lookupError) {
        if ((lookupError as { code?: string }).code === 'RL422') throw new IdempotencyKeyReusedError(streamId, key ?? '');
        throw lookupError;
      }
    }
  }

  /**
   * The result of an earlier append to `streamId` under `idempotencyKey`, or null when there was none.
   * `request` is what the append was made with (AppendOptions.request); a different one under the
   * same key is refused with IdempotencyKeyReusedError. Lets a caller answer a retry without deciding again.
   */
  async findIdempotent(streamId: string, idempotencyKey: string, request: unknown): Promise<AppendResult | null> {
    try {
      const { rows } = await this.query<{ r: StoredResult | null }>(
        'SELECT ledger_idempotent_result($1, $2, $3) AS r',
        [streamId, idempotencyKey, fingerprintOf(request)],
      );
      return rows[0].r ? toAppendResult(streamId, rows[0].r) : null;
    } catch (error) {
      if ((error as { code?: string }).code === 'RL422') throw new IdempotencyKeyReusedError(streamId, idempotencyKey);
      throw error;
    }
  }

  /**
   * Runs `work` in one database transaction with a ledger bound to it: its appends, to any number of
   * streams, commit together or not at all, and its reads see its own appends. Keep the work short:
   * the feed waits behind an open transaction that has appended.
   */
  async transaction<T>(work: (ledger: Ledger) => Promise<T>): Promise<T> {
    if (this.session) return work(this);
    // The transaction's ledger reads as this one does: with the upcasters registered since construction too.
    const options = { ...this.options, upcasters: [...this.upcasters.values()] };
    return this.inTransaction('BEGIN', (client) => work(new Ledger(this.pool, options, client)));
  }

  /** Runs `work` between `begin` and COMMIT on one pooled connection; rolls back on failure. */
  private inTransaction<T>(begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, work, begin);
  }



  /**
   * Runs one statement on a pooled connection. Unlike `pool.query`, a refusal from the server (a
   * version conflict, a duplicate key) gives the connection back for reuse instead of closing it:
   * reconnecting cost ~3.5 ms per conflict, which dominated contended appends. A `name` prepares the
   * statement once per connection (the appends, a decision's reads: no parse and plan per call).
   */
  private async query<R extends object>(text: string, values: unknown[] = [], name?: string) {
    const statement = { text, values, name };
    if (this.session) return this.session.query<R & QueryResultRow>(statement);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await client.query<R & QueryResultRow>(statement);
    } catch (error) {
      if (!(error as { code?: string }).code) broken = error as Error; // no SQLSTATE: the connection failed
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs a feed scan in position order on the primary key's index, never a sequential scan and
   * sort. Statistics lag behind a ledger that grows by appends (the planner then believes few rows
   * lie past the last analysed position and sorts the whole table for every batch: 128 ms instead of
   * 5 ms per 10,000 events on a fresh million-event ledger). The index order is always right here.
   */
  private async feedQuery<R extends object>(text: string, values: unknown[]) {
    const run = async (client: { query: PoolClient['query'] }) => {
      await client.query('SET LOCAL enable_seqscan = off');
      await client.query('SET LOCAL enable_bitmapscan = off');
      return client.query<R & QueryResultRow>(text, values);
    };
    if (this.session) return run(this.session);
    return this.inTransaction('BEGIN READ ONLY', run);
  }

  /** The stream's current version: 0 when it has no events. */
  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.query<{ version: number }>(
      'SELECT version FROM ledger_streams WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  /**
   * Several streams at once, each from its own version (1 unless given), in one statement and so one
   * snapshot: what a decision reads (its record and the records it refers to) in one round trip. The
   * events of each read, in version order, in the order of `reads`. A prepared statement: planned once
   * per connection.
   */
  async readStreams(reads: { streamId: string; fromVersion?: number }[]): Promise<StreamEvent[][]> {
    if (reads.length === 0) return [];
    const { rows } = await this.query<{ i: string; global_position: string; event_id: string; stream_version: number; type: string; schema_version: number; data: unknown; occurred_at: string }>(
      `SELECT r.i, e.global_position, e.event_id, e.stream_version, e.type, e.schema_version, e.data, e.occurred_at
         FROM unnest($1::text[], $2::integer[]) WITH ORDINALITY AS r(stream_id, from_version, i)
        CROSS JOIN LATERAL (
          SELECT global_position, event_id, stream_version, type, schema_version, data,
                 to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at
            FROM ledger_events WHERE stream_id = r.stream_id AND stream_version >= r.from_version) e
        ORDER BY r.i, e.stream_version`,
      [reads.map((r) => r.streamId), reads.map((r) => r.fromVersion ?? 1)],
      'ledger_read_streams',
    );
    const streams: StreamEvent[][] = reads.map(() => []);
    for (const r of rows) {
      const i = Number(r.i) - 1;
      const { schemaVersion, data } = this.upcast(r.type, r.schema_version, r.data);
      streams[i].push({ globalPosition: Number(r.global_position), eventId: r.event_id, streamId: reads[i].streamId, streamVersion: r.stream_version,
        type: r.type, schemaVersion, data, occurredAt: r.occurred_at });
    }
    return streams;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const { rows } = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_events
        WHERE stream_id = $1 AND stream_version >= $2 AND stream_version <= $3
          AND ($4::timestamptz IS NULL OR recorded_at <= $4) AND ($5::timestamptz IS NULL OR ${validFrom('$6')} <= $5)
        ORDER BY stream_version`,
      [
        streamId,
        options.fromVersion ?? 1,
        options.toVersion ?? 2147483647,
        toTimestamp(options.knownAt, 'knownAt'),
        toTimestamp(options.validUntil, 'validUntil'),
        timeZone(),
      ],
    );
    return rows.map((r) => this.toEvent(r));
  }

  /**
   * The global feed in position order, gap-free.
   *
   * Why no event is ever skipped: every row carries a feed stamp (tx_id), a transaction id at least
   * its own transaction's; a reader returns only rows whose stamp is below the horizon of its
   * snapshot: the oldest transaction still in flight that could write here (the snapshot's xmin, less
   * the transactions of other databases: ledger_feed_horizon, migration 6). Those rows' transactions
   * have ended, so they are final. ledger_append and ledger_append_group take the stamp and reserve the positions under one
   * short advisory lock, and a stamp never falls below the one before it (schema.ts, FEED_STAMP): so
   * stamps grow with positions. Any event that becomes visible later has a stamp >= xmin, hence a
   * position above every event returned now, and a reader resuming after the last returned position
   * finds it. Rows of in-flight appends are invisible; rows above an in-flight append wait until it
   * ends (a bounded delay, never a gap). The stamp >= xmin argument holds for the horizon: a row that
   * commits later belongs to a transaction of this database still in flight, which the horizon counts.
   *
   * A transaction that appends more than once (transaction()) took its id at its first append, and
   * writers may reserve positions between its appends with later ids. Its later appends are stamped
   * with the latest stamp, not its id, so they also wait for those writers: stamping them with the id
   * (before migration 5) let a reader return them, and checkpoint past, while a writer in between
   * was still in flight — that writer's events were then never read. Its first rows may be read
   * before its later ones: the feed is in position order, not transaction by transaction.
   */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const limit = Math.min(Math.max(options.limit ?? 1000, 1), 10000);
    const { rows } = await this.feedQuery<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_events
        WHERE global_position > $1 AND tx_id < (SELECT ledger_feed_horizon())
          AND ($2::text[] IS NULL OR type = ANY($2)) AND ($3::timestamptz IS NULL OR recorded_at <= $3)
          AND ($4::timestamptz IS NULL OR ${validFrom('$6')} <= $4)
        ORDER BY global_position LIMIT $5`,
      [
        options.after ?? 0,
        options.types ?? null,
        toTimestamp(options.knownAt, 'knownAt'),
        toTimestamp(options.validUntil, 'validUntil'),
        limit,
        timeZone(),
      ],
    );
    return rows.map((r) => this.toEvent(r));
  }

  /**
   * The gap-free feed as projections read it (see readAll): position, stream, type, data and valid
   * time only — no hashes, ids or metadata to encode and parse. Upcasters apply.
   */
  async readFeed(options: { after?: number; limit?: number; types?: string[] } = {}): Promise<FeedEvent[]> {
    const { rows } = await this.feedQuery<{ global_position: string; stream_id: string; stream_version: number; type: string; schema_version: number; data: unknown; occurred_at: string }>(
      `SELECT global_position, stream_id, stream_version, type, schema_version, data,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at
         FROM ledger_events
        WHERE global_position > $1 AND tx_id < (SELECT ledger_feed_horizon()) AND ($2::text[] IS NULL OR type = ANY($2))
        ORDER BY global_position LIMIT $3`,
      [options.after ?? 0, options.types ?? null, Math.min(Math.max(options.limit ?? 1000, 1), 10000)],
    );
    return rows.map((r) => {
      const { schemaVersion, data } = this.upcast(r.type, r.schema_version, r.data);
      return { globalPosition: Number(r.global_position), streamId: r.stream_id, streamVersion: r.stream_version, type: r.type, schemaVersion, data, occurredAt: r.occurred_at };
    });
  }

  /** The whole feed from `after`, batch by batch, in bounded memory. */
  async *streamAll(options: Omit<ReadAllOptions, 'limit'> & { batchSize?: number } = {}): AsyncGenerator<StoredEvent[]> {
    let after = options.after ?? 0;
    for (;;) {
      const batch = await this.readAll({ ...options, after, limit: options.batchSize ?? 1000 });
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1].globalPosition;
    }
  }

  /**
   * The ledger position as known at `knownAt` (transaction time): the last event recorded at or
   * before it, 0 if none. Exact because recorded_at grows with the position (migration 2), so a
   * knownAt cut is a position cut. A bare date means the end of that day.
   */
  /** The latest valid time (occurredAt, as stored, UTC) among the events up to `position`; null when there are none. */
  async latestOccurrence(position: number): Promise<string | null> {
    const { rows } = await this.query<{ t: string | null }>(
      `SELECT to_char(max(occurred_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t FROM ledger_events WHERE global_position <= $1`,
      [position],
    );
    return rows[0]?.t ?? null;
  }

  async positionAt(knownAt: Date | string): Promise<number> {
    const { rows } = await this.query<{ p: string }>(
      `SELECT global_position AS p FROM ledger_events WHERE recorded_at <= $1
        ORDER BY recorded_at DESC, global_position DESC LIMIT 1`,
      [toTimestamp(knownAt, 'knownAt')],
    );
    return Number(rows[0]?.p ?? 0);
  }

  /**
   * Who recorded what: events by the actor's unit or key and by recording time, in position order,
   * page by page (`after`). For the audit trail; it reads the ledger itself, so it is never stale.
   * `owner` keeps the events of the streams a unit is responsible for: those where some event of a
   * `keys` type names the unit in its data field (TaskDefined.leadUnitId, …), and the `streams` given.
   */
  async activity(filter: {
    unitId?: string; keyId?: string; from?: Date | string; to?: Date | string; after?: number; limit?: number;
    owner?: { unitId: string; keys: { type: string; field: string }[]; streams?: string[] };
  }): Promise<StoredEvent[]> {
    const { rows } = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_events
        WHERE global_position > $1 AND ($2::text IS NULL OR metadata->'actor'->>'unitId' = $2)
          AND ($3::text IS NULL OR metadata->'actor'->>'keyId' = $3)
          AND ($4::timestamptz IS NULL OR recorded_at >= $4) AND ($5::timestamptz IS NULL OR recorded_at <= $5)
          AND ($7::text IS NULL OR stream_id = ANY($9::text[]) OR stream_id IN (
            SELECT o.stream_id FROM ledger_events o JOIN jsonb_to_recordset($8::jsonb) AS k(type text, field text) ON o.type = k.type
             WHERE o.data->>k.field = $7))
        ORDER BY global_position LIMIT $6`,
      [filter.after ?? 0, filter.unitId ?? null, filter.keyId ?? null,
        filter.from === undefined ? null : toTimestamp(filter.from, 'from', 'cutStart'), toTimestamp(filter.to, 'to'),
        Math.min(Math.max(filter.limit ?? 1000, 1), 10000),
        filter.owner?.unitId ?? null, JSON.stringify(filter.owner?.keys ?? []), filter.owner?.streams ?? []],
    );
    return rows.map((r) => this.toEvent(r));
  }

  /**
   * Events exactly as stored — data and metadata as PostgreSQL's jsonb text, no upcasting — in
   * position order, batch by batch: what an export bundle needs to let anyone recompute each hash.
   */
  async *exportRange(range: { after?: number; to?: number; batchSize?: number } = {}): AsyncGenerator<ExportedEvent[]> {
    let after = range.after ?? 0;
    for (;;) {
      const { rows } = await this.feedQuery<ExportedRow>(
        `SELECT ${EXPORT_COLUMNS} FROM ledger_events WHERE global_position > $1 AND global_position <= $2
            AND tx_id < (SELECT ledger_feed_horizon())
          ORDER BY global_position LIMIT $3`,
        [after, range.to ?? Number.MAX_SAFE_INTEGER, range.batchSize ?? 5000],
      );
      if (rows.length === 0) return;
      yield rows.map(toExported);
      after = Number(rows[rows.length - 1].global_position);
    }
  }

  /** The highest position a gap-free reader can see now (0 when the ledger is empty). */
  async headPosition(): Promise<number> {
    const { rows } = await this.query<{ p: string | null }>(
      `SELECT max(global_position) AS p FROM ledger_events WHERE tx_id < (SELECT ledger_feed_horizon())`,
    );
    return Number(rows[0].p ?? 0);
  }

  /**
   * The last position the ledger has handed out (0 when none): committed, or reserved by an append
   * still in flight (or rolled back). No event can ever appear above it without another append.
   */
  async lastAssignedPosition(): Promise<number> {
    const { rows } = await this.query<{ p: string }>(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS p FROM ledger_position_seq`);
    return Number(rows[0].p);
  }

  /**
   * Checks the whole ledger in one snapshot (check.ts): every event's hash recomputed, every stream's
   * chain walked to its head row, every append's signature against `keys` (the key file's, never the
   * database's), recording times, and the Merkle tree rebuilt and compared with every signed head in
   * the database and the `trusted` ones (kept outside it). Reports the lowest position that is wrong
   * or missing, or the range where the tree stops matching a head.
   */
  async verify(options: { keys?: PublicKeys; trusted?: TreeHead[]; threads?: number } = {}): Promise<VerifyResult> {
    const run = async (client: Pick<PoolClient, 'query'>) => {
      const heads = await new LedgerTree(this.pool).heads(client);
      const check = new LedgerCheck({ keys: options.keys, heads, trusted: options.trusted });
      // A large ledger is examined on worker threads (verify-pool.ts), as the offline verify does: the
      // event loop, which answers every other request meanwhile, only reads the rows and applies the answers.
      const { rows: [{ n }] } = await client.query<{ n: string }>('SELECT count(*) AS n FROM ledger_events');
      const threads = options.threads ?? (Number(n) >= WORKERS_FROM_EVENTS ? ExaminePool.defaultThreads() : 0);
      const pool = threads > 0 ? new ExaminePool(options.keys?.records, threads) : undefined;
      const inFlight: Promise<Examined>[] = [];
      try {
        for (let after = 0; ;) {
          const { rows } = await client.query<ExportedRow>(
            `SELECT ${EXPORT_COLUMNS} FROM ledger_events WHERE global_position > $1 ORDER BY global_position LIMIT 1000`, [after]);
          if (rows.length === 0) break;
          if (!pool) for (const row of rows) check.add(toExported(row));
          else {
            inFlight.push(pool.examine(Buffer.from(rows.map((r) => JSON.stringify(toExported(r))).join('\n'), 'utf8')));
            while (inFlight.length > 2 * threads) check.apply(await inFlight.shift()!);
          }
          after = Number(rows[rows.length - 1].global_position);
        }
        for (let x = inFlight.shift(); x; x = inFlight.shift()) check.apply(await x);
      } finally {
        await Promise.allSettled(inFlight);
        await pool?.close();
      }
      const { rows: streams } = await client.query<{ stream_id: string; version: number; head_position: string; head_hash: string }>(
        `SELECT stream_id, version, head_position, encode(head_hash, 'hex') AS head_hash FROM ledger_streams`);
      return check.finish(streams.map((h) => ({ streamId: h.stream_id, version: h.version, position: Number(h.head_position), hash: h.head_hash })));
    };
    if (this.session) return run(this.session);
    return this.inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', run);
  }

  private prepare(streamId: string, events: NewEvent[], batchMetadata: EventMetadata = {}, idempotencyKey?: string) {
    if (typeof streamId !== 'string' || streamId.trim().length === 0 || streamId.length > MAX_STREAM_ID_LENGTH
      || hasControlCharacter(streamId)) {
      throw new LedgerInputError('stream_id.invalid', 'streamId',
        `Stream id must be 1 to ${MAX_STREAM_ID_LENGTH} printable characters`, { max: MAX_STREAM_ID_LENGTH });
    }
    if (!Array.isArray(events) || events.length === 0) {
      throw new LedgerInputError('events.empty', 'events', 'An append needs at least one event');
    }
    if (events.length > this.maxEventsPerAppend) {
      throw new LedgerInputError('events.too_many', 'events', `At most ${this.maxEventsPerAppend} events per append`, { max: this.maxEventsPerAppend });
    }
    const signer = this.options.signer;
    // A signed append's data and metadata are written as canonical text, which its signature covers.
    const text = signer ? canonicalText : JSON.stringify;
    const rows = events.map((event, i) => {
      const field = `events[${i}]`;
      if (typeof event.type !== 'string' || !/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/.test(event.type)) {
        throw new LedgerInputError('event.type_invalid', `${field}.type`, 'Event type must be an identifier of at most 100 characters');
      }
      const schemaVersion = event.schemaVersion ?? 1;
      if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > 1000) {
        throw new LedgerInputError('event.schema_version_invalid', `${field}.schemaVersion`, 'Schema version must be a positive integer');
      }
      const given = event.eventId ?? uuidv7();
      if (!isUuid(given)) throw new LedgerInputError('event.id_invalid', `${field}.eventId`, 'Event id must be a UUID');
      // As the uuid column stores it (and so as the verifiers read it back): lower case.
      const eventId = given.toLowerCase();
      const occurredAt = toTimestamp(event.occurredAt, `${field}.occurredAt`, 'occurrence');
      if (occurredAt === null) {
        throw new LedgerInputError('event.occurred_at_invalid', `${field}.occurredAt`, 'occurredAt is required');
      }
      assertSerialisable(event.data, `${field}.data`);
      const data = text(event.data ?? null);
      const size = Buffer.byteLength(data, 'utf8');
      if (size > this.maxPayloadBytes) {
        throw new LedgerInputError('payload.too_large', `${field}.data`,
          `Event data is ${size} bytes; the limit is ${this.maxPayloadBytes}`, { size, limit: this.maxPayloadBytes });
      }
      const metadata = { ...batchMetadata, ...event.metadata };
      assertSerialisable(metadata, `${field}.metadata`);
      return {
        event: { eventId, type: event.type, schemaVersion, data, metadata: text(metadata), occurredAt: utcMicros(occurredAt)! },
        fingerprint: [event.type, schemaVersion, event.data ?? null, occurredAt],
      };
    });
    return {
      // The rows as ledger_append reads them (data and metadata are JSON texts already), each without
      // its closing brace: an append committed alone puts its signature there (rowEnd, sealed); a group's goes to the server once.
      rows: rows.map(({ event: e }) => `{"eventId":"${e.eventId}","type":"${e.type}","schemaVersion":${e.schemaVersion},"data":${e.data},`
        + `"metadata":${e.metadata},"occurredAt":"${e.occurredAt}"`),
      // What the signature covers of each event (signing.ts).
      texts: signer && rows.map((r) => eventText(r.event, streamId, idempotencyKey ?? null)),
      fingerprint: rows.map((r) => r.fingerprint),
    };
  }

  /** The end of the last row of an append committed alone: when signed, the key id and the signature over its events (signing.ts, appendMessage). */
  private rowEnd(append: Append): string {
    const signer = this.options.signer;
    if (!signer) return '}';
    return `,"keyId":${JSON.stringify(signer.keyId)},"signature":"${signer.sign(appendMessage(append.texts!)).toString('base64')}"}`;
  }

  /**
   * The append's rows as the database reads them (JSON), the last ended by `end`; when that carries a
   * signature, the others by an empty one (signing.ts: stored once, on the last row it covers).
   */
  private sealed(a: Append, end: string): string {
    const others = end === '}' ? '}' : ',"signature":""}';
    return `[${a.rows.map((r, i) => r + (i === a.rows.length - 1 ? end : others)).join(',')}]`;
  }

  private upcast(type: string, storedVersion: number, storedData: unknown) {
    let schemaVersion = storedVersion;
    let data = storedData;
    for (let u = this.upcasters.get(`${type}@${schemaVersion}`); u; u = this.upcasters.get(`${type}@${schemaVersion}`)) {
      data = u.upcast(data);
      schemaVersion++;
    }
    return { schemaVersion, data };
  }

  private toEvent(row: EventRow): StoredEvent {
    const type = row.type;
    const { schemaVersion, data } = this.upcast(type, row.schema_version, row.data);
    const { actor, correlationId, causationId } = row.metadata ?? {};
    return {
      eventId: row.event_id,
      streamId: row.stream_id,
      streamVersion: row.stream_version,
      globalPosition: Number(row.global_position),
      type,
      schemaVersion,
      data,
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      ...(actor && { actor }),
      ...(correlationId && { correlationId }),
      ...(causationId && { causationId }),
      ...(row.idempotency_key !== null && { idempotencyKey: row.idempotency_key }),
      ...(row.prev_position !== null && { prevPosition: Number(row.prev_position) }),
      prevHash: row.prev_hash,
      hash: row.hash,
    };
  }
}

const parseExpectedVersion = (expected: ExpectedVersion | undefined): number | null => {
  if (expected === undefined || expected === 'any') return null;
  if (expected === 'no_stream') return 0;
  if (Number.isInteger(expected) && expected >= 0 && expected <= 2147483647) return expected;
  throw new LedgerInputError('expected_version.invalid', 'expectedVersion',
    'Expected version must be a non-negative integer, "no_stream" or "any"');
};

/** The jsonb that ledger_append returns and ledger_idempotency stores. */
type StoredResult = Omit<AppendResult, 'streamId' | 'duplicate'> & { duplicate?: boolean };
/** What ledger_append_group answers for one append of the group. */
type GroupResult = StoredResult | { error: 'RL409'; actual: number } | { error: 'RL422' };

/** An append ready for the server: checked, its events as JSON, its request's fingerprint. */
type Append = {
  streamId: string; expected: number | null; expectedOption: ExpectedVersion | undefined; key: string | null;
  fingerprint: string; count: number;
  /** Ledger.prepare's rows and, when signed, what the signature covers of each event (signing.ts, eventText). */
  rows: string[]; texts: string[] | undefined;
};
type Waiting = Append & { resolve: (result: AppendResult) => void; reject: (error: unknown) => void };
/** From this many events, verify examines them on worker threads (starting them costs more below). */
const WORKERS_FROM_EVENTS = 20_000;
/**
 * Commits in flight at once, and appends in one group. Two rather than four: on 2 cores, 32 writers
 * appended 10–30 % faster with two (larger groups: fewer commits and, when signed, fewer signatures).
 */
const GROUPS_IN_FLIGHT = 2;
const MAX_GROUP_APPENDS = 256;

const toAppendResult = (streamId: string, r: StoredResult): AppendResult => ({
  streamId,
  streamVersion: r.streamVersion,
  firstPosition: Number(r.firstPosition),
  lastPosition: Number(r.lastPosition),
  eventIds: r.eventIds,
  recordedAt: r.recordedAt,
  duplicate: r.duplicate === true,
});

/** An occurrence as the ledger has always stored it: a date at 00:00 UTC (see @reform-ledger/calendar), a datetime as written. */
const occurrenceText = (value: Date | string): string | undefined => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (isCalendarDate(value)) return `${value}T00:00:00Z`;
  return isDateTime(value) ? value : undefined;
};

/**
 * A Date or an ISO-8601 date/datetime, checked (calendar-impossible dates are refused), as text
 * PostgreSQL reads without loss (microseconds kept). `as` says what a bare date means: for a stored
 * occurrence, the date itself (00:00 UTC); as the end of a cut, the whole of that day in the ledger's
 * time zone; as the start of a range, from the start of that day.
 */
const toTimestamp = (value: Date | string | undefined, field: string, as: 'occurrence' | 'cutEnd' | 'cutStart' = 'cutEnd'): string | null => {
  if (value === undefined || value === null) return null;
  const text = as === 'occurrence' ? occurrenceText(value) : as === 'cutEnd' ? cutEnd(value) : cutStart(value);
  if (text === undefined) {
    throw new LedgerInputError('event.occurred_at_invalid', field, `${field} must be an ISO-8601 date or datetime`);
  }
  return text;
};

/** Only JSON data: plain objects, arrays, strings without NUL, finite numbers, booleans, null. */
const assertSerialisable = (value: unknown, field: string, seen = new Set<object>(), depth = 1): void => {
  const fail = (reason: string): never => {
    throw new LedgerInputError('payload.not_serialisable', field, `${field} ${reason}`);
  };
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) fail('contains a NUL character');
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail('is not a finite number');
    return;
  }
  if (typeof value !== 'object') fail(`holds a ${typeof value}, which JSON cannot carry`);
  const object = value as object;
  if (seen.has(object)) fail('is circular');
  // Walked (here, by the canonical text, by every verifier) recursively: a bound, far above any event's.
  if (depth > MAX_DEPTH) fail(`is nested more than ${MAX_DEPTH} levels deep`);
  seen.add(object);
  if (Array.isArray(object)) {
    const items = object as unknown[];
    for (let i = 0; i < items.length; i++) {
      if (!(i in items)) fail(`has an empty slot at ${i}`);
      assertSerialisable(items[i], `${field}[${i}]`, seen, depth + 1);
    }
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) fail(`is a ${proto?.constructor?.name ?? 'class'} instance, not plain data`);
    for (const [k, v] of Object.entries(object)) {
      if (v === undefined) continue;
      assertSerialisable(v, `${field}.${k}`, seen, depth + 1);
    }
  }
  seen.delete(object);
};

const hasControlCharacter = (value: string) => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const fingerprintOf = (request: unknown) => createHash('sha256').update(canonicalJson(request)).digest('hex');

export { canonicalJson };

