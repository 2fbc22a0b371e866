import 'reflect-metadata';
import { openDatabase } from '@reform-ledger/ledger';
import { createApp } from './app';

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
  console.log(`  docs: http://localhost:${port}/docs   health: http://localhost:${port}/health`);
  if (demo) console.log('  demo keys: demo-admin, demo-manager, demo-inspector, demo-dept-<unitId> (see README)');
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
