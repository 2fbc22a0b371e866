/**
 * Stream-length benchmark: does a write cost more when its stream is long? A recruitment drive and
 * a task at each of 100, 1,000 and 10,000 events; single writes go through the command path
 * directly (the RecordEvent command on the app's command bus, no HTTP) and through HTTP (POST /api/v1/…/events on a local app), one stream
 * after the other in each round, so the machine's drift hits every length alike; then the projector
 * applies 200 more events to one stream at a time. The ratio to the cost at 100 events, measured
 * in the same run, is the number to read (target: ≤ 2× at 10,000).
 *
 *   npm run bench:streams                       # on DATABASE_URL, else an embedded PostgreSQL
 *   BENCH_LENGTHS=100,1000,10000 BENCH_WRITES=50 BENCH_DATABASE=rl_me_streams PORT=3205 npm run bench:streams
 *
 * The streams are filled by appending valid events to the ledger directly (fast); the measured
 * writes are decided like any other. Also printed: what reading and folding the whole
 * stream costs at that length (what every write cost before states were kept between writes).
 * Writes docs/benchmarks.streams.latest.md (BENCH_WRITE=0 to skip); BENCH_KEEP=1 keeps the database.
 */
import { cpus, totalmem } from 'node:os';
import { DECIDERS, DomainEvent, examples, fold, SCHEMA_VERSIONS } from '@reform-ledger/domain';
import { Ledger } from '@reform-ledger/ledger';
import { benchDatabase } from './bench-database';
import { Projector, TemporalStore } from '@reform-ledger/projections';
import { createApp, Keyed, RecordEvent, RecordEventHandler, seedSkeleton, WriteContext } from '@reform-ledger/api';
import { benchOutput, median, runBench } from './bench-output';

const LENGTHS = (process.env.BENCH_LENGTHS ?? '100,1000,10000').split(',').map(Number);
const WRITES = Number(process.env.BENCH_WRITES ?? 50);
const PROJECTED = 200;
const DATABASE = process.env.BENCH_DATABASE ?? 'reform_ledger_stream_bench';
const PORT = Number(process.env.PORT ?? 3000);
const { log, writeLatest } = benchOutput();
const ms = (v: number) => v.toFixed(v < 10 ? 2 : 1);

/** The two kinds of record, each with the event a write appends to it (`n` makes each one new). */
const RECORDS = [
  {
    name: 'recruitment drive', kind: 'recruitment' as const, collection: 'recruitments',
    create: (): DomainEvent[] => [examples.recruitmentPlanApproved(), examples.noticePublished()],
    event: (n: string): DomainEvent => examples.applicationReceived({ applicationId: `A-${n}`, positionId: 'gv-mam-non', applicantRef: `applicant-${n}` }),
  },
  {
    name: 'task', kind: 'task' as const, collection: 'tasks',
    create: (): DomainEvent[] => [examples.taskDefined()],
    event: (n: string): DomainEvent => examples.taskProgressReported({ progress: { numerator: n.length % 5, denominator: 5 } }),
  },
];
type Kind = (typeof RECORDS)[number];

const main = async () => {
  const { db, url, drop } = await benchDatabase(DATABASE, 10);
  const ledger = new Ledger(db.pool);
  const app = await createApp(db, { demo: true, logLevel: 'silent', projector: false });
  await app.listen(PORT, '127.0.0.1');
  const store = await TemporalStore.open(url);
  const projector = new Projector(ledger, store);
  const serverVersion = (await db.pool.query('SHOW server_version')).rows[0].server_version;
  log(`Stream-length benchmark — ${new Date().toISOString()} — PostgreSQL ${serverVersion} (${db.engine === 'external' ? 'DATABASE_URL' : 'embedded'}) — `
    + `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version} — ${WRITES} writes per record and path`);

  await seedSkeleton(app);
  const context = (): WriteContext => ({ actor: { role: 'admin', keyId: 'bench' }, correlationId: 'stream-bench', receivedAt: new Date().toISOString() });
  // One drive and one task per length, so that every round writes to each length in turn: the
  // machine's drift hits all lengths alike.
  const streams = LENGTHS.flatMap((length) => RECORDS.map((r) => ({ r, length, id: `bench-${r.kind}-${length}` })));
  const writeOf = (s: { r: Kind; id: string }, e: DomainEvent, key: string): Keyed =>
    ({ kind: s.r.kind, id: s.id, type: e.type as Keyed['type'], occurredAt: e.occurredAt, data: e.data as Keyed['data'], idempotencyKey: key });
  const handler = app.get(RecordEventHandler); // what the app's command bus runs for RecordEvent
  const recordOne = (keyed: Keyed, context: WriteContext) => handler.execute(new RecordEvent(keyed, context));
  for (const s of streams) for (const [i, e] of s.r.create().entries()) await recordOne(writeOf(s, e, `${s.id}-create-${i}`), context());

  /** Appends `n` valid events to the stream directly (1,000 per append): how the streams are filled. */
  const fill = async (s: (typeof streams)[number], n: number) => {
    const versions = SCHEMA_VERSIONS[s.r.kind] as Record<string, number>;
    for (let done = 0; done < n; done += 1000) {
      const v = await ledger.streamVersion(`${s.r.kind}:${s.id}`);
      await ledger.append(`${s.r.kind}:${s.id}`, Array.from({ length: Math.min(1000, n - done) }, (_, k) => {
        const e = s.r.event(`fill-${v + k}`);
        return { type: e.type, occurredAt: e.occurredAt, data: e.data, schemaVersion: versions[e.type], metadata: { actor: { role: 'admin', keyId: 'bench' } } };
      }));
    }
  };
  for (const s of streams) await fill(s, s.length - (await ledger.streamVersion(`${s.r.kind}:${s.id}`)));
  await projector.catchUp(600_000);

  const post = async (s: { r: Kind; id: string }, e: DomainEvent, key: string) => {
    const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/${s.r.collection}/${s.id}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer demo-admin', 'Idempotency-Key': key },
      body: JSON.stringify({ type: e.type, occurredAt: e.occurredAt, data: e.data }),
    });
    if (res.status !== 201) throw new Error(`${s.id}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  const timed = async (work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    return performance.now() - t;
  };

  // What reading and folding a whole stream costs (what every write cost before states were kept).
  const fullFold = new Map<string, number[]>();
  const first = new Map<string, number>();
  const direct = new Map<string, number[]>();
  const http = new Map<string, number[]>();
  const projected = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, id: string, v: number) => m.set(id, [...(m.get(id) ?? []), v]);
  for (let round = 0; round < 5; round++) {
    for (const s of streams) {
      push(fullFold, s.id, await timed(async () => fold(DECIDERS[s.r.kind], (await ledger.readStream(`${s.r.kind}:${s.id}`)).map((e) => ({ type: e.type, occurredAt: e.occurredAt, data: e.data })))));
    }
  }
  // The first write after a restart folds the whole stream once; later ones start from the state kept.
  for (const s of streams) first.set(s.id, await timed(() => recordOne(writeOf(s, s.r.event('first'), `${s.id}-first`), context())));
  for (let i = 0; i < WRITES; i++) {
    for (const s of streams) push(direct, s.id, await timed(() => recordOne(writeOf(s, s.r.event(`d${i}`), `${s.id}-d${i}`), context())));
    for (const s of streams) push(http, s.id, await timed(() => post(s, s.r.event(`h${i}`), `${s.id}-h${i}`)));
  }
  // The projector: 200 more events on one stream at a time, and the time to apply them.
  await projector.catchUp(600_000);
  for (let round = 0; round < 3; round++) {
    for (const s of streams) {
      await fill(s, PROJECTED);
      push(projected, s.id, (await timed(() => projector.catchUp(600_000))) / PROJECTED);
    }
  }

  log('');
  log('| record | events in the stream | command path, median ms | HTTP, median ms | projector, ms per event | first write (state not kept yet), ms | read + fold of the whole stream, ms |');
  log('|---|---:|---:|---:|---:|---:|---:|');
  for (const s of streams) {
    log(`| ${s.r.name} | ${s.length.toLocaleString('en')} | ${ms(median(direct.get(s.id)!))} | ${ms(median(http.get(s.id)!))} | ${ms(median(projected.get(s.id)!))} `
      + `| ${ms(first.get(s.id)!)} | ${ms(median(fullFold.get(s.id)!))} |`);
  }
  const [shortest, longest] = [LENGTHS[0], LENGTHS[LENGTHS.length - 1]];
  for (const r of RECORDS) {
    const [a, b] = [`bench-${r.kind}-${shortest}`, `bench-${r.kind}-${longest}`];
    const x = (m: Map<string, number[]>) => `**${(median(m.get(b)!) / median(m.get(a)!)).toFixed(2)}×**`;
    log(`| ${r.name} | ratio ${longest.toLocaleString('en')} / ${shortest.toLocaleString('en')} | ${x(direct)} | ${x(http)} | ${x(projected)} `
      + `| ${(first.get(b)! / first.get(a)!).toFixed(1)}× | ${(median(fullFold.get(b)!) / median(fullFold.get(a)!)).toFixed(1)}× |`);
  }
  await app.close();
  await store.close();
  await drop();
  const path = writeLatest('streams');
  if (path) console.log(`\nwritten to ${path}`);
};

runBench(main);
