/**
 * Growth benchmark: a province-sized history (tools/bench/province.ts, 2,000,000 events by default),
 * and what it costs to live with it: append p50/p99 (single writes through the command path, and
 * bare ledger appends) on top of it, view p95 at random cuts (plan progress and recruitment pipeline
 * of random plans and drives), the projector's catch-up from position 0 (every view), a rebuild of
 * plan-progress in its own process (as `npm run rebuild`, 256 MB heap) against a plain feed read of
 * the same events, disk per million events, and peak RSS. About 20–40 minutes on 2 cores.
 *
 *   GROWTH_EVENTS=2000000 BENCH_DATABASE=rl_me_growth npm run bench:growth     # on DATABASE_URL, else embedded
 *
 * Writes docs/benchmarks.growth.latest.md (BENCH_WRITE=0 to skip); BENCH_KEEP=1 keeps the database.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { examples } from '@reform-ledger/domain';
import { Ledger } from '@reform-ledger/ledger';
import { benchDatabase } from './bench-database';
import { CutQuery, pipelineQuery, planProgressView, progressQuery, Projector, TemporalStore, ViewReader } from '@reform-ledger/projections';
import { RecordEvent, RecordEventHandler, WriteContext } from '@reform-ledger/api';
import { DRIVES, generateProvince, PLANS, YEARS } from './province';
import { benchOutput, runBench } from './bench-output';

const TARGET = Number(process.env.GROWTH_EVENTS ?? 2_000_000);
const DATABASE = process.env.BENCH_DATABASE ?? 'reform_ledger_growth_bench';
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const WRITES = Number(process.env.BENCH_WRITES ?? 500);
const { log, writeLatest } = benchOutput();
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;
const seconds = (t: number) => (performance.now() - t) / 1000;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
let seed = 7;
const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

const main = async () => {
  const { db, url, drop } = await benchDatabase(DATABASE, 20);
  const ledger = new Ledger(db.pool);
  const store = await TemporalStore.open(url);
  const projector = new Projector(ledger, store, undefined, { batchSize: 10_000 });
  const reader = new ViewReader(store, ledger);
  const serverVersion = (await db.pool.query('SHOW server_version')).rows[0].server_version;
  log(`Growth benchmark — ${new Date().toISOString()} — PostgreSQL ${serverVersion} (${db.engine === 'external' ? 'DATABASE_URL' : 'embedded'}) — `
    + `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  log(`history: 1 province, 10 districts, 100 communes with 3 departments each, ${YEARS.length} plan years, ${PLANS.length} plans × 40 tasks, `
    + `${DRIVES.length} drives (the largest ${Math.max(...DRIVES.map((d) => d.applications)).toLocaleString('en')} applications), 50 inspections; target ${TARGET.toLocaleString('en')} events`);

  let t = performance.now();
  const appended = await generateProvince(ledger, TARGET, (n) => console.log(`  … ${n.toLocaleString('en')} events, ${Math.round(n / seconds(t)).toLocaleString('en')} ev/s`));
  const generateSeconds = seconds(t);
  log(`generated ${appended.toLocaleString('en')} events in ${generateSeconds.toFixed(0)} s (${Math.round(appended / generateSeconds).toLocaleString('en')} ev/s, 1,000-event appends, 8 writers)`);
  await db.pool.query('VACUUM ANALYZE ledger_events');

  t = performance.now();
  await projector.catchUp(7_200_000);
  const catchUpSeconds = seconds(t);
  log(`projector caught up from position 0 (5 views): ${catchUpSeconds.toFixed(0)} s, ${Math.round(appended / catchUpSeconds).toLocaleString('en')} ledger events/s`);

  const size = async (pattern: string) => Number((await db.pool.query(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE $1`, [pattern])).rows[0].n);
  const ledgerBytes = await size('ledger_%');
  const viewBytes = await size('rm_%');
  log(`disk: ledger ${mb(ledgerBytes).toLocaleString('en')} MB (${mb((ledgerBytes / appended) * 1e6).toLocaleString('en')} MB per million events, tables and indexes), `
    + `views ${mb(viewBytes).toLocaleString('en')} MB (${mb((viewBytes / appended) * 1e6).toLocaleString('en')} MB per million)`);

  // Appends on top of the history: single progress reports to random tasks of the last year.
  // The command path as the API's RecordEvent handler runs it (the projector here is this benchmark's).
  const handler = new RecordEventHandler(ledger, projector);
  const context = (): WriteContext => ({ actor: { role: 'admin', keyId: 'bench' }, correlationId: 'growth-bench', receivedAt: new Date().toISOString() });
  const lastYear = PLANS.filter((p) => p.year === YEARS[YEARS.length - 1]);
  const commandLatencies: number[] = [];
  const ledgerLatencies: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const plan = pick(lastYear);
    const task = `${plan.id}-nv-${Math.floor(random() * 40)}`;
    const e = examples.taskProgressReported({ occurredAt: '2024-12-20', progress: { numerator: 9, denominator: 10 } });
    let s = performance.now();
    await handler.execute(new RecordEvent({ kind: 'task', id: task, type: 'TaskProgressReported', occurredAt: e.occurredAt, data: e.data, idempotencyKey: `growth-${i}` }, context()))
      .catch((error: { code?: string }) => {
        if (error.code !== 'task.already_completed') throw error; // a completed task refuses: still a decision, timed
      });
    commandLatencies.push(performance.now() - s);
    s = performance.now();
    await ledger.append(`bench:growth-${i % 50}`, [{ type: 'TaskProgressReported', data: e.data, occurredAt: e.occurredAt }]);
    ledgerLatencies.push(performance.now() - s);
  }
  log(`appends on top (${WRITES} each): command path p50 ${percentile(commandLatencies, 50).toFixed(1)} ms, p99 ${percentile(commandLatencies, 99).toFixed(1)} ms; `
    + `bare ledger append p50 ${percentile(ledgerLatencies, 50).toFixed(1)} ms, p99 ${percentile(ledgerLatencies, 99).toFixed(1)} ms`);
  await projector.catchUp(600_000);

  // Views at random cuts: 40 % asOf only, 30 % asOf + position, 30 % asOf + knownAt.
  const head = await ledger.headPosition();
  const firstRecorded = Date.parse((await ledger.readAll({ limit: 1 }))[0].recordedAt);
  const lastRecorded = Date.parse((await ledger.readAll({ after: head - 1, limit: 1 }))[0].recordedAt);
  const randomCut = (year: number): CutQuery => {
    const asOf = new Date(Date.UTC(year, 0, 1 + Math.floor(random() * 365))).toISOString().slice(0, 10);
    const p = random();
    if (p < 0.4) return { asOf };
    if (p < 0.7) return { asOf, position: 1 + Math.floor(random() * head) };
    return { asOf, knownAt: new Date(firstRecorded + random() * (lastRecorded - firstRecorded)).toISOString() };
  };
  for (const [name, run] of [
    ['plan progress (40 tasks)', () => {
      const plan = pick(PLANS);
      return reader.answer(progressQuery, randomCut(plan.year), plan.id);
    }],
    ['recruitment pipeline', () => {
      const drive = pick(DRIVES);
      return reader.answer(pipelineQuery, randomCut(drive.year), drive.id);
    }],
  ] as const) {
    for (let i = 0; i < 20; i++) await run();
    const latencies: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const s = performance.now();
      await run();
      latencies.push(performance.now() - s);
    }
    log(`${name}: ${QUERIES} reads at random cuts, p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms`);
  }

  // Rebuild of plan-progress in its own process, against a plain read of the same events.
  t = performance.now();
  let read = 0;
  for await (const batch of ledger.streamAll({ types: [...planProgressView.types], batchSize: 10_000 })) read += batch.length;
  const readRate = read / seconds(t);
  t = performance.now();
  const out = execFileSync(process.execPath, ['--max-old-space-size=256', '-r', join(__dirname, '../register.js'), join(__dirname, '../cli.ts'), 'rebuild', 'plan-progress'], {
    env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20,
  });
  const match = /(\d+) events in ([\d.]+) s \((\d+) events\/s\), peak RSS (\d+) MB/.exec(out);
  log(`rebuild of plan-progress: ${match ? `${Number(match[1]).toLocaleString('en')} events in ${match[2]} s, ${Number(match[3]).toLocaleString('en')} events/s, `
    + `peak RSS ${match[4]} MB, ${(Number(match[3]) / readRate).toFixed(2)} of the feed read (${Math.round(readRate).toLocaleString('en')} events/s)` : out.trim()}`);
  log(`peak RSS of this process (generator, projector, queries): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

  await store.close();
  await db.close();
  await drop();
  writeLatest('growth', { heading: 'Growth benchmark — latest run', command: 'npm run bench:growth' });
};

runBench(main);
