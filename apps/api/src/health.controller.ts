import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Database } from '@reform-ledger/ledger';
import { DATABASE } from './database.module';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  /** Ready when the ledger's database answers; 503 otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('database');
        try {
          const { rows } = await this.db.pool.query<{ head: string | null }>('SELECT max(global_position) AS head FROM ledger_events');
          return indicator.up({ engine: this.db.engine, headPosition: Number(rows[0].head ?? 0) });
        } catch (error) {
          return indicator.down({ engine: this.db.engine, message: (error as Error).message });
        }
      },
    ]);
  }
}
