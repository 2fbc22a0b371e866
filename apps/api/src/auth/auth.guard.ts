import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { BODY_LIMIT, BODY_LIMITS, readBody } from '../body';
import { Problem } from '../problem';
import { ApiKeys, Role } from './api-keys';
import { AuthThrottle } from './auth-throttle';

const ROLES_KEY = 'roles';
/** The roles allowed on a route; a department may be narrowed further to its own records by the domain. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Authenticates `Authorization: Bearer <key>` (401; too many failures from one address: 429, AuthThrottle),
 * checks the route's roles (403), and only then
 * reads the body, within the route's limit (@BodyLimit): an unauthenticated body is never read.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeys,
    private readonly reflector: Reflector,
    private readonly throttle: AuthThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const address = req.ip ?? req.socket.remoteAddress ?? '';
    this.throttle.check(address);
    try {
      req.actor = await this.authenticate(req);
    } catch (error) {
      // A key presented and refused counts; a request with no key at all (a page before sign-in) guesses nothing.
      if (error instanceof Problem && error.status === 401 && error.code !== 'auth.missing') await this.throttle.failed(address);
      throw error;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(req.actor.role)) {
      throw new Problem(403, 'auth.role_forbidden', { role: req.actor.role, method: req.method, path: req.route?.path ?? req.path, allowed: roles });
    }
    const limit = this.reflector.getAllAndOverride<number | undefined>(BODY_LIMIT, [context.getHandler(), context.getClass()]) ?? BODY_LIMITS.other;
    await readBody(req, context.switchToHttp().getResponse<Response>(), limit);
    return true;
  }

  private authenticate(req: Request) {
    const header = req.headers.authorization;
    if (!header) {
      throw new Problem(401, 'auth.missing', {}, [{ field: 'Authorization', reason: 'header.authorization.missing' }]);
    }
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    if (!match) {
      throw new Problem(401, 'auth.malformed', {}, [{ field: 'Authorization', reason: 'header.authorization.malformed' }]);
    }
    return this.keys.authenticate(match[1]);
  }
}
