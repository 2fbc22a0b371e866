import 'reflect-metadata';
import { timeZone, useTimeZone } from '@reform-ledger/calendar';
import { CommandBus } from '@nestjs/cqrs';
import { KeyRing, Ledger, LedgerTree, openDatabase, SigningKeyError } from '@reform-ledger/ledger';
import { Projector, VIEW_NAMES } from '@reform-ledger/projections';
import { createApp } from './app';
import { Marks, Readiness } from './marks';
import { loadScenario } from './scenario/load';
import { ensureWebBuild } from './web';

const main = async () => {
  // The ledger's calendar: every derived day is a day in this zone (Asia/Ho_Chi_Minh unless set). Set once, before anything is decided.
  useTimeZone(process.env.LEDGER_TIME_ZONE || undefined);
  // The web app is built (if its build is missing or stale) while the database starts.
  // A failed build is reported and the API starts anyway (its pages then answer 404 at /).
  const web = ensureWebBuild((line) => console.log(line)).catch((error) => console.error(`  web app not built: ${error.message}`));
  // The embedded server is restarted after a crash; if it cannot be, the app stops rather than answer 503 forever.
  const db = await openDatabase({
    report: (line) => console.error(`  ${line}`),
    onFatal: (message) => {
      console.error(message);
      process.exit(1);
    },
  });
  // The signing key, outside the database. Made on the first start; once the ledger holds events, a
  // missing key file stops the start (unless LEDGER_NEW_SIGNING_KEY=true) rather than silently making another.
  let keys: KeyRing;
  try {
    keys = KeyRing.open({ create: !(await new LedgerTree(db.pool).holdsLedger()) || process.env.LEDGER_NEW_SIGNING_KEY === 'true' });
  } catch (error) {
    await db.close();
    throw error;
  }
  // Demo keys come with the embedded default (or DEMO_KEYS=true), never in production. A demo listens on
  // 127.0.0.1 only unless HOST says otherwise; on an address beyond this machine, demo keys need DEMO_KEYS=true too.
  const demoWanted = process.env.NODE_ENV !== 'production' && (db.engine === 'embedded' || process.env.DEMO_KEYS === 'true');
  const host = process.env.HOST || (demoWanted ? '127.0.0.1' : undefined);
  const loopback = host !== undefined && (host === 'localhost' || host === '::1' || /^127\./.test(host));
  const demo = demoWanted && (loopback || process.env.DEMO_KEYS === 'true');
  const seed = demo && process.env.SCENARIO !== 'off';
  // The projector runs here unless PROJECTOR=external (then: npm run projector, as its own process).
  const app = await createApp(db, { demo, keys, projector: process.env.PROJECTOR !== 'external' });
  // /health answers 503 `loading` from the moment the server listens until the seed district is in and the views have it.
  if (seed) app.get(Readiness).start('seed district Đắk Song 2022');
  const port = Number(process.env.PORT ?? 3000);
  await web;
  if (host === undefined) await app.listen(port);
  else await app.listen(port, host);
  const where = db.engine === 'embedded' ? `embedded PostgreSQL (${process.env.LEDGER_DATA_DIR ?? './data'})` : 'DATABASE_URL';
  console.log(`Reform Ledger API on http://localhost:${port} — ledger on ${where}, calendar days in ${timeZone()}`);
  if (loopback) console.log(`  listening on ${host} only (this machine); set HOST (e.g. HOST=0.0.0.0) to listen beyond it`);
  else console.log(`  listening on ${host ?? 'every interface'} (HOST), reachable beyond this machine`);
  if (demoWanted && !loopback) {
    console.log(demo
      ? `  DEMO KEYS ARE LIVE on ${host} (DEMO_KEYS=true): anyone who reaches this address can write with demo-admin`
      : `  demo keys are off: ${host} is reachable beyond this machine; set DEMO_KEYS=true as well to have them there`);
  }

  // In demo mode the seed district (Đắk Song 2022) is loaded on first start, through the command path.
  if (seed) {
    const started = performance.now();
    const ledgerHead = await app.get(Ledger).headPosition();
    const report = await loadScenario(app.get(CommandBus), app.get(Marks), { log: (line) => console.log(line), ledgerHead });
    await app.get(Projector).waitFor(VIEW_NAMES, report.head, 60_000);
    if (report.loaded) {
      console.log(`  seed district Đắk Song 2022 loaded: ${report.head} events in ${((performance.now() - started) / 1000).toFixed(1)} s, views caught up`);
    } else console.log(report.recovered ? '  seed district recovered from the ledger (its marks were not in the backup)' : '  seed district already loaded');
    console.log(`  phase 1 ends at position=${report.phaseOne.position}, knownAt=${report.phaseOne.knownAt} (both are cuts; also on /health and GET /api/v1/ledger/marks)`);
    app.get(Readiness).done();
  }
  const url = `http://localhost:${port}`;
  console.log(`  web app: ${url}/`);
  console.log(`  docs: ${url}/docs   health: ${url}/health   metrics: ${url}/metrics`);
  if (demo) {
    console.log('  demo keys: demo-admin, demo-manager, demo-inspector, demo-dept-<unitId> (e.g. demo-dept-phong-noi-vu)');
    console.log('  try:');
    console.log(`    curl -s '${url}/api/v1/plans/cchc-2022/progress?asOf=2022-11-30' -H 'Authorization: Bearer demo-manager'`);
    console.log(`    curl -s '${url}/api/v1/plans/cchc-2022/progress?asOf=2022-06-30' -H 'Authorization: Bearer demo-manager'`);
    console.log(`    curl -s '${url}/api/v1/recruitments/cong-chuc-xa-2022/pipeline' -H 'Authorization: Bearer demo-manager'`);
  }
};

main().catch((error) => {
  console.error(error instanceof SigningKeyError ? error.message : error);
  process.exit(1);
});
