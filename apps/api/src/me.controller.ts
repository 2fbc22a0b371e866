import { Controller, Get, Inject, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { unitsQuery, ViewReader } from '@reform-ledger/projections';
import { AuthGuard } from './auth/auth.guard';
import { DEMO_ROLE_KEYS } from './auth/api-keys';
import { ApiProblems, ApiResult } from './openapi';
import { Problem } from './problem';

/** Who a key is (for the web app: its role decides the pages), and in demo mode the demo keys to sign in with. */
@ApiTags('auth')
@Controller('api/v1')
export class MeController {
  constructor(
    private readonly reader: ViewReader,
    @Inject('DEMO_MODE') private readonly demo: boolean,
  ) {}

  private async unitNames() {
    const { units } = await this.reader.answer(unitsQuery, {});
    return new Map(units.map((u) => [u.unitId, u]));
  }

  @Get('me')
  @ApiBearerAuth()
  @UseGuards(AuthGuard)
  @ApiOperation({ summary: 'The calling key: its id, role and unit (with the unit\'s registered name), and whether the install runs in demo mode' })
  @ApiResult('Me')
  @ApiProblems(401)
  async me(@Req() req: Request) {
    const { keyId, role, unitId } = req.actor!;
    const unitName = unitId ? (await this.unitNames()).get(unitId)?.name ?? null : null;
    return { keyId, role, unitId: unitId ?? null, unitName, demo: this.demo };
  }

  @Get('demo-keys')
  @ApiOperation({ summary: 'Demo mode only (404 otherwise): the demo keys to sign in with — one per role, and one per active unit for its department' })
  @ApiResult('DemoKeys')
  @ApiProblems(404)
  async demoKeys() {
    if (!this.demo) throw new Problem(404, 'demo.off');
    const units = [...(await this.unitNames()).values()].filter((u) => u.status === 'active');
    return {
      keys: [
        ...Object.entries(DEMO_ROLE_KEYS).map(([token, role]) => ({ token, role, unitId: null, unitName: null })),
        ...units.map((u) => ({ token: `demo-dept-${u.unitId}`, role: 'department', unitId: u.unitId, unitName: u.name })),
      ],
    };
  }
}
