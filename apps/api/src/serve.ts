import { CommandBus } from '@nestjs/cqrs';
import { timeZone } from '@reform-ledger/calendar';
import { type Database, type KeyRing, Ledger } from '@reform-ledger/ledger';
import { Projector, VIEW_NAMES } from '@reform-ledger/projections';
import { createApp } from './app';
import { Marks, Readiness } from './marks';
import { loadScenario } from './scenario/load';

/**
 * The app on an open database, as `npm start` runs it (main.ts): demo keys and the seed district in demo
 * mode, listening once the web build is ready, the console's guide. Its modules (Nest, the views, OpenAPI:
 * most of a restart's CPU) are loaded by main.ts while the database starts.
 */
export const serve = async (db: Database, keys: KeyRing, web: Promise<unknown>) => {
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
