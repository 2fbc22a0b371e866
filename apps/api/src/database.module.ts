import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { UPCASTERS } from '@reform-ledger/domain';
import { Database, KeyRing, Ledger, LedgerOptions } from '@reform-ledger/ledger';
import { TemporalStore } from '@reform-ledger/projections';

export const DATABASE = Symbol('DATABASE');

/** The ledger as the app reads it: the domain's upcasters registered, so older event versions read as today's. */
export const ledgerOver = (db: Database, options: LedgerOptions = {}): Ledger => {
  const ledger = new Ledger(db.pool, options);
  for (const upcaster of UPCASTERS) ledger.registerUpcaster(upcaster);
  return ledger;
};

/**
 * Runs `work` in one transaction under the advisory lock `lock`: how the API creates its own small
 * tables (api_keys, marks) at start, when several processes may start at once.
 */
export const underLock = async (db: Database, lock: string, work: (client: PoolClient) => Promise<void>): Promise<void> => {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
};

/**
 * Closes, after Nest has finished the requests in flight: first the read store's connections, then
 * the pool (which stops the embedded PostgreSQL). In that order, or the read store's idle
 * connections would see the server vanish under them.
 */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly store: TemporalStore,
  ) {}

  async onApplicationShutdown() {
    await this.store.close();
    await this.db.close();
  }
}

/** Provides the opened database, the ledger over it (signing with `keys`), its keys, and the views' store (TypeORM, same database). */
@Global()
@Module({})
export class DatabaseModule {
  static forDatabase(db: Database, keys: KeyRing) {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE, useValue: db },
        { provide: KeyRing, useValue: keys },
        { provide: Ledger, useValue: ledgerOver(db, { signer: keys }) },
        { provide: TemporalStore, useFactory: () => TemporalStore.open(db.url) },
        DatabaseLifecycle,
      ],
      exports: [DATABASE, KeyRing, Ledger, TemporalStore],
    };
  }
}
