import 'reflect-metadata';
import { Ledger, openDatabase } from '@reform-ledger/ledger';
import { Projector, VIEWS } from '@reform-ledger/projections';
import { createApp } from './app';
import { loadScenario } from './scenario/load';

const main = async () => {
  const db = await openDatabase();
  // Demo keys come with the embedded default (or DEMO_KEYS=true), never in production.
  const demo = process.env.NODE_ENV !== 'production' && (db.engine === 'embedded' || process.env.DEMO_KEYS === 'true');
  // The projector runs here unless PROJECTOR=external (then: npm run projector, as its own process).
  const app = await createApp(db, { demo, projector: process.env.PROJECTOR !== 'external' });
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  const where = db.engine === 'embedded' ? `embedded PostgreSQL (${process.env.LEDGER_DATA_DIR ?? './data'})` : 'DATABASE_URL';
  console.log(`Reform Ledger API on http://localhost:${port} — ledger on ${where}`);

  // In demo mode the seed district (Đắk Song 2022) is loaded on first start, through the command path.
  if (demo && process.env.SCENARIO !== 'off') {
    const started = performance.now();
    const report = await loadScenario(app.get(Ledger), (line) => console.log(line));
    if (report.loaded) {
      await app.get(Projector).waitFor(VIEWS.map((v) => v.name), report.head, 60_000);
      console.log(`  seed district Đắk Song 2022 loaded: ${report.head} events in ${((performance.now() - started) / 1000).toFixed(1)} s, views caught up`);
    } else console.log('  seed district already loaded');
  }
  const url = `http://localhost:${port}`;
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
  console.error(error);
  process.exit(1);
});
