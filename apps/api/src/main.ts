import 'reflect-metadata';
import { openDatabase } from '@reform-ledger/ledger';
import { createApp } from './app';

const main = async () => {
  const db = await openDatabase();
  const app = await createApp(db);
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  const where = db.engine === 'embedded' ? `embedded PostgreSQL (${process.env.LEDGER_DATA_DIR ?? './data'})` : 'DATABASE_URL';
  console.log(`Reform Ledger API on http://localhost:${port} — ledger on ${where}`);
  console.log(`  health: curl http://localhost:${port}/health`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
