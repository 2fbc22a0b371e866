/**
 * Views benchmark: as-of queries and rebuilds on a growing ledger, against a naive baseline
 * (replaying the ledger's feed up to the cut for every request) measured in the same run.
 *
 *   npm run bench:views                                  # on DATABASE_URL, else an embedded PostgreSQL
 *   BENCH_SIZES=10000,1000000 BENCH_QUERIES=300 npm run bench:views
 *
 * Prints p50/p95 of plan progress, its 53-week series (the burn-up) and recruitment pipeline at random cuts (asOf, knownAt, position)
 * per ledger size; the rebuild of plan-progress over the largest ledger (events/s and peak RSS, in its
 * own process) against a plain read of the feed. Writes docs/benchmarks.views.latest.md (BENCH_WRITE=0 to skip).
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { DomainEvent, examples } from '@reform-ledger/domain';
import { Ledger } from '@reform-ledger/ledger';
import { benchDatabase } from './bench-database';
import {
  CutQuery, pipelineQuery, planProgressView, progressQuery, Projector, recruitmentPipelineView, seriesQuery, TemporalStore, ViewReader,
} from '@reform-ledger/projections';
import { benchOutput, runBench } from './bench-output';

const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const BASELINE_QUERIES = Number(process.env.BENCH_BASELINE_QUERIES ?? 5);
const { log, writeLatest } = benchOutput();
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;
const day = (n: number) => new Date(Date.UTC(2022, 0, 10) + (n % 355) * 86_400_000).toISOString().slice(0, 10);

const YEAR_WEEKS = { from: '2022-01-01', to: '2022-12-31', step: 'week' } as const;
const weekDay = (w: number) => new Date(Date.UTC(2022, 0, 1) + Math.min(w * 7, 364) * 86_400_000).toISOString().slice(0, 10);

const main = async () => {
  const { db, url, drop } = await benchDatabase('reform_ledger_views_bench', 20);
  const ledger = new Ledger(db.pool);
  const store = await TemporalStore.open(url);
  const projector = new Projector(ledger, store, [planProgressView, recruitmentPipelineView], { batchSize: 10_000 });
  const reader = new ViewReader(store, ledger);
  const serverVersion = (await db.pool.query('SHOW server_version')).rows[0].server_version;
  log(`Views benchmark — ${new Date().toISOString()} — PostgreSQL ${serverVersion} (${db.engine === 'external' ? 'DATABASE_URL' : 'embedded'}) — ${cpus().length} cores`);

  const record = (stream: string, events: DomainEvent[]) => ledger.append(stream, events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data })));
  // The target: a 55-task plan and a 5-position drive with 100 applications, reported over the year, some late.
  await record('plan:TARGET', [examples.planIssued()]);
  for (let t = 0; t < 55; t++) {
    await record(`task:TARGET-${t}`, [
      examples.taskDefined({ planId: 'TARGET', dueOn: day(200 + t) }),
      examples.taskProgressReported({ occurredAt: day(60 + t) }),
      examples.taskCompleted({ occurredAt: day(150 + t * 3) }),
    ]);
  }
  const positions = Array.from({ length: 5 }, (_, p) => ({ positionId: `P${p}`, title: `Vị trí ${p}`, quota: 10 }));
  await record('recruitment:TARGET', [examples.recruitmentPlanApproved({ positions, occurredAt: '2022-09-28' }), examples.noticePublished()]);
  for (let a = 0; a < 100; a++) {
    await record('recruitment:TARGET', [examples.applicationReceived({ applicationId: `A${a}`, positionId: `P${a % 5}`, occurredAt: `2022-11-${String(1 + (a % 27)).padStart(2, '0')}` })]);
  }
  for (let a = 0; a < 100; a += 2) await record('recruitment:TARGET', [examples.eligibilityDecided({ applicationId: `A${a}`, occurredAt: '2022-11-29' })]);
  let filler = 0;
  const grow = async (size: number) => {
    for (let n = await ledger.headPosition(); n < size; n = await ledger.headPosition()) {
      const plan = `F${Math.floor(filler / 100)}`;
      if (filler % 100 === 0) await record(`plan:${plan}`, [examples.planIssued()]);
      const events: DomainEvent[] = [examples.taskDefined({ planId: plan })];
      for (let k = 1; k < Math.min(100, size - n); k++) {
        // Mostly in valid-time order; every 100th is backdated, as late reports are.
        events.push(examples.taskProgressReported({ occurredAt: day(k % 100 === 99 ? k - 5 : k), progress: { numerator: k % 10, denominator: 10 } }));
      }
      await record(`task:${plan}-${filler++}`, events);
    }
  };

  const results: { size: number; view: string; p50: number; p95: number; baselineP95: number }[] = [];
  let previousSize = 0;
  for (const size of SIZES) {
    const started = performance.now();
    await grow(size);
    const appended = await ledger.headPosition();
    log(`\n## ${appended.toLocaleString('en')} events (appended ${(appended - previousSize).toLocaleString('en')} in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    previousSize = appended;
    const catchUpStart = performance.now();
    await projector.catchUp(600_000);
    log(`projector caught up in ${((performance.now() - catchUpStart) / 1000).toFixed(1)} s`);
    const head = await ledger.headPosition();
    const firstRecorded = (await ledger.readAll({ limit: 1 }))[0].recordedAt;
    const lastRecorded = (await ledger.readAll({ after: head - 1, limit: 1 }))[0].recordedAt;
    let rand = 1;
    const random = () => (rand = (rand * 48271) % 2147483647) / 2147483647;
    const randomCut = (): CutQuery => {
      const pick = random();
      const asOf = day(Math.floor(random() * 355));
      if (pick < 0.4) return { asOf };
      if (pick < 0.7) return { asOf, position: 1 + Math.floor(random() * head) };
      const t0 = Date.parse(firstRecorded);
      return { asOf, knownAt: new Date(t0 + random() * (Date.parse(lastRecorded) - t0)).toISOString() };
    };
    for (const [name, run, baseline] of [
      ['plan progress', (c: CutQuery) => reader.answer(progressQuery, c, 'TARGET'), async (c: CutQuery) => {
        // Baseline: replay the feed up to the cut and fold the plan's tasks.
        const states = new Map<string, unknown>();
        for await (const batch of ledger.streamAll({ types: [...planProgressView.types], batchSize: 10_000, validUntil: c.asOf })) {
          for (const e of batch) if (e.globalPosition <= (c.position ?? Infinity) && e.streamId.startsWith('task:TARGET-')) states.set(e.streamId, planProgressView.evolve('task', states.get(e.streamId) ?? null, e));
        }
        return states.size;
      }],
      // The burn-up: 53 weekly points as known at the cut, in one call; baseline: one progress query per point.
      ['progress series (53 w)', ({ asOf: _a, ...known }: CutQuery) => reader.answer(seriesQuery, known, 'TARGET', YEAR_WEEKS), async ({ asOf: _a, ...known }: CutQuery) => {
        for (let w = 0; w < 53; w++) await reader.answer(progressQuery, { ...known, asOf: weekDay(w) }, 'TARGET');
      }],
      ['recruitment pipeline', (c: CutQuery) => reader.answer(pipelineQuery, c, 'TARGET'), async (c: CutQuery) => {
        let drive: unknown = null;
        for await (const batch of ledger.streamAll({ types: [...recruitmentPipelineView.types], batchSize: 10_000, validUntil: c.asOf })) {
          for (const e of batch) if (e.globalPosition <= (c.position ?? Infinity) && e.streamId === 'recruitment:TARGET') drive = recruitmentPipelineView.evolve('drive', drive, e);
        }
        return drive;
      }],
    ] as const) {
      for (let i = 0; i < 20; i++) await run(randomCut()); // warm up
      const latencies: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        const cut = randomCut();
        const t = performance.now();
        await run(cut);
        latencies.push(performance.now() - t);
      }
      const baseLatencies: number[] = [];
      for (let i = 0; i < BASELINE_QUERIES; i++) {
        const cut = randomCut();
        const t = performance.now();
        await baseline(cut);
        baseLatencies.push(performance.now() - t);
      }
      const row = { size: head, view: name, p50: percentile(latencies, 50), p95: percentile(latencies, 95), baselineP95: percentile(baseLatencies, 95) };
      results.push(row);
      log(`${name.padEnd(22)} p50 ${row.p50.toFixed(2)} ms  p95 ${row.p95.toFixed(2)} ms   replay baseline p95 ${row.baselineP95.toFixed(0)} ms   ` +
        `→ ${(row.baselineP95 / row.p95).toFixed(0)}× faster`);
    }
  }
  if (SIZES.length > 1) {
    log('\n## Flatness (p95 at the largest size / p95 at the smallest)');
    for (const view of ['plan progress', 'progress series (53 w)', 'recruitment pipeline']) {
      const rows = results.filter((r) => r.view === view);
      log(`${view.padEnd(22)} ${(rows[rows.length - 1].p95 / rows[0].p95).toFixed(2)}×  (replay baseline: ${(rows[rows.length - 1].baselineP95 / rows[0].baselineP95).toFixed(1)}×)`);
    }
  }

  // Rebuild of plan-progress over the whole ledger, in its own process (clean RSS; as `npm run rebuild`, with a
  // 256 MB heap cap), against a plain feed read.
  const head = await ledger.headPosition();
  let t = performance.now();
  let read = 0;
  for await (const batch of ledger.streamAll({ types: [...planProgressView.types], batchSize: 10_000 })) read += batch.length;
  const readRate = read / ((performance.now() - t) / 1000);
  log(`\n## Rebuild over ${head.toLocaleString('en')} events`);
  log(`feed read (baseline)   ${Math.round(readRate).toLocaleString('en')} events/s (${read.toLocaleString('en')} plan/task events)`);
  t = performance.now();
  const out = execFileSync(process.execPath, ['--max-old-space-size=256', '-r', './tools/register.js', 'tools/cli.ts', 'rebuild', 'plan-progress'], {
    env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8',
  });
  const match = /(\d+) events in ([\d.]+) s \((\d+) events\/s\), peak RSS (\d+) MB/.exec(out);
  if (match) {
    log(`rebuild plan-progress  ${Number(match[3]).toLocaleString('en')} events/s, peak RSS ${match[4]} MB (${match[1]} events in ${match[2]} s) → ${(Number(match[3]) / readRate).toFixed(2)} of the feed read`);
  } else log(`rebuild output: ${out}`);

  await store.close();
  await db.close();
  await drop();
  writeLatest('views', { heading: 'Views benchmark — latest run', command: 'npm run bench:views' });
};

runBench(main);
