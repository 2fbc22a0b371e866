import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard, Roles } from '../auth/auth.guard';
import { ApiProblems, ApiResult } from '../openapi';
import { Parsed, ParsedQuery, QueryParams } from '../query-params';
import { Refusals } from './refusals';

/** Refused attempts (401, 403), for the inspection team: who tried what, from where, when. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit/refusals')
@UseGuards(AuthGuard)
@Roles('inspector', 'admin')
export class RefusalsController {
  constructor(private readonly refusals: Refusals) {}

  @Get()
  @ApiOperation({
    summary: 'Refused attempts, newest first: a key missing, unknown or revoked (401), or not allowed (403); with the key, role and unit when known, the client address and the request id',
    description: 'Kept outside the event ledger (nothing was recorded) for 30 days or 100,000 entries, whichever comes first (REFUSALS_RETENTION_DAYS, REFUSALS_RETENTION_ENTRIES).',
  })
  @QueryParams('recordedFrom', 'recordedTo', ['after', 'Page on: the `next` of the previous page (an id)'], 'limit')
  @ApiResult('Refusals')
  @ApiProblems(400, 401, 403)
  async list(@Parsed() p: ParsedQuery) {
    const limit = p.limit ?? 500;
    const refusals = await this.refusals.list({ after: p.after, limit, from: p.recordedFrom, to: p.recordedTo });
    return { refusals, next: refusals.length === limit ? refusals[refusals.length - 1].id : null };
  }
}
