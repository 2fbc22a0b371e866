import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { streamIdOf } from '@reform-ledger/domain';
import { Ledger } from '@reform-ledger/ledger';
import { AuthGuard } from './auth/auth.guard';
import { Lateness } from './lateness';
import { ApiProblems, ApiResult } from './openapi';
import { Problem } from './problem';
import { Parsed, ParsedQuery, QueryParams } from './query-params';

/** A task's history for every role (the task page of the web app): what happened, when, recorded when and by whom, late entries marked. */
@ApiTags('views')
@ApiBearerAuth()
@Controller('api/v1/tasks')
@UseGuards(AuthGuard)
export class HistoryController {
  constructor(
    private readonly ledger: Ledger,
    private readonly lateness: Lateness,
  ) {}

  @Get(':taskId/history')
  @ApiOperation({ summary: 'A task\'s history: each event with its valid time, when and by whom it was recorded, and whether it was recorded late (after a mark, though it happened before the day the ledger had reached then)' })
  @ApiParam({ name: 'taskId', example: 'NV-11' })
  @QueryParams(['knownAt', 'Only the events the ledger held at this moment'], ['position', 'Only the events up to this ledger position'])
  @ApiResult('TaskHistory')
  @ApiProblems(400, 401, 404)
  async history(@Param('taskId') taskId: string, @Parsed() p: ParsedQuery) {
    const events = (await this.ledger.readStream(streamIdOf('task', taskId), { knownAt: p.knownAt }))
      .filter((e) => p.position === undefined || e.globalPosition <= p.position);
    if (events.length === 0 && !p.knownAt && p.position === undefined) throw new Problem(404, 'stream.not_found', { streamId: streamIdOf('task', taskId) });
    return {
      taskId,
      events: (await this.lateness.mark(events)).map((e) => ({
        globalPosition: e.globalPosition, type: e.type, occurredAt: e.occurredAt, recordedAt: e.recordedAt,
        keyId: e.actor?.keyId ?? null, unitId: e.actor?.unitId ?? null, data: e.data, recordedLate: e.recordedLate,
      })),
      cut: { knownAt: p.knownAt ?? null, position: p.position ?? null },
    };
  }
}
