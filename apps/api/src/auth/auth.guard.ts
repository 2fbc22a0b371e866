import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Problem } from '../problem';
import { ApiKeys, Role } from './api-keys';

const ROLES_KEY = 'roles';
/** The roles allowed on a route; a department may be narrowed further to its own records by the domain. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Authenticates `Authorization: Bearer <key>` (401) and checks the route's roles (403). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    if (!header) {
      throw new Problem(401, 'auth.missing', {}, [{ field: 'Authorization', reason: 'header.authorization.missing' }]);
    }
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    if (!match) {
      throw new Problem(401, 'auth.malformed', {}, [{ field: 'Authorization', reason: 'header.authorization.malformed' }]);
    }
    req.actor = await this.keys.authenticate(match[1]);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(req.actor.role)) {
      throw new Problem(403, 'auth.role_forbidden', { role: req.actor.role, method: req.method, path: req.route?.path ?? req.path, allowed: roles });
    }
    return true;
  }
}
