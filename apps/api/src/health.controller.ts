import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Database } from '@reform-ledger/ledger';
import { Ledger } from '@reform-ledger/ledger';
import { TemporalStore, VIEWS } from '@reform-ledger/projections';
import { DATABASE } from './database.module';
import { Marks, Readiness } from './marks';
import { ApiResult } from './openapi';
import { DATABASE_RETRY_AFTER } from './problem';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly ledger: Ledger,
    private readonly store: TemporalStore,
    private readonly marks: Marks,
    private readonly readiness: Readiness,
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

  /**
   * Ready (200, ok) when the ledger's database answers and the first start's load (the seed district)
   * has finished; 503 `loading` until then, 503 `error` when the database does not answer. Reports the
   * projections' lag and the ledger's marks (the end of the seed's phase 1 as a position and a knownAt).
   */
  @Get('health')
  @ApiOperation({ summary: 'Readiness: database, ledger head, projection lag, the first start\'s load, and the ledger\'s marks' })
  @ApiResult('Health')
  @ApiResult('Health', 503, 'Loading the seed district, or the database does not answer')
  async check(@Res({ passthrough: true }) res: Response) {
    const info: Record<string, unknown> = {};
    const error: Record<string, unknown> = {};
    try {
      const { head, views } = await this.lags();
      info.database = { status: 'up', engine: this.db.engine, headPosition: head };
      info.projections = { status: 'up', ...Object.fromEntries(views.map((v) => [v.view, { checkpoint: v.checkpoint, lag: v.lag }])) };
    } catch (e) {
      // Why: the server's answer, and in embedded mode what this process is doing about it (restarting it, or given up).
      const server = this.db.server?.state();
      error.database = { status: 'down', engine: this.db.engine, message: (e as Error).message, ...(server && server.status !== 'up' && { server }) };
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER));
    }
    const { loading, what } = this.readiness.state;
    (loading ? error : info).startup = loading ? { status: 'loading', what } : { status: 'up' };
    const marks = error.database ? [] : await this.marks.list();
    const status = error.database ? 'error' : loading ? 'loading' : 'ok';
    res.status(status === 'ok' ? 200 : 503);
    return { status, info, ...(Object.keys(error).length > 0 && { error }), marks };
  }

  /** Prometheus text format. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: ledger head, projection checkpoints and lag' })
  @ApiResponse({ status: 200, description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
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
