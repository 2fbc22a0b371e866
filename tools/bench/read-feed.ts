/**
 * Reads the whole feed once in its own process and prints {eventsPerSec, peakRssMb} as JSON, so
 * the peak memory is the reader's alone. Modes: `ledger` (Ledger.streamAll, 1,000 per batch) and
 * `raw` (an ordered server-side cursor over a plain copy of the table, FETCH 1000: the ceiling).
 */
import { Pool } from 'pg';
import { Ledger } from '@reform-ledger/ledger';

const [mode, url] = process.argv.slice(2);

const main = async () => {
  const pool = new Pool({ connectionString: url, max: 2 });
  let n = 0;
  let last = 0;
  const t0 = process.hrtime.bigint();
  if (mode === 'ledger') {
    for await (const batch of new Ledger(pool).streamAll({ batchSize: 1000 })) {
      n += batch.length;
      last = batch[batch.length - 1].globalPosition;
    }
  } else {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query('DECLARE feed NO SCROLL CURSOR FOR SELECT * FROM raw_feed ORDER BY global_position');
    for (;;) {
      const { rows } = await client.query('FETCH 1000 FROM feed');
      if (rows.length === 0) break;
      n += rows.length;
      last = Number(rows[rows.length - 1].global_position);
    }
    await client.query('COMMIT');
    client.release();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await pool.end();
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify({ mode, events: n, last, eventsPerSec: n / seconds, peakRssMb }));
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
