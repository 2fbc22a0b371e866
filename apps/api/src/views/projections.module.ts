import { BeforeApplicationShutdown, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Database, Ledger } from '@reform-ledger/ledger';
import { Projector, TemporalStore, ViewQueries, VIEWS } from '@reform-ledger/projections';
import { DATABASE } from '../database.module';

export const PROJECTOR_IN_PROCESS = 'PROJECTOR_IN_PROCESS';

/** Starts the in-process projector after boot and stops it (then the read store) before the database closes. */
@Injectable()
class ProjectionsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly projector: Projector,
    private readonly store: TemporalStore,
    @Inject(PROJECTOR_IN_PROCESS) private readonly inProcess: boolean,
  ) {}

  onApplicationBootstrap() {
    if (this.inProcess) this.projector.start();
  }

  async beforeApplicationShutdown() {
    await this.projector.stop();
    await this.store.close();
  }
}

/** The read side: the temporal store (TypeORM), the projector, and the view queries. */
@Global()
@Module({})
export class ProjectionsModule {
  static register(inProcess: boolean) {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: PROJECTOR_IN_PROCESS, useValue: inProcess },
        { provide: TemporalStore, inject: [DATABASE], useFactory: (db: Database) => TemporalStore.open(db.url) },
        {
          provide: Projector,
          inject: [Ledger, TemporalStore],
          useFactory: (ledger: Ledger, store: TemporalStore) => {
            const logger = new Logger('Projector');
            return new Projector(ledger, store, VIEWS, { onError: (error) => logger.error({ err: error }, 'projection batch failed; retrying') });
          },
        },
        { provide: ViewQueries, inject: [TemporalStore, Ledger], useFactory: (store: TemporalStore, ledger: Ledger) => new ViewQueries(store, ledger) },
        ProjectionsLifecycle,
      ],
      exports: [TemporalStore, Projector, ViewQueries],
    };
  }
}
