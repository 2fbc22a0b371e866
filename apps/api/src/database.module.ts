import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Database, Ledger } from '@reform-ledger/ledger';

export const DATABASE = Symbol('DATABASE');

/** Closes the pool (and stops the embedded PostgreSQL) after Nest has finished in-flight work. */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Database) {}
  async onApplicationShutdown() {
    await this.db.close();
  }
}

/** Provides the opened database and the ledger over it to every module. */
@Global()
@Module({})
export class DatabaseModule {
  static forDatabase(db: Database) {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE, useValue: db },
        { provide: Ledger, useValue: new Ledger(db.pool) },
        DatabaseLifecycle,
      ],
      exports: [DATABASE, Ledger],
    };
  }
}
