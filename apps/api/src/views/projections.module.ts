import { BeforeApplicationShutdown, Global, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Ledger } from '@reform-ledger/ledger';
import { Projector, TemporalStore, ViewReader, VIEWS } from '@reform-ledger/projections';

export const PROJECTOR_IN_PROCESS = 'PROJECTOR_IN_PROCESS';

/** Starts the in-process projector after boot; stops it first on shutdown (DatabaseModule closes the store). */
@Injectable()
class ProjectionsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly projector: Projector,
    @Inject(PROJECTOR_IN_PROCESS) private readonly inProcess: boolean,
  ) {}

  onApplicationBootstrap() {
    if (this.inProcess) this.projector.start();
  }

  async beforeApplicationShutdown() {
    await this.projector.stop();
  }
}

/** The read side: the projector and the view queries, over the temporal store of DatabaseModule. */
@Global()
@Module({})
export class ProjectionsModule {
  static register(inProcess: boolean) {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: PROJECTOR_IN_PROCESS, useValue: inProcess },
        {
          provide: Projector,
          inject: [Ledger, TemporalStore],
          useFactory: (ledger: Ledger, store: TemporalStore) => {
            const logger = new Logger('Projector');
            return new Projector(ledger, store, VIEWS, { onError: (error) => logger.error({ err: error }, 'projection batch failed; retrying') });
          },
        },
        { provide: ViewReader, inject: [TemporalStore, Ledger], useFactory: (store: TemporalStore, ledger: Ledger) => new ViewReader(store, ledger) },
        ProjectionsLifecycle,
      ],
      exports: [Projector, ViewReader],
    };
  }
}
