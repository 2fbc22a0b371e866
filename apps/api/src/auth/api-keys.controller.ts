import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { ID_PATTERN, Optional, reason, Text } from '../events/fields';
import { ApiProblems, ApiResult } from '../openapi';
import { ApiKeys, ROLES, Role } from './api-keys';
import { AuthGuard, Roles } from './auth.guard';

class IssueKeyRequest {
  @ApiProperty({ enum: ROLES }) @IsIn([...ROLES], reason('one_of', { values: ROLES })) role!: Role;
  @ApiProperty({ required: false, description: 'The unit the key acts for; required for department keys', example: 'phong-noi-vu' })
  @Optional() @IsString(reason('text.type')) @Matches(ID_PATTERN, reason('id.format')) unitId?: string;
  @Text(200, { optional: true, line: true, description: 'What the key is for (one line)' }) label?: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/api-keys')
@UseGuards(AuthGuard)
@Roles('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeys) {}

  @Post()
  @ApiOperation({ summary: 'Issue an API key bound to a role and unit; the token is shown once' })
  @ApiResult('ApiKeyIssued', 201)
  @ApiProblems(400, 401, 403, 422)
  issue(@Body() body: IssueKeyRequest) {
    return this.keys.issue(body.role, body.unitId, body.label);
  }

  @Get()
  @ApiOperation({ summary: 'List API keys (never their tokens)' })
  @ApiResult('ApiKeys')
  @ApiProblems(401, 403)
  list() {
    return this.keys.list();
  }

  @Delete(':keyId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key; it is refused from then on' })
  @ApiResult('ApiKey')
  @ApiProblems(401, 403, 404)
  revoke(@Param('keyId') keyId: string) {
    return this.keys.revoke(keyId);
  }
}
