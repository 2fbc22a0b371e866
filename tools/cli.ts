import { readFileSync } from 'node:fs';
import { useTimeZone } from '@reform-ledger/calendar';
import { openDatabase, verifyBundle } from '@reform-ledger/ledger';
import { Projector, TemporalStore, viewNamed, VIEWS } from '@reform-ledger/projections';
import { ledgerOver } from '../apps/api/src/database.module';
import { REPORT_USAGE, reportCommand } from '../apps/api/src/reports/report-command';

/**
 * npm run reform-ledger -- verify <bundle.tar>   check an export bundle offline (no server, no database)
 * npm run rebuild -- <view|all>                   rebuild views into new tables, then swap (progress on stderr)
 * npm run projector                               run the projector as its own process (API with PROJECTOR=external)
 * npm run report -- cchc --year 2022 --as-of 2022-11-30 -o bao-cao-cchc-2022.docx   the CCHC report (DOCX) at a cut
 */
const usage = () => {
  console.error(`usage: reform-ledger verify <bundle.tar> | rebuild <${VIEWS.map((v) => v.name).join('|')}|all> | projector | report cchc …\n${REPORT_USAGE}`);
  process.exit(2);
};

const bar = (done: number, total: number) => {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${total === 0 ? 100 : Math.floor((done / total) * 100)}%`;
};

const main = async () => {
  const [command, arg, ...rest] = process.argv.slice(2);
  if (command === 'verify') {
    if (!arg) usage();
    const verdict = verifyBundle(readFileSync(arg));
    const m = verdict.manifest;
    if (verdict.ok) {
      console.log(`OK: ${verdict.checked} events, positions ${m!.range.afterPosition + 1}–${m!.range.toPosition}, ${m!.anchors.length} streams; every hash recomputed and every chain intact`);
    } else {
      console.log(`BROKEN: ${verdict.reason}${verdict.firstBadPosition !== undefined ? ` (first bad event at position ${verdict.firstBadPosition})` : ''}; ${verdict.checked} events checked before it`);
    }
    process.exit(verdict.ok ? 0 : 1);
  }
  // Days are days in the ledger's time zone, as in the API (set once, before anything is read).
  useTimeZone(process.env.LEDGER_TIME_ZONE || undefined);
  if (command === 'report') {
    const db = await openDatabase();
    try {
      await reportCommand([arg, ...rest].filter((a) => a !== undefined), db);
    } catch (error) {
      console.error((error as Error).message); // a bad flag or a request the ledger cannot answer: no stack trace
      process.exitCode = 2;
    } finally {
      await db.close();
    }
    return;
  }
  if (command !== 'rebuild' && command !== 'projector') usage();
  const db = await openDatabase();
  const ledger = ledgerOver(db);
  const store = await TemporalStore.open(db.url);
  const projector = new Projector(ledger, store, VIEWS, { onError: (error) => console.error(error) });
  try {
    if (command === 'projector') {
      projector.start();
      console.log(`projector running on ${db.engine} PostgreSQL; Ctrl-C to stop`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return;
    }
    const views = arg === 'all' ? VIEWS : [viewNamed(arg ?? '') ?? usage()].filter((v) => v !== undefined);
    for (const view of views) {
      const started = performance.now();
      let peak = process.memoryUsage().rss;
      let events = 0;
      const generation = await projector.rebuild(view, (p) => {
        events = p.events;
        peak = Math.max(peak, process.memoryUsage().rss);
        if (process.stderr.isTTY) process.stderr.write(`\r${view.name} ${bar(p.position, p.head)} ${p.position}/${p.head}`);
      });
      const seconds = (performance.now() - started) / 1000;
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(`${view.name}: generation ${generation.generation} active; ${events} events in ${seconds.toFixed(1)} s ` +
        `(${Math.round(events / Math.max(seconds, 0.001))} events/s), peak RSS ${Math.round(peak / 1048576)} MB`);
    }
  } finally {
    await projector.stop();
    await store.close();
    await db.close();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
