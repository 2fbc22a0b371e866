import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Database } from '@reform-ledger/ledger';
import { Ledger } from '@reform-ledger/ledger';
import { TemporalStore, VIEWS } from '@reform-ledger/projections';
import { DATABASE } from './database.module';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATABASE) private readonly db: Database,
    private readonly ledger: Ledger,
    private readonly store: TemporalStore,
  ) {}

  /** Each view's checkpoint and lag: how many ledger positions it is behind the head. */
  private async lags() {
    const head = await this.ledger.headPosition();
    const views = await Promise.all(VIEWS.map(async (v) => {
      const checkpoint = await this.store.checkpoint(v.name);
      return { view: v.name, checkpoint, lag: Math.max(0, head - checkpoint) };
    }));
    return { head, views };
  }

  /** Ready when the ledger's database answers; 503 otherwise. Reports the projections' lag. */
  @Get('health')
  @HealthCheck()
  @ApiOperation({ summary: 'Database readiness, ledger head position, projection lag' })
  check() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('database');
        try {
          return indicator.up({ engine: this.db.engine, headPosition: await this.ledger.headPosition() });
        } catch (error) {
          return indicator.down({ engine: this.db.engine, message: (error as Error).message });
        }
      },
      async () => {
        const indicator = this.indicators.check('projections');
        try {
          const { views } = await this.lags();
          return indicator.up(Object.fromEntries(views.map((v) => [v.view, { checkpoint: v.checkpoint, lag: v.lag }])));
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
    ]);
  }

  /** Prometheus text format. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: ledger head, projection checkpoints and lag' })
  async metrics(): Promise<string> {
    const { head, views } = await this.lags();
    return [
      '# HELP reform_ledger_head_position The highest ledger position a gap-free reader sees.',
      '# TYPE reform_ledger_head_position gauge',
      `reform_ledger_head_position ${head}`,
      '# HELP reform_ledger_projection_checkpoint The last ledger position a view has applied.',
      '# TYPE reform_ledger_projection_checkpoint gauge',
      ...views.map((v) => `reform_ledger_projection_checkpoint{view="${v.view}"} ${v.checkpoint}`),
      '# HELP reform_ledger_projection_lag Ledger positions a view is behind the head.',
      '# TYPE reform_ledger_projection_lag gauge',
      ...views.map((v) => `reform_ledger_projection_lag{view="${v.view}"} ${v.lag}`),
      '',
    ].join('\n');
  }
}
