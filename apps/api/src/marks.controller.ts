import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from './auth/auth.guard';
import { Marks } from './marks';
import { ApiProblems, ApiResult } from './openapi';

/** Named moments of the ledger, for every role: each is a `position` and a `knownAt` that work as cuts. */
@ApiTags('views')
@ApiBearerAuth()
@Controller('api/v1/ledger')
@UseGuards(AuthGuard)
export class MarksController {
  constructor(private readonly marks: Marks) {}

  @Get('marks')
  @ApiOperation({ summary: 'Named moments of the ledger (e.g. the end of the seed\'s phase 1), each as a position and as this install\'s knownAt' })
  @ApiResult('Marks')
  @ApiProblems(401)
  async list() {
    return { marks: await this.marks.list() };
  }
}
