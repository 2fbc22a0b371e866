/**
 * Ledger benchmark: this ledger against a raw `pg` baseline (the ceiling) and Emmett's PostgreSQL
 * event store, in one run on one server, so the ratios hold on a machine whose speed drifts.
 *
 *   npm run bench:ledger                         # on DATABASE_URL, else an embedded PostgreSQL
 *   BENCH_FEED_EVENTS=200000,1000000 npm run bench:ledger
 *   BENCH_SCENARIOS=b,f npm run bench:ledger     # only these scenarios (f's ratio is to b's ledger row)
 *
 * Writes the table to docs/benchmarks.md (BENCH_WRITE=0 to skip).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Ledger, uuidv7, VersionConflictError } from '@reform-ledger/ledger';
import { benchDatabase } from './bench-database';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SEQUENTIAL = env('BENCH_SEQUENTIAL', 2000);
const CONCURRENT = env('BENCH_CONCURRENT', 8000);
const BATCHES = env('BENCH_BATCHES', 150);
const CONTENTION_MS = env('BENCH_CONTENTION_MS', 6000);
const FEED_SIZES = (process.env.BENCH_FEED_EVENTS ?? '200000,1000000').split(',').map(Number);
const EMMETT_READ_MS = env('BENCH_EMMETT_READ_MS', 10000);
const HTTP_WRITES = env('BENCH_HTTP_WRITES', 4000);
const DATABASE = process.env.BENCH_DATABASE ?? 'reform_ledger_bench';
const PORT = env('PORT', 3000);
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? 'a,b,c,d,e,f').split(','));

type Row = { scenario: string; system: string; eventsPerSec: number; p50?: number; p99?: number; note?: string };
const rows: Row[] = [];
const log = (...args: unknown[]) => console.log(...args);

const payload = (i: number) => ({ taskId: `T-${i}`, unit: 'UBND xã Đắk Môl', completedOn: '2022-11-20', note: 'Hoàn thành đúng hạn' });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

const timed = async (fn: () => Promise<void>) => {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

const record = (row: Row) => {
  rows.push(row);
  log(`  ${row.scenario.padEnd(34)} ${row.system.padEnd(10)} ${Math.round(row.eventsPerSec).toLocaleString('en').padStart(9)} ev/s`
    + (row.p99 !== undefined ? `  p50 ${row.p50!.toFixed(1)} ms  p99 ${row.p99.toFixed(1)} ms` : '') + (row.note ? `  (${row.note})` : ''));
};

const RAW_TABLE = `CREATE TABLE raw_events (
  global_position bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL, stream_version integer NOT NULL,
  type text NOT NULL, schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
  occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_version))`;
const RAW_COLUMNS = 'event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at';
const rawValues = (i: number, stream: string, version: number) =>
  [uuidv7(), stream, version, 'TaskCompleted', 1, JSON.stringify(payload(i)), '{}', '2022-11-20T00:00:00Z'];

const main = async () => {
  const { db, url, drop } = await benchDatabase(DATABASE, 40);
  const pool = db.pool;
  const ledger = new Ledger(pool);
  await pool.query(RAW_TABLE);
  const { getPostgreSQLEventStore, readMessagesBatch } = await import('@event-driven-io/emmett-postgresql');
  const { dumbo } = await import('@event-driven-io/dumbo');
  const emmett = getPostgreSQLEventStore(url, { connectionOptions: { pooled: true } } as never);
  await emmett.schema.migrate();
  const serverVersion = (await pool.query('SHOW server_version')).rows[0].server_version;
  log(`Reform Ledger benchmark — ${new Date().toISOString()} — PostgreSQL ${serverVersion} (${db.engine === 'external' ? 'DATABASE_URL' : 'embedded'}) — ${cpus().length} cores`);

  const run = Date.now();
  // (a) sequential single-event appends to new streams
  if (SCENARIOS.has('a')) {
    log('\n(a) sequential single-event appends to new streams');
    const seq = async (system: string, one: (i: number) => Promise<unknown>) => {
      const lat: number[] = [];
      const s = await timed(async () => {
        for (let i = 0; i < SEQUENTIAL; i++) {
          const t = performance.now();
          await one(i);
          lat.push(performance.now() - t);
        }
      });
      record({ scenario: '(a) sequential, new streams', system, eventsPerSec: SEQUENTIAL / s, p50: percentile(lat, 50), p99: percentile(lat, 99) });
    };
    await seq('raw', (i) => pool.query(`INSERT INTO raw_events (${RAW_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, rawValues(i, `a-${run}-${i}`, 1)));
    await seq('ledger', (i) => ledger.append(`a-${run}-${i}`, [{ type: 'TaskCompleted', data: payload(i), occurredAt: '2022-11-20' }], { expectedVersion: 'no_stream' }));
    await seq('emmett', (i) => emmett.appendToStream(`a-${run}-${i}`, [{ type: 'TaskCompleted', data: payload(i) }], { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' as never }));
  }

  // (b) 32 concurrent writers, single-event appends
  if (SCENARIOS.has('b')) {
    log('\n(b) 32 concurrent writers, single-event appends');
    const concurrent = async (system: string, one: (w: number, i: number) => Promise<unknown>) => {
      const per = Math.ceil(CONCURRENT / 32);
      const lat: number[] = [];
      const cpu = process.cpuUsage();
      const s = await timed(async () => {
        await Promise.all(Array.from({ length: 32 }, async (_, w) => {
          for (let i = 0; i < per; i++) {
            const t = performance.now();
            await one(w, i);
            lat.push(performance.now() - t);
          }
        }));
      });
      const used = process.cpuUsage(cpu);
      record({ scenario: '(b) 32 concurrent writers', system, eventsPerSec: (per * 32) / s, p50: percentile(lat, 50), p99: percentile(lat, 99),
        note: `client CPU ${(((used.user + used.system) / 1e6 / s) * 100).toFixed(0)} % of a core` });
    };
    await concurrent('raw', (w, i) => pool.query(`INSERT INTO raw_events (${RAW_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, rawValues(i, `b-${run}-${w}`, i + 1)));
    await concurrent('ledger', (w, i) => ledger.append(`b-${run}-${w}`, [{ type: 'TaskCompleted', data: payload(i), occurredAt: '2022-11-20' }], { expectedVersion: i }));
    await concurrent('emmett', (w, i) => emmett.appendToStream(`b-${run}-${w}`, [{ type: 'TaskCompleted', data: payload(i) }], { expectedStreamVersion: BigInt(i) as never }));
  }

  // (c) 100-event batch appends
  if (SCENARIOS.has('c')) {
    log('\n(c) 100-event batch appends');
    const batches = async (system: string, one: (b: number) => Promise<unknown>) => {
      const s = await timed(async () => {
        for (let b = 0; b < BATCHES; b++) await one(b);
      });
      record({ scenario: '(c) 100-event batches', system, eventsPerSec: (BATCHES * 100) / s });
    };
    await batches('raw', (b) => {
      const values: unknown[] = [];
      const tuples = Array.from({ length: 100 }, (_, k) => {
        values.push(...rawValues(k, `c-${run}-${b}`, k + 1));
        return `(${Array.from({ length: 8 }, (_, c) => `$${k * 8 + c + 1}`).join(',')})`;
      });
      return pool.query(`INSERT INTO raw_events (${RAW_COLUMNS}) VALUES ${tuples.join(',')}`, values);
    });
    await batches('ledger', (b) => ledger.append(`c-${run}-${b}`,
      Array.from({ length: 100 }, (_, k) => ({ type: 'TaskCompleted', data: payload(k), occurredAt: '2022-11-20' })), { expectedVersion: 'no_stream' }));
    await batches('emmett', (b) => emmett.appendToStream(`c-${run}-${b}`,
      Array.from({ length: 100 }, (_, k) => ({ type: 'TaskCompleted', data: payload(k) }))));
  }

  // (d) 16 writers contending on one stream: read version, append with it, retry on conflict
  if (SCENARIOS.has('d')) {
    log('\n(d) 16 writers on one stream, expected version + retry');
    const contend = async (system: string, version: () => Promise<number>, append: (v: number, i: number) => Promise<number>,
      isConflict: (e: unknown) => number | undefined, onConflict: () => Promise<void> = async () => undefined) => {
      const lat: number[] = [];
      let ok = 0;
      let conflicts = 0;
      const until = Date.now() + CONTENTION_MS;
      const s = await timed(async () => {
        await Promise.all(Array.from({ length: 16 }, async () => {
          let v = await version();
          for (let i = 0; Date.now() < until; i++) {
            const t = performance.now();
            for (; Date.now() < until + 5000; ) {
              try {
                v = await append(v, i);
                break;
              } catch (error) {
                await onConflict();
                const actual = isConflict(error);
                if (actual === undefined) throw error;
                conflicts++;
                v = actual;
              }
            }
            ok++;
            lat.push(performance.now() - t);
          }
        }));
      });
      record({ scenario: '(d) 16 writers, one stream', system, eventsPerSec: ok / s, p50: percentile(lat, 50), p99: percentile(lat, 99), note: `${conflicts} conflicts retried` });
    };
    const dStream = `d-${run}`;
    const eStream = `d-emmett-${run}`;
    await ledger.append(dStream, [{ type: 'TaskDefined', data: payload(0), occurredAt: '2022-01-10' }]);
    await emmett.appendToStream(eStream, [{ type: 'TaskDefined', data: payload(0) }]);
    await contend('ledger', () => ledger.streamVersion(dStream),
      async (v, i) => (await ledger.append(dStream, [{ type: 'TaskProgressReported', data: payload(i), occurredAt: '2022-11-20' }], { expectedVersion: v })).streamVersion,
      (e) => (e instanceof VersionConflictError ? e.actual : undefined));
    // The same writers taking turns: one writer of this process at a time takes the stream's next
    // version (the one the appends issued before it leave) and issues its append, then gives the turn
    // on without waiting for the commit, so the appends to the hot stream share group commits. Each
    // writer is answered after its own append commits; a conflict (another process wrote, or an
    // append before it failed) gives the actual version, and the writer takes a turn again.
    const turnStream = `d-turns-${run}`;
    await ledger.append(turnStream, [{ type: 'TaskDefined', data: payload(0), occurredAt: '2022-01-10' }]);
    let next = 1;
    let turn: Promise<unknown> = Promise.resolve();
    const inTurn = <T>(work: () => T): Promise<T> => {
      const mine = turn.then(work);
      turn = mine.catch(() => undefined);
      return mine;
    };
    await contend('ledger, turns', async () => next,
      async (_v, i) => {
        const issued = await inTurn(() => {
          const expectedVersion = next++;
          const done = ledger.append(turnStream, [{ type: 'TaskProgressReported', data: payload(i), occurredAt: '2022-11-20' }], { expectedVersion });
          done.catch(() => undefined);
          return { done };
        });
        return (await issued.done).streamVersion;
      },
      (e) => (e instanceof VersionConflictError ? (next = e.actual) : undefined));
    // Emmett's conflict error does not carry the current version (it reports -1): re-read it, cheaply.
    const emmettVersion = async () =>
      Number((await pool.query('SELECT stream_position FROM emt_streams WHERE stream_id = $1', [eStream])).rows[0]?.stream_position ?? 0);
    let emmettActual = 0;
    await contend('emmett', emmettVersion,
      async (v, i) => Number((await emmett.appendToStream(eStream, [{ type: 'TaskProgressReported', data: payload(i) }], { expectedStreamVersion: BigInt(v) as never })).nextExpectedStreamVersion),
      (e) => ((e as { errorCode?: number }).errorCode === 412 ? emmettActual : undefined),
      async () => { emmettActual = await emmettVersion(); });
  }

  // (f) the HTTP write path: the API in its own process (npm start's main, on this database, seed
  // district loaded, projector running), 32 connections posting single events that create new records,
  // from a load generator in a process of its own (http-load.ts).
  if (SCENARIOS.has('f')) {
    log('\n(f) HTTP: 32 connections, one event per request, each to a new record');
    const server = spawn(process.execPath, ['-r', join(__dirname, '../register.js'), join(__dirname, '../../apps/api/src/main.ts')], {
      env: {
        ...process.env, DATABASE_URL: url, DEMO_KEYS: 'true', PORT: String(PORT), LOG_LEVEL: process.env.BENCH_HTTP_LOG_LEVEL ?? 'warn',
        // The events above were appended unsigned: the API signs from here on under a key of its own.
        LEDGER_SIGNING_KEY: join(process.cwd(), 'tmp/bench-keys', `${DATABASE}.pem`), LEDGER_NEW_SIGNING_KEY: 'true',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const api = `http://127.0.0.1:${PORT}`;
    for (const deadline = Date.now() + 180_000; ;) {
      const health = await fetch(`${api}/health`).then((r) => r.status, () => 0);
      if (health === 200) break;
      if (Date.now() > deadline) throw new Error(`the API did not get ready (health ${health})`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // The CPU the API used over the run (Linux: utime + stime of /proc/<pid>/stat, in ticks of 10 ms), beside the load generator's own.
    const apiCpu = () => readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((sum: number, t: string) => sum + Number(t), 0) / 100;
    const cpu0 = apiCpu();
    const load = loadavg()[0];
    const t0 = performance.now();
    const result = JSON.parse(execFileSync(process.execPath, ['-r', join(__dirname, '../register.js'), join(__dirname, 'http-load.ts'), api, '32', String(HTTP_WRITES), String(run)], { encoding: 'utf8' })) as
      { requestsPerSec: number; p50: number; p99: number; cpuPercent: number };
    const apiPercent = ((apiCpu() - cpu0) / ((performance.now() - t0) / 1000)) * 100;
    const b = rows.find((r) => r.scenario === '(b) 32 concurrent writers' && r.system === 'ledger');
    record({ scenario: '(f) HTTP, 32 connections', system: 'ledger', eventsPerSec: result.requestsPerSec, p50: result.p50, p99: result.p99,
      note: `${b ? `${(result.requestsPerSec / b.eventsPerSec).toFixed(2)} of (b) ledger; ` : ''}CPU: API ${apiPercent.toFixed(0)} %, load generator ${result.cpuPercent.toFixed(0)} % of a core; load average ${load.toFixed(1)}` });
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }

  // (e) reading the global feed from position 0, as a projector does
  if (SCENARIOS.has('e')) {
    log('\n(e) global feed read from position 0');
    let loaded = Number((await pool.query('SELECT count(*) AS n FROM ledger_events')).rows[0].n);
    const emmettExecutor = dumbo({ connectionString: url });
    for (const size of FEED_SIZES) {
      // Fill the ledger to `size` events through the ledger itself (4 writers, 1,000-event batches).
      const fill = async () => {
        let next = loaded;
        await Promise.all(Array.from({ length: 4 }, async (_, w) => {
          for (let b = 0; next < size; b++) {
            const n = Math.min(1000, size - next);
            next += n;
            await ledger.append(`e-${run}-${w}-${b}`, Array.from({ length: n }, (_, k) => ({ type: 'TaskCompleted', data: payload(k), occurredAt: '2022-11-20' })));
          }
        }));
        loaded = Number((await pool.query('SELECT count(*) AS n FROM ledger_events')).rows[0].n);
      };
      const fillSeconds = await timed(fill);
      log(`  ledger filled to ${loaded.toLocaleString('en')} events (${Math.round(loaded / fillSeconds).toLocaleString('en')} ev/s while filling)`);
      await pool.query('DROP TABLE IF EXISTS raw_feed; CREATE TABLE raw_feed AS SELECT * FROM ledger_events; ALTER TABLE raw_feed ADD PRIMARY KEY (global_position)');
      await pool.query('VACUUM ANALYZE raw_feed');
      await pool.query('VACUUM ANALYZE ledger_events');
      const child = (mode: string) => JSON.parse(execFileSync(process.execPath, ['-r', join(__dirname, '../register.js'), join(__dirname, 'read-feed.ts'), mode, url], { encoding: 'utf8' }));
      const raw = child('raw');
      const ours = child('ledger');
      record({ scenario: `(e) feed read, ${loaded.toLocaleString('en')} events`, system: 'raw', eventsPerSec: raw.eventsPerSec, note: `peak RSS ${raw.peakRssMb} MB` });
      record({ scenario: `(e) feed read, ${loaded.toLocaleString('en')} events`, system: 'ledger', eventsPerSec: ours.eventsPerSec, note: `peak RSS ${ours.peakRssMb} MB` });
      if (size === FEED_SIZES[0]) {
        // Emmett's feed holds what (a)–(d) wrote plus a fill of its own, read with its defaults for a fixed time.
        const have = Number((await pool.query('SELECT count(*) AS n FROM emt_messages')).rows[0].n);
        for (let b = 0; have + b * 1000 < size; b++) {
          await emmett.appendToStream(`e-emmett-${run}-${b}`, Array.from({ length: 1000 }, (_, k) => ({ type: 'TaskCompleted', data: payload(k) })));
        }
        let read = 0;
        let after = 0n;
        const until = Date.now() + EMMETT_READ_MS;
        const s = await timed(async () => {
          while (Date.now() < until) {
            const batch = await readMessagesBatch(emmettExecutor.execute, { after, batchSize: 100 });
            read += batch.messages.length;
            after = batch.currentGlobalPosition;
            if (!batch.areMessagesLeft) break;
          }
        });
        record({ scenario: `(e) feed read, ${loaded.toLocaleString('en')} events`, system: 'emmett', eventsPerSec: read / s, note: `batch 100, ${read.toLocaleString('en')} read in ${s.toFixed(1)} s` });
      }
    }
    await emmettExecutor.close();
  }
  await emmett.close();
  await db.close();
  await drop();
  report(serverVersion, db.engine);
};

const report = (serverVersion: string, engine: string) => {
  const ratio = (scenario: string, system: string, ours = 'ledger') => {
    const mine = rows.find((r) => r.scenario === scenario && r.system === ours);
    const other = rows.find((r) => r.scenario === scenario && r.system === system);
    return mine && other ? (mine.eventsPerSec / other.eventsPerSec).toFixed(2) : '–';
  };
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const lines = [
    '| scenario | system | events/s | p50 ms | p99 ms | ledger / raw | ledger / Emmett | note |',
    '|---|---|---:|---:|---:|---:|---:|---|',
    ...scenarios.flatMap((s) => rows.filter((r) => r.scenario === s).map((r) =>
      `| ${s} | ${r.system} | ${Math.round(r.eventsPerSec).toLocaleString('en')} | ${r.p50?.toFixed(1) ?? ''} | ${r.p99?.toFixed(1) ?? ''} | `
      + `${r.system.startsWith('ledger') ? ratio(s, 'raw', r.system) : ''} | ${r.system.startsWith('ledger') ? ratio(s, 'emmett', r.system) : ''} | ${r.note ?? ''} |`)),
  ];
  const header = `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, `
    + `${Math.round(totalmem() / 2 ** 30)} GiB, PostgreSQL ${serverVersion} (${engine}), Node ${process.version}.`;
  console.log(`\n${header}\n\n${lines.join('\n')}`);
  if (process.env.BENCH_WRITE !== '0') {
    const path = join(__dirname, '../../docs/benchmarks.latest.md');
    writeFileSync(path, `${header}\n\n${lines.join('\n')}\n`);
    console.log(`\nwritten to ${path}`);
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
