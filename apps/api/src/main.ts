import 'reflect-metadata';
import { useTimeZone } from '@reform-ledger/calendar';
import { KeyRing, LedgerTree, openDatabase, SigningKeyError } from '@reform-ledger/ledger';
import { ensureWebBuild } from './web';

const main = async () => {
  // The ledger's calendar: every derived day is a day in this zone (Asia/Ho_Chi_Minh unless set). Set once, before anything is decided.
  useTimeZone(process.env.LEDGER_TIME_ZONE || undefined);
  // The web app is built (if its build is missing or stale) while the database starts.
  // A failed build is reported and the API starts anyway (its pages then answer 404 at /).
  const web = ensureWebBuild((line) => console.log(line)).catch((error) => console.error(`  web app not built: ${error.message}`));
  // The embedded server is restarted after a crash; if it cannot be, the app stops rather than answer 503 forever.
  const opening = openDatabase({
    report: (line) => console.error(`  ${line}`),
    onFatal: (message) => {
      console.error(message);
      process.exit(1);
    },
  });
  opening.catch(() => undefined); // its failure is reported where it is awaited, below
  // The embedded server starts in its own process while this one loads the app's own modules (Nest, the
  // views, OpenAPI: most of a restart's CPU), required here rather than imported above; a turn of the event
  // loop first, so that the server's process is spawned before the (synchronous) loading begins.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const { serve } = require('./serve') as typeof import('./serve');
  const db = await opening;
  // The signing key, outside the database. Made on the first start; once the ledger holds events, a
  // missing key file stops the start (unless LEDGER_NEW_SIGNING_KEY=true) rather than silently making another.
  let keys: KeyRing;
  try {
    keys = KeyRing.open({ create: !(await new LedgerTree(db.pool).holdsLedger()) || process.env.LEDGER_NEW_SIGNING_KEY === 'true' });
  } catch (error) {
    await db.close();
    throw error;
  }
  await serve(db, keys, web);
};

main().catch((error) => {
  console.error(error instanceof SigningKeyError ? error.message : error);
  process.exit(1);
});
