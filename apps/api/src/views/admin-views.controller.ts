import { Controller, Get, HttpCode, Logger, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ledger } from '@reform-ledger/ledger';
import { Projector, TemporalStore, VIEW_NAMES, viewNamed, VIEWS } from '@reform-ledger/projections';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { Problem } from '../problem';

/** Rebuilds a view into a new generation while the active one keeps answering, then swaps. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/views')
@UseGuards(AuthGuard)
@Roles('admin')
export class AdminViewsController {
  private readonly logger = new Logger('Rebuild');
  private readonly rebuilding = new Map<string, { startedAt: string; position: number; head: number }>();

  constructor(
    private readonly ledger: Ledger,
    private readonly store: TemporalStore,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Each view: active generation, checkpoint, and any rebuild in progress' })
  async list() {
    const rows: { view: string; generation: number; status: string; checkpoint: string }[] =
      await this.store.dataSource.query(`SELECT view, generation, status, checkpoint FROM rm_generations ORDER BY view, generation`);
    return {
      views: VIEWS.map((v) => ({
        view: v.name,
        generations: rows.filter((r) => r.view === v.name).map((r) => ({ generation: r.generation, status: r.status, checkpoint: Number(r.checkpoint) })),
        rebuilding: this.rebuilding.get(v.name) ?? null,
      })),
    };
  }

  @Post(':view/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a rebuild of a view (202); follow it with GET /api/v1/admin/views' })
  rebuild(@Param('view') name: string) {
    const view = viewNamed(name);
    if (!view) throw new Problem(404, 'view.not_found', { name, views: VIEW_NAMES }, [], { detail: 'view.unknown' });
    if (this.rebuilding.has(name)) throw new Problem(409, 'view.rebuilding', { name });
    const progress = { startedAt: new Date().toISOString(), position: 0, head: 0 };
    this.rebuilding.set(name, progress);
    const rebuilder = new Projector(this.ledger, this.store);
    void rebuilder.rebuild(view, (p) => Object.assign(progress, { position: p.position, head: p.head }))
      .then((g) => this.logger.log(`${name} rebuilt as generation ${g.generation}`))
      .catch((error) => this.logger.error({ err: error }, `${name} rebuild failed`))
      .finally(() => {
        this.rebuilding.delete(name);
        return rebuilder.stop();
      });
    return { view: name, status: 'rebuilding', startedAt: progress.startedAt };
  }
}
