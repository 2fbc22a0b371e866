/**
 * Audit benchmark (issue 11): what signing costs on the append path, and what proof costs offline.
 *
 *   npm run bench:audit                          # on DATABASE_URL, else an embedded PostgreSQL
 *   BENCH_VERIFY_EVENTS=1000000 npm run bench:audit
 *
 * 1. Signing on the append path, in one run on one server: (a) sequential single-event appends to new
 *    streams and (b) 32 concurrent writers, for raw `pg` inserts (the baseline), the ledger without a
 *    signing key and the ledger signing every append (Ed25519, one signature per group commit over its
 *    events' texts). Ratios to raw are the ledger benchmark's (a) and (b); signing's cost also round by round
 *    (signed against unsigned in the same round) and as this process's CPU time per append.
 *    Then live verify (Ledger.verify) of BENCH_LIVE_EVENTS signed events (default 40,000), on the event loop
 *    and on worker threads: its time and the longest stall of the event loop.
 * 2. Offline verification of a bundle of BENCH_VERIFY_EVENTS events (default 100,000): the bundle is
 *    written as the export writes it (chains, one signature per append, a head signed every 10,000
 *    events), then `npm run reform-ledger -- verify` checks it in its own process against the first
 *    head, as an inspector would; wall time and that process's peak RSS (VmHWM).
 * 3. Proof sizes at that size: an inclusion proof, and consistency proofs from a head at half and at
 *    one event less.
 *
 * Writes docs/benchmarks.audit.latest.md (BENCH_WRITE=0 to skip).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  appendMessage, canonicalJson, canonicalText, CompactTree, consistencyProof, eventHash, eventText, ExportedEvent, headMessage, inclusionProof, KeyRing,
  leafHash, Ledger, storedEventText, TreeHead, uuidv7, writeBundle,
} from '@reform-ledger/ledger';
import { benchDatabase } from './bench-database';
import { benchOutput, median, medianInterval, runBench } from './bench-output';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SEQUENTIAL = env('BENCH_SEQUENTIAL', 2000);
const CONCURRENT = env('BENCH_CONCURRENT', 8000);
const WRITERS = 32;
const VERIFY_EVENTS = env('BENCH_VERIFY_EVENTS', 100_000);
const LIVE_EVENTS = env('BENCH_LIVE_EVENTS', 40_000);
const EVENTS_PER_APPEND = env('BENCH_EVENTS_PER_APPEND', 1);
/** Appends handed to the signer at once (concurrent writers share a signature); 1: a lone sequential writer, the worst case. */
const CONCURRENT_APPENDS = env('BENCH_CONCURRENT_APPENDS', 1);
const log = (...args: unknown[]) => console.log(...args);
const { log: out, writeLatest } = benchOutput();

const payload = (i: number) => ({ taskId: `T-${i}`, unit: 'UBND xã Đắk Môl', completedOn: '2022-11-20', note: 'Hoàn thành đúng hạn' });
/** The median's 95 % interval (bench-output.ts, medianInterval), as text. */
const interval = (costs: number[]) => {
  const [low, high] = medianInterval(costs);
  return ` (95 % interval ${(low * 100).toFixed(1)} to ${(high * 100).toFixed(1)} %)`;
};
/** CPU time the whole machine has spent busy (user, nice, system, irq, softirq), in µs (/proc/stat counts hundredths of a second). */
const machineBusyMicros = () => {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq) * 10_000;
};
const timed = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
};

const appendPath = async () => {
  const { db, drop } = await benchDatabase('reform_ledger_audit_bench', 40);
  await db.pool.query(`CREATE TABLE raw_events (global_position bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL,
    stream_version integer NOT NULL, type text NOT NULL, schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
    occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_version))`);
  // Every write here is an insert into a new stream: autovacuum has nothing to reclaim, but when it analyzes a
  // growing table it does so in the middle of some part or other (a round once ran 49 % slower for it).
  for (const { tablename } of (await db.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows) {
    await db.pool.query(`ALTER TABLE ${tablename} SET (autovacuum_enabled = off)`);
  }
  const raw = (i: number, stream: string) => db.pool.query(
    'INSERT INTO raw_events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at) VALUES ($1, $2, 1, $3, 1, $4, $5, $6)',
    [uuidv7(), stream, 'TaskCompleted', JSON.stringify(payload(i)), '{}', '2022-11-20T00:00:00Z']);
  // One instance each, as the API holds one: appends that meet in a Ledger are committed together (group commit).
  const unsigned = new Ledger(db.pool);
  const keys = KeyRing.ephemeral();
  const signed = new Ledger(db.pool, { signer: keys });
  const systems: [string, (i: number, stream: string) => Promise<unknown>][] = [
    ['raw', raw],
    ['ledger, unsigned', (i, stream) => unsigned.append(stream, [{ type: 'TaskCompleted', data: payload(i), occurredAt: '2022-11-20' }])],
    ['ledger, signed', (i, stream) => signed.append(stream, [{ type: 'TaskCompleted', data: payload(i), occurredAt: '2022-11-20' }])],
  ];
  const serverVersion = (await db.pool.query('SHOW server_version')).rows[0].server_version;
  out(`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, `
    + `${Math.round(totalmem() / 2 ** 30)} GiB, PostgreSQL ${serverVersion} (${db.engine}), Node ${process.version}.`);
  out('');
  out('| scenario | raw ev/s | unsigned ev/s | signed ev/s | unsigned / raw | signed / raw | signing costs |');
  out('|---|---:|---:|---:|---:|---:|---:|');
  const rates: Record<string, Record<string, number>> = { a: {}, b: {} };
  // Each round's rates too: a round's systems ran minutes apart at most, so their ratio is paired in time.
  const rounds: Record<string, Record<string, number>[]> = { a: [], b: [] };
  // And this process's CPU time per append in (b) (all its threads): what the application spends, which
  // the machine's noise moves far less than throughput.
  const cpu: Record<string, number[]> = {};
  // And the whole machine's (this process, the server and anything else running): on a CPU-bound box,
  // what decides throughput, and measured over the same seconds.
  const machine: Record<string, number[]> = {};
  // Rounds interleaved, best of each: the machine is shared and its speed drifts. Every other round
  // runs the systems in reverse order, so that none always follows another (or always meets a larger table).
  for (let round = 0; round < env('BENCH_ROUNDS', 40); round++) {
    for (const [name, one] of round % 2 === 0 ? systems : [...systems].reverse()) {
      // Each timed part starts from a clean server: a checkpoint writes out the dirty pages the part before
      // left (without it, whichever system ran right after a (b) paid for that (b)'s writes: in (a), the
      // signed ledger lost 20–36 % in the rounds it followed the unsigned one's (b) and won 1–8 % in the others).
      await db.pool.query('CHECKPOINT');
      const seconds = await timed(async () => {
        for (let i = 0; i < SEQUENTIAL; i++) await one(i, `task:a-${round}-${name}-${i}`);
      });
      rates.a[name] = Math.max(rates.a[name] ?? 0, SEQUENTIAL / seconds);
      (rounds.a[round] ??= {})[name] = SEQUENTIAL / seconds;
      let next = 0;
      await db.pool.query('CHECKPOINT');
      const cpu0 = process.cpuUsage();
      const busy0 = machineBusyMicros();
      const concurrent = await timed(() => Promise.all(Array.from({ length: WRITERS }, async () => {
        for (let i = next++; i < CONCURRENT; i = next++) await one(i, `task:b-${round}-${name}-${i}`);
      })));
      const used = process.cpuUsage(cpu0);
      (cpu[name] ??= []).push((used.user + used.system) / CONCURRENT);
      (machine[name] ??= []).push((machineBusyMicros() - busy0) / CONCURRENT);
      rates.b[name] = Math.max(rates.b[name] ?? 0, CONCURRENT / concurrent);
      (rounds.b[round] ??= {})[name] = CONCURRENT / concurrent;
    }
  }
  const { rows: [shared] } = await db.pool.query<{ appends: number; signatures: number }>(
    `SELECT count(*)::int AS appends, count(*) FILTER (WHERE length(signature) = 64)::int AS signatures FROM ledger_events WHERE stream_id LIKE 'task:b-%' AND signature IS NOT NULL`);
  // What a signature costs the table: it is stored once per group, on its last row.
  const rowBytes = async (signedRows: boolean) => Number((await db.pool.query(`SELECT avg(pg_column_size(e.*)) AS b FROM ledger_events e
    WHERE stream_id LIKE 'task:b-%' AND signature IS ${signedRows ? 'NOT ' : ''}NULL`)).rows[0].b);
  for (const [key, label] of [['a', '(a) sequential, new streams'], ['b', `(b) ${WRITERS} concurrent writers`]] as const) {
    const r = rates[key];
    const unsigned = r['ledger, unsigned'] / r.raw;
    const withSigning = r['ledger, signed'] / r.raw;
    out(`| ${label} | ${Math.round(r.raw)} | ${Math.round(r['ledger, unsigned'])} | ${Math.round(r['ledger, signed'])} | ${unsigned.toFixed(2)} | ${withSigning.toFixed(2)} | `
      + `${((1 - withSigning / unsigned) * 100).toFixed(1)} % |`);
  }
  out('');
  for (const key of ['a', 'b'] as const) {
    const paired = rounds[key].map((r) => 1 - r['ledger, signed'] / r['ledger, unsigned']);
    out(`Signing costs in (${key}), round by round (signed against unsigned in the same round): ${paired.map((c) => `${(c * 100).toFixed(1)} %`).join(', ')}; `
      + `median **${(median(paired) * 100).toFixed(1)} %**${interval(paired)}.`);
  }
  const cpuOf = (name: string) => median(cpu[name]);
  out(`This process's CPU time per append in (b), median of the rounds: raw ${cpuOf('raw').toFixed(0)} µs, unsigned ${cpuOf('ledger, unsigned').toFixed(0)} µs, `
    + `signed ${cpuOf('ledger, signed').toFixed(0)} µs: signing adds **${(cpuOf('ledger, signed') - cpuOf('ledger, unsigned')).toFixed(0)} µs** `
    + `(${((cpuOf('ledger, signed') / cpuOf('ledger, unsigned') - 1) * 100).toFixed(0)} % of the unsigned ledger's).`);
  const machineCost = machine['ledger, signed'].map((m, i) => m / machine['ledger, unsigned'][i] - 1);
  out(`The machine's CPU time per append in (b) (all processes, /proc/stat), median of the rounds: raw ${median(machine.raw).toFixed(0)} µs, `
    + `unsigned ${median(machine['ledger, unsigned']).toFixed(0)} µs, signed ${median(machine['ledger, signed']).toFixed(0)} µs; signed against unsigned `
    + `round by round: ${machineCost.map((c) => `${(c * 100).toFixed(1)} %`).join(', ')}; median **${(median(machineCost) * 100).toFixed(1)} %**${interval(machineCost)}.`);
  out('');
  out(`In (b), ${shared.appends.toLocaleString('en')} signed appends carried ${shared.signatures.toLocaleString('en')} signatures: `
    + `appends committed together share one (Ledger.commitGroup), stored on the group's last row: a row takes ${(await rowBytes(true)).toFixed(0)} bytes `
    + `on average, against ${(await rowBytes(false)).toFixed(0)} unsigned.`);
  eventLoopCost(keys, Math.max(1, Math.round(shared.appends / shared.signatures)));
  await liveVerify(signed, keys);
  await db.close();
  await drop();
};

/** What signing adds on the event loop for each append of (b), piece by piece, against writing the row unsigned. */
const eventLoopCost = (keys: KeyRing, groupSize: number) => {
  const N = 32_000;
  const metadata = { actor: { keyId: 'demo-dept-phong-noi-vu', unitId: 'phong-noi-vu', role: 'department' }, correlationId: uuidv7() };
  const micros = (fn: (i: number) => unknown) => {
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      for (let i = 0; i < N; i++) fn(i);
      best = Math.min(best, ((performance.now() - t0) * 1000) / N);
    }
    return best;
  };
  const texts = Array.from({ length: N }, (_, i) => ({
    eventId: uuidv7(), streamId: `task:b-${i}`, type: 'TaskCompleted', schemaVersion: 1, data: canonicalText(payload(i)), metadata: canonicalText(metadata),
    occurredAt: '2022-11-20T00:00:00.000000Z', idempotencyKey: null,
  }));
  const eventTexts = texts.map((e) => eventText(e, e.streamId, null));
  const stringify = micros((i) => JSON.stringify(payload(i)) + JSON.stringify(metadata));
  const canonical = micros((i) => canonicalText(payload(i)) + canonicalText(metadata));
  const signedText = micros((i) => eventText(texts[i], texts[i].streamId, null));
  const group = micros((i) => i % groupSize === 0 && keys.sign(appendMessage(eventTexts.slice(i, i + groupSize))));
  const lone = micros((i) => i % 16 === 0 && keys.sign(appendMessage([eventTexts[i]]))) * 16;
  out('');
  out('What signing adds on the event loop, per single-event append (µs, best of 3 × 32,000):');
  out('');
  out(`| data and metadata as JSON.stringify | as canonical text | the event's signed text | the group's message and signature (groups of ${groupSize}, as in (b)) | one signature, alone |`);
  out('|---:|---:|---:|---:|---:|');
  out(`| ${stringify.toFixed(1)} | ${canonical.toFixed(1)} | ${signedText.toFixed(1)} | ${group.toFixed(1)} | ${lone.toFixed(0)} |`);
  out('');
  out(`Signing adds about ${(canonical - stringify + signedText + group).toFixed(0)} µs of the event loop to each append of (b).`);
};

/**
 * Live verify (GET /api/v1/audit/verify) of what the append rounds left, on the event loop and on
 * worker threads: its time, and the longest the event loop, which answers every other request of the
 * API meanwhile, was held (perf_hooks' event loop delay, sampled every 10 ms).
 */
const liveVerify = async (ledger: Ledger, keys: KeyRing) => {
  await ledger.pool.query('TRUNCATE ledger_events, ledger_streams, ledger_idempotency, ledger_tree, ledger_tree_heads');
  let next = 0;
  await Promise.all(Array.from({ length: WRITERS }, async () => {
    for (let i = next++; i < LIVE_EVENTS; i = next++) await ledger.append(`task:v-${i}`, [{ type: 'TaskCompleted', data: payload(i), occurredAt: '2022-11-20' }]);
  }));
  out('');
  out(`Live verify of ${LIVE_EVENTS.toLocaleString('en')} signed events (Ledger.verify, as GET /api/v1/audit/verify, in one snapshot):`);
  out('');
  out('| examined on | events | verify s | longest event-loop stall ms | result |');
  out('|---|---:|---:|---:|---|');
  for (const threads of [0, cpus().length]) {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const t0 = performance.now();
    const verdict = await ledger.verify({ keys, threads });
    const seconds = (performance.now() - t0) / 1000;
    delay.disable();
    out(`| ${threads === 0 ? 'the event loop' : `${threads} worker threads`} | ${verdict.checked.toLocaleString('en')} | ${seconds.toFixed(1)} | `
      + `${(delay.max / 1e6).toFixed(0)} | ${verdict.ok ? 'ok' : verdict.reason} |`);
  }
};

/** A bundle of `count` events as an export writes it; returns the first signed head (what an inspector kept). */
const writeSyntheticBundle = async (file: string, count: number, keys: KeyRing): Promise<{ first: TreeHead; heads: TreeHead[] }> => {
  const tree = new CompactTree();
  const heads: TreeHead[] = [];
  const streams = new Map<string, { version: number; position: number; hash: string }>();
  const recordedAt = (i: number) => new Date(Date.UTC(2026, 11, 1) + i).toISOString().replace('Z', '000Z');
  async function* events(): AsyncGenerator<ExportedEvent[]> {
    let batch: ExportedEvent[] = [];
    for (let position = 1; position <= count;) {
      const tick: ExportedEvent[][] = [];
      for (let a = 0; a < CONCURRENT_APPENDS && position <= count; a++) {
        const streamId = `task:T-${position % 5000}`;
        const group: ExportedEvent[] = [];
        for (let k = 0; k < EVENTS_PER_APPEND && position <= count; k++, position++) {
          const before = streams.get(streamId);
          const data = payload(position);
          const metadata = { actor: { keyId: 'demo-dept-phong-noi-vu', unitId: 'phong-noi-vu', role: 'department' }, correlationId: uuidv7() };
          const e: ExportedEvent = {
            globalPosition: position, eventId: uuidv7(), streamId, streamVersion: (before?.version ?? 0) + 1, prevPosition: before?.position ?? null,
            type: 'TaskCompleted', schemaVersion: 1, data: canonicalJson(data), metadata: canonicalJson(metadata), occurredAt: '2022-11-20T00:00:00.000000Z',
            recordedAt: recordedAt(position), idempotencyKey: `k-${position}`, prevHash: before?.hash ?? '', hash: '', keyId: keys.keyId, signature: null,
          };
          e.hash = eventHash(e);
          streams.set(streamId, { version: e.streamVersion, position, hash: e.hash });
          group.push(e);
        }
        tick.push(group);
      }
      // As the ledger signs: the events of the appends committed together, under one signature.
      const signature = keys.sign(appendMessage(tick.flat().map(storedEventText))).toString('base64');
      const group = tick.flat().map((e, i, all) => Object.assign(e, i === all.length - 1 ? { signature } : { signature: '', keyId: null }));
      for (const e of group) {
        tree.push(leafHash(Buffer.from(e.hash, 'hex')));
        if (tree.size % 10_000 === 0 || tree.size === count) {
          const unsigned = { treeSize: tree.size, rootHash: tree.root().toString('hex'), lastPosition: e.globalPosition, timestamp: recordedAt(e.globalPosition + 1) };
          heads.push({ format: 'reform-ledger-tree-head/1', ...unsigned, keyId: keys.keyId, signature: keys.sign(headMessage(unsigned)).toString('base64') });
        }
      }
      batch.push(...group);
      if (batch.length >= 5000) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
  // writeBundle spools the events first and writes heads.json after: `heads` is complete by then.
  const sink = createWriteStream(file);
  await writeBundle(sink, {
    events: events(), range: { afterPosition: 0, toPosition: count }, keys: keys.records, heads,
    ledgerVerified: { ok: true, checked: count }, exportedAt: new Date().toISOString(),
  });
  sink.end();
  await finished(sink);
  return { first: heads[0], heads };
};

/**
 * Runs the CLI's verify in its own process, with the node flags `npm run reform-ledger` gives it (package.json:
 * a young generation of 2 MB semi-spaces instead of 16, some 50 MB less at the peak); its wall time and peak RSS.
 */
const verifyInChild = (bundle: string, head: string) => new Promise<{ seconds: number; peakMb: number; cpuSeconds: number; output: string }>((resolve, reject) => {
  const started = performance.now();
  const [node, ...args] = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts['reform-ledger'].split(' ');
  if (node !== 'node') throw new Error(`npm run reform-ledger runs ${node}, not node`);
  const child = spawn(process.execPath, [...args, 'verify', bundle, '--trusted-head', head], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let peak = 0;
  let cpuSeconds = 0;
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  const sample = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
      // utime + stime of every thread, in clock ticks (100 a second), fields 14 and 15 after the command name
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpuSeconds = (Number(stat[11]) + Number(stat[12])) / 100;
    } catch {
      // the process has ended
    }
  }, 200);
  child.on('error', reject);
  child.on('exit', () => {
    clearInterval(sample);
    resolve({ seconds: (performance.now() - started) / 1000, peakMb: peak, cpuSeconds, output: output.trim() });
  });
});

const offline = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-audit-bench-'));
  try {
    const keys = KeyRing.ephemeral();
    const bundle = join(dir, 'bundle.tar');
    const t0 = performance.now();
    const { first, heads } = await writeSyntheticBundle(bundle, VERIFY_EVENTS, keys);
    const written = (performance.now() - t0) / 1000;
    writeFileSync(join(dir, 'head.json'), JSON.stringify(first));
    // The baseline, in the same run: what one Ed25519 verification costs on this machine now.
    const probe = Buffer.from('reform-ledger/append/1\n0123456789abcdef0123456789abcdef');
    const probeSignature = keys.sign(probe);
    const v0 = performance.now();
    for (let i = 0; i < 2000; i++) keys.verify(keys.keyId, probe, probeSignature);
    const verifyMicros = ((performance.now() - v0) * 1000) / 2000;
    const run = await verifyInChild(bundle, join(dir, 'head.json'));
    const appends = Math.ceil(VERIFY_EVENTS / EVENTS_PER_APPEND);
    const signaturesMade = Math.ceil(appends / CONCURRENT_APPENDS);
    out('');
    out(`Offline verification (npm run reform-ledger -- verify bundle.tar --trusted-head head.json, its own process, ${cpus().length} cores):`);
    out('');
    out('| events | appends | signatures | heads | bundle MB | verify s | CPU s (all threads) | events/s | peak RSS MB | result |');
    out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    const size = statSync(bundle).size / 2 ** 20;
    out(`| ${VERIFY_EVENTS.toLocaleString('en')} | ${appends.toLocaleString('en')} | ≈ ${signaturesMade.toLocaleString('en')} | ${heads.length} | ${size.toFixed(0)} | ${run.seconds.toFixed(1)} | ${run.cpuSeconds.toFixed(1)} | `
      + `${Math.round(VERIFY_EVENTS / run.seconds).toLocaleString('en')} | ${run.peakMb.toFixed(0)} | ${run.output.split('\n')[0].slice(0, 60)} |`);
    const floor = (signaturesMade * verifyMicros) / 1e6 / cpus().length;
    out('');
    out(`One Ed25519 verification cost ${verifyMicros.toFixed(0)} µs in this run (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores): `
      + `the signatures alone need ${floor.toFixed(1)} s on ${cpus().length} cores; the verify took ${(run.seconds / floor).toFixed(2)}× that. `
      + `It used ${run.cpuSeconds.toFixed(1)} CPU seconds, ${((run.cpuSeconds * 1e6) / VERIFY_EVENTS).toFixed(0)} µs an event: on ${cpus().length} otherwise idle cores, about ${(run.cpuSeconds / cpus().length).toFixed(0)} s.`);
    log(`  (bundle written in ${written.toFixed(1)} s)`);
    log(run.output);
    // Proof sizes at this size: they depend on the tree's shape only.
    const dummy = () => Buffer.alloc(32);
    const n = VERIFY_EVENTS;
    const inclusion = inclusionProof(dummy, Math.floor(n / 3), n).length;
    const half = consistencyProof(dummy, Math.floor(n / 2), n).length;
    const last = consistencyProof(dummy, n - 1, n).length;
    const json = (hashes: number) => JSON.stringify({ path: Array.from({ length: hashes }, () => 'ab'.repeat(32)) }).length;
    out('');
    out(`Proof sizes at ${n.toLocaleString('en')} events (SHA-256 hashes; JSON as the routes send them, hex):`);
    out('');
    out('| proof | hashes | bytes | JSON path bytes |');
    out('|---|---:|---:|---:|');
    out(`| inclusion of one event | ${inclusion} | ${inclusion * 32} | ${json(inclusion)} |`);
    out(`| consistency from ${Math.floor(n / 2).toLocaleString('en')} | ${half} | ${half * 32} | ${json(half)} |`);
    out(`| consistency from ${(n - 1).toLocaleString('en')} | ${last} | ${last * 32} | ${json(last)} |`);
  } finally {
    if (process.env.BENCH_KEEP) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
};

const main = async () => {
  if (process.env.BENCH_SKIP_APPEND !== '1') await appendPath();
  await offline();
  writeLatest('audit');
};

runBench(main);
