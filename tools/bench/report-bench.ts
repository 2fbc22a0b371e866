/**
 * Report benchmark: the CCHC report of the seed district (read the views at one cut, build the model,
 * write the DOCX), first on the seed alone, then with the ledger grown to 1,000,000 events the views
 * benchmark's way (other units' plans of the same year, each task with 99 progress reports, every
 * 100th backdated). Baseline measured in the same run: one plan-progress read at the same cut.
 *
 *   npm run bench:report                            # on DATABASE_URL, else an embedded PostgreSQL
 *   BENCH_SIZE=1000000 BENCH_RUNS=10 npm run bench:report
 *
 * Writes docs/benchmarks.report.latest.md (BENCH_WRITE=0 to skip).
 */
import { cpus } from 'node:os';
import { DomainEvent, examples } from '@reform-ledger/domain';
import { Ledger } from '@reform-ledger/ledger';
import { benchDatabase } from './bench-database';
import { useTimeZone } from '@reform-ledger/calendar';
import { Projector, progressQuery, TemporalStore, ViewReader, VIEWS } from '@reform-ledger/projections';
import { buildCchcReport, CchcRequest, gatherCchc, renderDocx } from '@reform-ledger/reports';
import { loadScenario, Mark, RecordBatch, RecordBatchHandler, RecordEventHandler } from '@reform-ledger/api';
import { benchOutput, median, runBench } from './bench-output';

const SIZE = Number(process.env.BENCH_SIZE ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const { log, writeLatest } = benchOutput();
const max = (values: number[]) => Math.max(...values);
const day = (n: number) => new Date(Date.UTC(2022, 0, 10) + (n % 355) * 86_400_000).toISOString().slice(0, 10);

const main = async () => {
  useTimeZone(process.env.LEDGER_TIME_ZONE || undefined);
  const { db, url, drop } = await benchDatabase('reform_ledger_report_bench', 20);
  const ledger = new Ledger(db.pool);
  const store = await TemporalStore.open(url);
  const projector = new Projector(ledger, store, VIEWS, { batchSize: 10_000 });
  const reader = new ViewReader(store, ledger);
  const sources = { reader, treeHead: async () => null };
  const serverVersion = (await db.pool.query('SHOW server_version')).rows[0].server_version;
  log(`Report benchmark — ${new Date().toISOString()} — PostgreSQL ${serverVersion} (${db.engine === 'external' ? 'DATABASE_URL' : 'embedded'}) — ${cpus().length} cores, shared with other work`);

  // The seed's marks are the API's note about its own install; the benchmark keeps them in memory.
  const marks: Mark[] = [];
  // No app here: the seed goes through the command handlers themselves.
  const [batches, events] = [new RecordBatchHandler(ledger, projector), new RecordEventHandler(ledger, projector)];
  const commands = { execute: (c: any) => (c instanceof RecordBatch ? batches.execute(c) : events.execute(c)) } as never;
  const seed = await loadScenario(commands, { list: async () => marks, put: async (m) => void marks.push(m) });
  await projector.catchUp(600_000);
  const request: CchcRequest = { year: 2022, period: 'year', asOf: '2022-11-30', unitId: 'ubnd-dak-song' };

  const measure = async (label: string) => {
    const head = await ledger.headPosition();
    const phases = { gather: [] as number[], build: [] as number[], render: [] as number[], total: [] as number[], baseline: [] as number[] };
    let bytes = 0;
    for (let i = 0; i < RUNS + 2; i++) {
      const t0 = performance.now();
      const input = await gatherCchc(sources, request);
      const t1 = performance.now();
      const model = buildCchcReport(input);
      const t2 = performance.now();
      const docx = await renderDocx(model);
      const t3 = performance.now();
      await reader.answer(progressQuery, { asOf: request.asOf, position: input.cut.position }, 'cchc-2022');
      const t4 = performance.now();
      bytes = docx.length;
      if (i < 2) continue; // warm-up
      phases.gather.push(t1 - t0);
      phases.build.push(t2 - t1);
      phases.render.push(t3 - t2);
      phases.total.push(t3 - t0);
      phases.baseline.push(t4 - t3);
    }
    log(`\n## ${label}: ${head.toLocaleString('en')} events, ${RUNS} runs (after 2 warm-up)`);
    log(`report (median / max)   ${median(phases.total).toFixed(0)} ms / ${max(phases.total).toFixed(0)} ms   (${bytes.toLocaleString('en')} bytes)`);
    log(`  read the views        ${median(phases.gather).toFixed(0)} ms`);
    log(`  build the model       ${median(phases.build).toFixed(1)} ms`);
    log(`  write the DOCX        ${median(phases.render).toFixed(0)} ms`);
    log(`baseline: one plan-progress read ${median(phases.baseline).toFixed(2)} ms → the report costs ${(median(phases.total) / median(phases.baseline)).toFixed(0)} such reads`);
    return median(phases.total);
  };

  const onSeed = await measure(`Seed district (Đắk Song 2022, ${seed.head} events)`);

  // Grow: other units' plans of 2022 (the report must skip them), tasks with 99 progress reports each.
  const started = performance.now();
  const record = (stream: string, events: DomainEvent[]) => ledger.append(stream, events.map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data })));
  let filler = 0;
  for (let n = await ledger.headPosition(); n < SIZE; n = await ledger.headPosition()) {
    const plan = `F${Math.floor(filler / 100)}`;
    if (filler % 100 === 0) await record(`plan:${plan}`, [examples.planIssued({ ownerUnitId: `don-vi-khac-${Math.floor(filler / 1000)}` })]);
    const events: DomainEvent[] = [examples.taskDefined({ planId: plan })];
    for (let k = 1; k < Math.min(100, SIZE - n); k++) {
      events.push(examples.taskProgressReported({ occurredAt: day(k % 100 === 99 ? k - 5 : k), progress: { numerator: k % 10, denominator: 10 } }));
    }
    await record(`task:${plan}-${filler++}`, events);
  }
  log(`\ngrew the ledger to ${(await ledger.headPosition()).toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const catchUp = performance.now();
  await projector.catchUp(1_800_000);
  log(`projector caught up in ${((performance.now() - catchUp) / 1000).toFixed(0)} s`);

  const onMillion = await measure(`Seed district inside a ${SIZE.toLocaleString('en')}-event ledger`);
  log(`\n## Ratio\n${SIZE.toLocaleString('en')}-event ledger / seed alone: ${(onMillion / onSeed).toFixed(2)}× (targets: under 2 s on the seed, under 5 s at 1M)`);

  await projector.stop();
  await store.close();
  await db.close();
  await drop();
  writeLatest('report', { heading: 'Report benchmark — latest run', command: 'npm run bench:report' });
};

runBench(main);
