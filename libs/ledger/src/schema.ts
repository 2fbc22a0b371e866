import type { Pool } from 'pg';
import { withTransaction } from './transaction';

/**
 * Versioned schema migrations. Each runs once, in order, inside one transaction that holds a
 * transaction-scoped advisory lock, so two processes starting at once apply them exactly once
 * (the second waits, then finds them recorded). Applied migrations are never edited: add a new one.
 */
/**
 * The append function. Version 1 stamped recorded_at with now(), the start of the transaction, so
 * two concurrent appends could get positions in one order and times in the other. From version 2
 * the time is read inside the position lock: recorded_at grows with global_position, and a
 * transaction-time cut (knownAt) is a position cut. Version 1's text is kept byte for byte.
 */
const CLOCK_IN_LOCK = `  -- Transaction time, read in position order (migration 2).
  v_now := clock_timestamp();
`;
/**
 * Gap-free feed, step 1 of 2 (readers do step 2, see Ledger.readAll), from migration 5. The rows of
 * an append carry a feed stamp in tx_id; a reader returns a row once its transaction has committed
 * and every transaction id up to its stamp has ended. The stamp is taken under one short session
 * advisory lock, with the append's positions, and never falls below the stamp before it (kept in
 * ledger_feed_stamp_seq): so stamps grow with positions, and a row that commits later than a reader's
 * read has a stamp, hence a position, above everything that reader returned.
 * A transaction's first write takes its id here, after every id handed out so far: the stamp is its
 * id. A later append of the same transaction (Ledger.transaction) has an id older than the writers
 * that reserved positions since its first; it takes the latest stamp, so its rows wait for them too.
 * (Before migration 5 the stamp was always the id: such an append could be read, and checkpointed
 * past, while a writer in between, below it, was still in flight.)
 */
const FEED_STAMP = `  v_tx := pg_current_xact_id_if_assigned();
  PERFORM pg_advisory_lock(7246183901);
  IF v_tx IS NULL THEN
    v_tx := pg_current_xact_id();
  ELSE
    v_tx := greatest(v_tx, (SELECT last_value FROM ledger_feed_stamp_seq)::text::xid8);
  END IF;
  PERFORM setval('ledger_feed_stamp_seq', v_tx::text::bigint);
`;
const ledgerAppend = (create: string, clock: 'now' | 'in_lock', signed = false, stamped = false) => `-- Appends a batch to one stream in one round trip. Errors: RL409 (version conflict; DETAIL holds
-- the actual version), RL422 (idempotency key reused for another request), 23505 (a concurrent
-- append with the same key committed first).
${create} ledger_append(p_stream_id text, p_expected integer, p_idempotency_key text,
                              p_fingerprint text, p_events jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  n integer := jsonb_array_length(p_events);
  v_first bigint;
  v_version integer;
  v_head_hash bytea;
  v_head_position bigint;
  v_exists boolean;
  v_now timestamptz${clock === 'now' ? ' := now()' : ''};${stamped ? '\n  v_tx xid8;' : ''}
  v_result jsonb;
  e jsonb;
  i integer;
  a_position bigint[] := '{}';
  a_prev_position bigint[] := '{}';
  a_version integer[] := '{}';
  a_prev_hash bytea[] := '{}';
  a_hash bytea[] := '{}';
BEGIN
  -- A retry of an append that already committed returns the original result and writes nothing.
  v_result := ledger_idempotent_result(p_stream_id, p_idempotency_key, p_fingerprint);
  IF v_result IS NOT NULL THEN RETURN v_result; END IF;

  -- Fail fast, without queueing behind the stream's lock: versions only grow, so a stream already
  -- past the expected version can never match it.
  IF p_expected IS NOT NULL THEN
    SELECT version INTO v_version FROM ledger_streams WHERE stream_id = p_stream_id;
    IF FOUND AND v_version > p_expected THEN
      RETURN ledger_refuse_stale(p_stream_id, p_idempotency_key, p_fingerprint, v_version);
    END IF;
  END IF;

  -- One append per stream at a time, until commit. An advisory lock (not a row lock) so that this
  -- transaction still has no transaction id when it enters the gap-free section below.
  PERFORM pg_advisory_xact_lock(72461839, hashtext(p_stream_id));

  SELECT version, head_hash, head_position INTO v_version, v_head_hash, v_head_position
    FROM ledger_streams WHERE stream_id = p_stream_id;
  v_exists := FOUND;
  IF NOT v_exists THEN
    v_version := 0; v_head_hash := ''::bytea; v_head_position := NULL;
  END IF;
  IF p_expected IS NOT NULL AND p_expected <> v_version THEN
    -- The winner of the race may have been our own earlier attempt with the same key.
    RETURN ledger_refuse_stale(p_stream_id, p_idempotency_key, p_fingerprint, v_version);
  END IF;

${stamped ? `  -- Gap-free feed, step 1 of 2 (readers do step 2, see Ledger.readAll): under a short session
  -- advisory lock, the rows' feed stamp (FEED_STAMP in schema.ts) and then their positions, so
  -- stamps and positions grow together. Under the stream lock, so a stream's versions and positions
  -- grow together.
` : `  -- Gap-free feed, step 1 of 2 (readers do step 2, see Ledger.readAll). Under a short session
  -- advisory lock, take this transaction's id and then reserve its positions. So for any two
  -- appends, the one with the smaller transaction id holds the smaller positions. This runs
  -- before any write of this transaction (a write would assign the id outside the lock), and
  -- under the stream lock, so a stream's versions and positions grow together.
`}${stamped ? FEED_STAMP : `  PERFORM pg_advisory_lock(7246183901);
  PERFORM pg_current_xact_id();
`}${clock === 'now' ? '' : CLOCK_IN_LOCK}  v_first := nextval('ledger_position_seq');
  IF n > 1 THEN PERFORM setval('ledger_position_seq', v_first + n - 1); END IF;
  PERFORM pg_advisory_unlock(7246183901);

  FOR i IN 0 .. n - 1 LOOP
    e := p_events -> i;
    v_version := v_version + 1;
    a_position := a_position || (v_first + i);
    a_prev_position := a_prev_position || v_head_position;
    a_version := a_version || v_version;
    a_prev_hash := a_prev_hash || v_head_hash;
    v_head_hash := ledger_event_hash(v_head_hash, (e->>'eventId')::uuid, p_stream_id, v_version, v_first + i,
      v_head_position, e->>'type', (e->>'schemaVersion')::integer, e->'data', e->'metadata',
      (e->>'occurredAt')::timestamptz, v_now, p_idempotency_key);
    a_hash := a_hash || v_head_hash;
    v_head_position := v_first + i;
  END LOOP;

  INSERT INTO ledger_events (global_position, tx_id, event_id, stream_id, stream_version, prev_position, type,
    schema_version, data, metadata, occurred_at, recorded_at, idempotency_key, prev_hash, hash${signed ? ', key_id, signature' : ''})
  SELECT a_position[k], ${stamped ? 'v_tx' : 'pg_current_xact_id()'}, (ev->>'eventId')::uuid, p_stream_id, a_version[k], a_prev_position[k],
    ev->>'type', (ev->>'schemaVersion')::integer, ev->'data', ev->'metadata', (ev->>'occurredAt')::timestamptz,
    v_now, p_idempotency_key, a_prev_hash[k], a_hash[k]${signed ? ", ev->>'keyId', decode(ev->>'signature', 'base64')" : ''}
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(ev, k);

  IF v_exists THEN
    UPDATE ledger_streams SET version = v_version, head_position = v_head_position, head_hash = v_head_hash,
      updated_at = v_now WHERE stream_id = p_stream_id;
  ELSE
    INSERT INTO ledger_streams (stream_id, version, head_position, head_hash, updated_at)
      VALUES (p_stream_id, v_version, v_head_position, v_head_hash, v_now);
  END IF;

  v_result := jsonb_build_object('streamVersion', v_version, 'firstPosition', v_first,
    'lastPosition', v_head_position, 'eventIds', (SELECT jsonb_agg(ev->'eventId') FROM jsonb_array_elements(p_events) ev),
    'recordedAt', to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
  IF p_idempotency_key IS NOT NULL THEN
    INSERT INTO ledger_idempotency (stream_id, idempotency_key, fingerprint, result)
      VALUES (p_stream_id, p_idempotency_key, p_fingerprint, v_result);
  END IF;
  RETURN v_result;
END
$$;
`;

/**
 * Group commit (migration 4): the appends of several callers in one transaction, so one commit (one
 * WAL flush) and one gap-free section serve them all. Each item is decided as ledger_append decides
 * one append, in the order given: its idempotency key (a retry gets the first result, another request
 * under the key RL422), then its expected version against the stream as the items before it left it
 * (RL409 with the actual version); what is accepted is appended with positions reserved once for the
 * whole group. A refused item is reported in the result, not raised, so the others still commit.
 * Every stream of the group is locked first, in one order, so two groups never wait on each other.
 */
const ledgerAppendGroup = (create: string, stamped = false, indexed = false, signed = false, once = false) => `-- Appends the items [{ s: stream, x: expected|null, k: key|null, f: fingerprint, e: events }],
-- one transaction for all. Returns, per item, ledger_append's result or { error: 'RL409', actual } or
-- { error: 'RL422' }.${signed ? `
-- A group signed as one (p_signature, by key p_key_id: one signature over all its events, stored on
-- ${once ? "its last row, the others holding an empty one" : 'every row'}) is appended all or none: if any item is refused or a duplicate, nothing is written and
-- RL412 is raised.` : ''}
${create} ledger_append_group(p_items jsonb${signed ? ', p_key_id text DEFAULT NULL, p_signature bytea DEFAULT NULL' : ''})
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  n integer := jsonb_array_length(p_items);
  v_item jsonb;
  v_events jsonb;
  v_stream text;
  v_key text;
  v_slot integer;
  v_expected integer;
  v_version integer;
  v_position bigint;
  v_hash bytea;
  v_same integer;
  v_count integer;
  -- The group's streams (slots) with, per slot, the head as stored and as the group leaves it.
  v_streams text[];
  v_versions integer[];
  v_stored_versions integer[];
  v_heads_position bigint[];
  v_heads_hash bytea[];
  v_touched boolean[];
  -- Idempotency keys already stored for the group's items, and the keys accepted in this group.
  v_stored jsonb;
  v_keys text[] := '{}';
  v_key_items integer[] := '{}';
  v_results jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
  v_same_as integer[] := array_fill(NULL::integer, ARRAY[n]);
  v_accepted integer[] := '{}';
  v_total integer := 0;
  v_first bigint;
  v_item_first bigint;
  v_next bigint;
  v_now timestamptz;${stamped ? '\n  v_tx xid8;' : ''}
  v_recorded text;
  m integer := 0;
  i integer;
  j integer;
  a_position bigint[] := '{}';
  a_prev_position bigint[] := '{}';
  a_version integer[] := '{}';
  a_prev_hash bytea[] := '{}';
  a_hash bytea[] := '{}';
  a_stream text[] := '{}';
  a_key text[] := '{}';
  a_event jsonb[] := '{}';
BEGIN
  SELECT array_agg(s ORDER BY hashtext(s), s) INTO v_streams FROM (SELECT DISTINCT x->>'s' AS s FROM jsonb_array_elements(p_items) x) t;
  -- One append per stream at a time, until commit (the lock ledger_append takes), in ascending order
  -- of the lock, so that two groups never wait on each other in a cycle.
  PERFORM pg_advisory_xact_lock(72461839, hashtext(s)) FROM unnest(v_streams) WITH ORDINALITY u(s, o) ORDER BY o;
  SELECT array_agg(coalesce(h.version, 0) ORDER BY u.o), array_agg(h.head_position ORDER BY u.o),
         array_agg(coalesce(h.head_hash, ''::bytea) ORDER BY u.o), array_agg(false ORDER BY u.o)
    INTO v_versions, v_heads_position, v_heads_hash, v_touched
${indexed ? `    FROM unnest(v_streams) WITH ORDINALITY u(s, o)
    LEFT JOIN LATERAL (SELECT * FROM ledger_streams WHERE stream_id = u.s LIMIT 1) h ON true;` : `    FROM unnest(v_streams) WITH ORDINALITY u(s, o) LEFT JOIN ledger_streams h ON h.stream_id = u.s;`}
  v_stored_versions := v_versions;
  SELECT jsonb_object_agg(d.stream_id || E'\\n' || d.idempotency_key, jsonb_build_array(d.fingerprint, d.result)) INTO v_stored
${indexed ? `    FROM (SELECT x->>'s' AS s, x->>'k' AS k FROM jsonb_array_elements(p_items) x WHERE x->>'k' IS NOT NULL) q
    JOIN LATERAL (SELECT * FROM ledger_idempotency WHERE stream_id = q.s AND idempotency_key = q.k LIMIT 1) d ON true;` : `    FROM ledger_idempotency d JOIN (SELECT x->>'s' AS s, x->>'k' AS k FROM jsonb_array_elements(p_items) x WHERE x->>'k' IS NOT NULL) q
      ON d.stream_id = q.s AND d.idempotency_key = q.k;`}

  FOR i IN 0 .. n - 1 LOOP
    v_item := p_items -> i;
    v_stream := v_item->>'s';
    v_key := v_item->>'k';
    IF v_key IS NOT NULL THEN
      -- A retry of an append already stored gets its result; another request under the key RL422.
      IF v_stored ? (v_stream || E'\\n' || v_key) THEN
        v_results[i + 1] := CASE WHEN v_stored->(v_stream || E'\\n' || v_key)->>0 = v_item->>'f'
          THEN (v_stored->(v_stream || E'\\n' || v_key)->1) || '{"duplicate": true}' ELSE '{"error": "RL422"}' END;
        CONTINUE;
      END IF;
      -- The same key accepted earlier in this group: the same request gets its result (a duplicate).
      v_same := array_position(v_keys, v_stream || E'\\n' || v_key);
      IF v_same IS NOT NULL THEN
        v_same := v_key_items[v_same];
        IF p_items->v_same->>'f' = v_item->>'f' THEN v_same_as[i + 1] := v_same;
        ELSE v_results[i + 1] := '{"error": "RL422"}';
        END IF;
        CONTINUE;
      END IF;
    END IF;
    v_slot := array_position(v_streams, v_stream);
    v_expected := (v_item->>'x')::integer;
    IF v_expected IS NOT NULL AND v_expected <> v_versions[v_slot] THEN
      v_results[i + 1] := jsonb_build_object('error', 'RL409', 'actual', v_versions[v_slot]);
      CONTINUE;
    END IF;
    v_count := jsonb_array_length(v_item->'e');
    v_versions[v_slot] := v_versions[v_slot] + v_count;
    IF v_key IS NOT NULL THEN
      v_keys := v_keys || (v_stream || E'\\n' || v_key);
      v_key_items := v_key_items || i;
    END IF;
    v_accepted := v_accepted || i;
    v_total := v_total + v_count;
  END LOOP;
${signed ? `  IF p_signature IS NOT NULL AND coalesce(array_length(v_accepted, 1), 0) < n THEN
    RAISE EXCEPTION 'ledger_append_group: % of % items refused or duplicates, nothing appended', n - coalesce(array_length(v_accepted, 1), 0), n
      USING ERRCODE = 'RL412';
  END IF;
` : ''}
  IF v_total > 0 THEN
    -- Gap-free feed, step 1 of 2, as in ledger_append: no write before this point, so the
    -- transaction id is taken here, with every position of the group.
${stamped ? FEED_STAMP.replace(/^(?=.)/gm, '  ') : `    PERFORM pg_advisory_lock(7246183901);
    PERFORM pg_current_xact_id();
`}    v_now := clock_timestamp();
    v_first := nextval('ledger_position_seq');
    IF v_total > 1 THEN PERFORM setval('ledger_position_seq', v_first + v_total - 1); END IF;
    PERFORM pg_advisory_unlock(7246183901);
    v_recorded := to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');

    -- The chains, from the heads as stored, stream by stream in the order of the items.
    v_versions := v_stored_versions;
    v_next := v_first;
    FOREACH i IN ARRAY v_accepted LOOP
      v_item := p_items -> i;
      v_stream := v_item->>'s';
      v_key := v_item->>'k';
      v_events := v_item->'e';
      v_slot := array_position(v_streams, v_stream);
      v_version := v_versions[v_slot];
      v_position := v_heads_position[v_slot];
      v_hash := v_heads_hash[v_slot];
      v_item_first := v_next;
      FOR j IN 0 .. jsonb_array_length(v_events) - 1 LOOP
        m := m + 1;
        v_version := v_version + 1;
        a_position[m] := v_next;
        a_prev_position[m] := v_position;
        a_version[m] := v_version;
        a_prev_hash[m] := v_hash;
        a_stream[m] := v_stream;
        a_key[m] := v_key;
        a_event[m] := v_events -> j;
        v_hash := ledger_event_hash(v_hash, (a_event[m]->>'eventId')::uuid, v_stream, v_version, v_next, v_position,
          a_event[m]->>'type', (a_event[m]->>'schemaVersion')::integer, a_event[m]->'data', a_event[m]->'metadata',
          (a_event[m]->>'occurredAt')::timestamptz, v_now, v_key);
        a_hash[m] := v_hash;
        v_position := v_next;
        v_next := v_next + 1;
      END LOOP;
      v_versions[v_slot] := v_version;
      v_heads_position[v_slot] := v_position;
      v_heads_hash[v_slot] := v_hash;
      v_touched[v_slot] := true;
      v_results[i + 1] := jsonb_build_object('streamVersion', v_version, 'firstPosition', v_item_first, 'lastPosition', v_position,
        'eventIds', jsonb_path_query_array(v_events, '$[*].eventId'), 'recordedAt', v_recorded);
    END LOOP;

    INSERT INTO ledger_events (global_position, tx_id, event_id, stream_id, stream_version, prev_position, type,
      schema_version, data, metadata, occurred_at, recorded_at, idempotency_key, prev_hash, hash, key_id, signature)
    SELECT a_position[k], ${stamped ? 'v_tx' : 'pg_current_xact_id()'}, (ev->>'eventId')::uuid, a_stream[k], a_version[k], a_prev_position[k],
      ev->>'type', (ev->>'schemaVersion')::integer, ev->'data', ev->'metadata', (ev->>'occurredAt')::timestamptz,
      v_now, a_key[k], a_prev_hash[k], a_hash[k], ${signed ? (once ? `CASE WHEN k = m THEN p_key_id END,
      CASE WHEN p_signature IS NULL THEN NULL WHEN k = m THEN p_signature ELSE ''::bytea END` : 'p_key_id, p_signature') : "ev->>'keyId', decode(ev->>'signature', 'base64')"}
    FROM unnest(a_event) WITH ORDINALITY AS t(ev, k);

    INSERT INTO ledger_streams (stream_id, version, head_position, head_hash, updated_at)
    SELECT v_streams[o], v_versions[o], v_heads_position[o], v_heads_hash[o], v_now FROM generate_subscripts(v_streams, 1) o WHERE v_touched[o]
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, head_position = EXCLUDED.head_position,
      head_hash = EXCLUDED.head_hash, updated_at = EXCLUDED.updated_at;

    IF array_length(v_key_items, 1) > 0 THEN
      INSERT INTO ledger_idempotency (stream_id, idempotency_key, fingerprint, result)
      SELECT p_items->u.i->>'s', p_items->u.i->>'k', p_items->u.i->>'f', v_results[u.i + 1] FROM unnest(v_key_items) AS u(i);
    END IF;
  END IF;

  FOR i IN 1 .. n LOOP
    IF v_same_as[i] IS NOT NULL THEN v_results[i] := v_results[v_same_as[i] + 1] || '{"duplicate": true}'; END IF;
  END LOOP;
  RETURN to_jsonb(v_results);
END
$$;
`;

export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'ledger tables, append function, integrity hash',
    sql: /* sql */ `
CREATE SEQUENCE ledger_position_seq AS bigint;

CREATE TABLE ledger_events (
  global_position bigint PRIMARY KEY,
  tx_id xid8 NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  stream_id text NOT NULL,
  stream_version integer NOT NULL,
  prev_position bigint,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  idempotency_key text,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  UNIQUE (stream_id, stream_version)
);

-- One row per stream: its version and the head of its hash chain (detects a deleted last event).
CREATE TABLE ledger_streams (
  stream_id text PRIMARY KEY,
  version integer NOT NULL,
  head_position bigint NOT NULL,
  head_hash bytea NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE ledger_idempotency (
  stream_id text NOT NULL,
  idempotency_key text NOT NULL,
  fingerprint text NOT NULL,
  result jsonb NOT NULL,
  PRIMARY KEY (stream_id, idempotency_key)
);

CREATE TABLE ledger_checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The integrity hash of one event: sha256(previous hash in the stream || canonical text of every
-- stored field). jsonb's text form is canonical (keys ordered, whitespace fixed), timestamps are
-- rendered in UTC to the microsecond, so the same row always hashes the same on any server.
CREATE FUNCTION ledger_event_hash(
  prev_hash bytea, event_id uuid, stream_id text, stream_version integer, global_position bigint,
  prev_position bigint, type text, schema_version integer, data jsonb, metadata jsonb,
  occurred_at timestamptz, recorded_at timestamptz, idempotency_key text
) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT sha256(prev_hash || convert_to(jsonb_build_array(
    event_id, stream_id, stream_version, global_position, prev_position, type, schema_version, data, metadata,
    to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    idempotency_key)::text, 'UTF8'))
$$;

-- The stored result of an earlier append with this key (flagged duplicate), or NULL; RL422 when
-- the key was used for a different request.
CREATE FUNCTION ledger_idempotent_result(p_stream_id text, p_key text, p_fingerprint text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v record;
BEGIN
  IF p_key IS NULL THEN RETURN NULL; END IF;
  SELECT fingerprint, result INTO v FROM ledger_idempotency WHERE stream_id = p_stream_id AND idempotency_key = p_key;
  IF NOT FOUND THEN RETURN NULL; END IF;
  IF v.fingerprint <> p_fingerprint THEN
    RAISE EXCEPTION 'idempotency key reused' USING ERRCODE = 'RL422';
  END IF;
  RETURN v.result || '{"duplicate": true}';
END
$$;

-- Refuses an append whose expected version is stale (RL409, DETAIL = the actual version), unless
-- the append was already made under this key, whose result it then returns.
CREATE FUNCTION ledger_refuse_stale(p_stream_id text, p_key text, p_fingerprint text, p_actual integer)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_result jsonb := ledger_idempotent_result(p_stream_id, p_key, p_fingerprint);
BEGIN
  IF v_result IS NOT NULL THEN RETURN v_result; END IF;
  RAISE EXCEPTION 'version conflict' USING ERRCODE = 'RL409', DETAIL = p_actual::text;
END
$$;

${ledgerAppend('CREATE FUNCTION', 'now')}`,
  },
  {
    version: 2,
    name: 'recorded_at in position order; index for transaction-time cuts',
    sql: /* sql */ `
${ledgerAppend('CREATE OR REPLACE FUNCTION', 'in_lock')}
CREATE INDEX ledger_events_recorded_at ON ledger_events (recorded_at, global_position);
`,
  },
  {
    version: 3,
    name: 'signed appends, the Merkle tree and its signed heads; no checkpoints',
    sql: /* sql */ `
-- The append's Ed25519 signature (signing.ts) and the id of the key that made it; NULL on events
-- recorded before this migration.
ALTER TABLE ledger_events ADD COLUMN key_id text, ADD COLUMN signature bytea;
${ledgerAppend('CREATE OR REPLACE FUNCTION', 'in_lock', true)}
-- The RFC 9162 Merkle tree over the gap-free feed (merkle.ts, tree.ts): every perfect subtree, by
-- level and index; a leaf (level 0) is the event at rank \`index\` of the feed, at \`position\`.
CREATE TABLE ledger_tree (
  level smallint NOT NULL,
  index bigint NOT NULL,
  hash bytea NOT NULL,
  position bigint,
  PRIMARY KEY (level, index)
);
CREATE UNIQUE INDEX ledger_tree_leaf_position ON ledger_tree (position) WHERE level = 0;

-- Signed tree heads (signing.ts, TreeHead). The key is outside the database: a row here that its
-- key did not sign is refused by every verifier.
CREATE TABLE ledger_tree_heads (
  tree_size bigint PRIMARY KEY,
  root_hash bytea NOT NULL,
  last_position bigint NOT NULL,
  signed_at text NOT NULL,
  key_id text NOT NULL,
  signature bytea NOT NULL
);

-- Copies of the public keys (the key file's own list is the authority), for exports and backups.
CREATE TABLE ledger_signing_keys (
  key_id text PRIMARY KEY,
  record jsonb NOT NULL
);

-- The checkpointed consumer (consumer.ts) had no user but its own test: the projector keeps its own.
DROP TABLE ledger_checkpoints;
`,
  },
  {
    version: 4,
    name: 'group commit: the appends of several callers in one transaction',
    sql: ledgerAppendGroup('CREATE FUNCTION'),
  },
  {
    version: 5,
    name: 'feed stamps: a transaction that appends more than once stays behind every writer it let in between',
    sql: /* sql */ `
-- The feed stamp of the latest gap-free section (see FEED_STAMP); never rolled back.
CREATE SEQUENCE ledger_feed_stamp_seq AS bigint;
${ledgerAppend('CREATE OR REPLACE FUNCTION', 'in_lock', true, true)}
${ledgerAppendGroup('CREATE OR REPLACE FUNCTION', true)}`,
  },
  {
    version: 6,
    name: 'the feed waits only for transactions that can write to this database',
    sql: /* sql */ `
-- Gap-free feed, step 2 (Ledger.readAll): a reader returns the rows whose feed stamp is below this.
-- The snapshot's xmin would do, but it is the oldest transaction of the whole server: one left open
-- in another database would hold the feed back. An id that pg_stat_activity shows held by a backend
-- of another database can write no row here (a backend never changes database, an id is never handed
-- out twice), so it is passed over; anything not known so (a prepared transaction, a session whose
-- id the role may not see) still counts. Our own id counts too, as it does in xmin. Evaluate it once
-- per statement: (SELECT ledger_feed_horizon()).
CREATE FUNCTION ledger_feed_horizon() RETURNS xid8 LANGUAGE plpgsql STABLE AS $$
DECLARE
  s pg_snapshot := pg_current_snapshot();
  h xid8;
BEGIN
  IF pg_snapshot_xmin(s) <> pg_snapshot_xmax(s) THEN
    SELECT min(x) INTO h FROM pg_snapshot_xip(s) x
     WHERE x::text::bigint % 4294967296 NOT IN (SELECT a.backend_xid::text::bigint FROM pg_stat_get_activity(NULL) a
       WHERE a.backend_xid IS NOT NULL AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()));
  END IF;
  RETURN least(pg_current_xact_id_if_assigned(), coalesce(h, pg_snapshot_xmax(s)));
END
$$;`,
  },
  {
    version: 7,
    name: 'group commit reads the heads and idempotency keys of its streams by index, not by scanning the tables',
    // The planner takes unnest's 100 rows for the group's few and, until a table is large, finds a hash
    // join over all of ledger_streams (or ledger_idempotency) cheaper than that many index probes: a
    // full scan per group commit, cost growing with the ledger (at 48,000 streams, (b) fell from 2,830
    // to 2,100 appends/s). A LATERAL lookup with LIMIT is never flattened into such a join.
    sql: ledgerAppendGroup('CREATE OR REPLACE FUNCTION', true, true),
  },
  {
    version: 8,
    name: 'group commit takes one signature for all its events, given once, and is then appended all or none',
    sql: `DROP FUNCTION ledger_append_group(jsonb);
${ledgerAppendGroup('CREATE FUNCTION', true, true, true)}`,
  },
  {
    version: 9,
    name: 'a signature is stored once, on the last row it covers; the rows before it hold an empty one and no key id',
    sql: /* sql */ `${ledgerAppendGroup('CREATE OR REPLACE FUNCTION', true, true, true, true)}
-- Groups signed before: their signature on every row becomes the new layout (the rows of one group are
-- consecutive, and no two groups share a signature). Neither the hashes nor the tree cover these columns.
UPDATE ledger_events e SET signature = '', key_id = NULL
  FROM (SELECT global_position, signature, lead(signature) OVER (ORDER BY global_position) AS next
        FROM ledger_events WHERE length(signature) > 0) n
  WHERE e.global_position = n.global_position AND n.next = n.signature;`,
  },
];

const MIGRATION_LOCK = 7246183900;

/** Applies the migrations not yet recorded. Idempotent; safe when several processes start at once. */
export const migrate = (pool: Pool): Promise<number[]> => withTransaction(pool, async (client) => {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query(`CREATE TABLE IF NOT EXISTS ledger_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query<{ version: number }>('SELECT version FROM ledger_migrations');
  const applied = new Set(rows.map((r) => r.version));
  const pending = MIGRATIONS.filter((m) => !applied.has(m.version));
  for (const m of pending) {
    await client.query(m.sql);
    await client.query('INSERT INTO ledger_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
  }
  return pending.map((m) => m.version);
});
