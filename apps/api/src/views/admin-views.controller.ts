import { BeforeApplicationShutdown, Controller, Get, HttpCode, Logger, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Ledger } from '@reform-ledger/ledger';
import { Projector, TemporalStore, VIEW_NAMES, viewNamed, VIEWS } from '@reform-ledger/projections';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { ApiProblems, ApiResult } from '../openapi';
import { Problem } from '../problem';

type RebuildState = { status: 'queued' | 'rebuilding'; queuedAt: string; startedAt?: string; position: number; head: number };

/**
 * Rebuilds a view into a new generation while the active one keeps answering, then swaps. Rebuilds run
 * one at a time, in the order asked, on one rebuilder (one lease connection): several asked at once all
 * finish and swap, and never take the read store's connections from the routes (four at once used to
 * hold one lease each and starve the pool, and the API stopped answering). A view asked again while it
 * is queued or rebuilding is a 409.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/views')
@UseGuards(AuthGuard)
@Roles('admin')
export class AdminViewsController implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Rebuild');
  private readonly rebuilding = new Map<string, RebuildState>();
  private queue: Promise<void> = Promise.resolve();
  private rebuilder?: Projector;
  private stopping = false;

  constructor(
    private readonly ledger: Ledger,
    private readonly store: TemporalStore,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Each view: its reducer\'s version, its generations (version, status, checkpoint), and any rebuild queued or in progress' })
  @ApiResult('AdminViews')
  @ApiProblems(401, 403)
  async list() {
    const rows: { view: string; generation: number; version: number; status: string; checkpoint: string }[] =
      await this.store.dataSource.query(`SELECT view, generation, version, status, checkpoint FROM rm_generations ORDER BY view, generation`);
    return {
      views: VIEWS.map((v) => ({
        view: v.name,
        version: v.version,
        generations: rows.filter((r) => r.view === v.name).map((r) => ({ generation: r.generation, version: r.version, status: r.status, checkpoint: Number(r.checkpoint) })),
        rebuilding: this.rebuilding.get(v.name) ?? null,
      })),
    };
  }

  @Post(':view/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a rebuild of a view (202; rebuilds run one at a time, in order); follow it with GET /api/v1/admin/views' })
  @ApiParam({ name: 'view', enum: VIEW_NAMES })
  @ApiResult('RebuildStarted', 202, 'Queued: the active generation keeps answering until the swap')
  @ApiProblems(401, 403, 404, 409)
  rebuild(@Param('view') name: string) {
    const view = viewNamed(name);
    if (!view) throw new Problem(404, 'view.not_found', { name, views: VIEW_NAMES }, [], { detail: 'view.unknown' });
    if (this.rebuilding.has(name)) throw new Problem(409, 'view.rebuilding', { name });
    const state: RebuildState = { status: 'queued', queuedAt: new Date().toISOString(), position: 0, head: 0 };
    this.rebuilding.set(name, state);
    this.queue = this.queue.then(async () => {
      if (this.stopping) return;
      Object.assign(state, { status: 'rebuilding', startedAt: new Date().toISOString() });
      this.rebuilder ??= new Projector(this.ledger, this.store);
      try {
        const g = await this.rebuilder.rebuild(view, (p) => Object.assign(state, { position: p.position, head: p.head }));
        this.logger.log(`${name} rebuilt as generation ${g.generation}`);
      } catch (error) {
        this.logger.error({ err: error }, `${name} rebuild failed`);
      } finally {
        this.rebuilding.delete(name);
      }
    });
    return { view: name, status: state.status, queuedAt: state.queuedAt };
  }

  /** Lets the rebuild in progress finish (the ones queued behind it are dropped), then gives up its lease; before the store closes. */
  async beforeApplicationShutdown() {
    this.stopping = true;
    await this.queue;
    await this.rebuilder?.stop();
  }
}
