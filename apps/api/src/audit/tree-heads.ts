import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Database, KeyRing, TreeHeadSigner } from '@reform-ledger/ledger';
import { DATABASE } from '../database.module';

/** Signs a tree head within a second of the ledger growing (TreeHeadSigner), from start to shutdown. */
@Injectable()
export class TreeHeads implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly signer: TreeHeadSigner;
  private readonly logger = new Logger('TreeHeads');
  private lastError = '';

  constructor(@Inject(DATABASE) db: Database, readonly keys: KeyRing) {
    this.signer = new TreeHeadSigner(db.pool, keys, {
      onError: (error) => {
        const message = (error as Error).message;
        if (message !== this.lastError) this.logger.error({ err: error }, `no tree head signed: ${message}`);
        this.lastError = message;
      },
    });
  }

  async onApplicationBootstrap() {
    await this.signer.tree.storePublicKeys(this.keys.records);
    this.signer.start();
  }

  beforeApplicationShutdown() {
    return this.signer.stop();
  }
}
