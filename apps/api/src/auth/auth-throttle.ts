import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { Problem } from '../problem';

export const AUTH_FAILURES_PER_MINUTE = 'AUTH_FAILURES_PER_MINUTE';
/** The default limit: a few dozen failed authentications a minute from one address (AUTH_FAILURES_PER_MINUTE). */
export const authFailuresFromEnv = (env: NodeJS.ProcessEnv = process.env) => Number(env.AUTH_FAILURES_PER_MINUTE || 30);

const WINDOW_MS = 60_000;

/**
 * Failed authentication, throttled per client address with @nestjs/throttler's storage: beyond the
 * limit of failures in a minute, the address is answered 429 (with Retry-After) for a minute, before any
 * key is looked at, so guessing stops paying. Only failures count: a working key is never slowed.
 */
@Injectable()
export class AuthThrottle {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly storage: ThrottlerStorageService,
    @Inject(AUTH_FAILURES_PER_MINUTE) private readonly limit: number,
  ) {}

  private tooMany(until: number) {
    const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    return new Problem(429, 'auth.too_many_failures', { limit: this.limit, seconds }, [], { headers: { 'Retry-After': String(seconds) } });
  }

  /** 429 while the address is blocked. */
  check(address: string): void {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return;
    if (until > Date.now()) throw this.tooMany(until);
    this.blockedUntil.delete(address);
  }

  /** Counts a failure; the one beyond the limit is answered 429 instead of its 401. */
  async failed(address: string): Promise<void> {
    const record = await this.storage.increment(address, WINDOW_MS, this.limit, WINDOW_MS, 'auth-failures');
    if (record.isBlocked) {
      const until = Date.now() + record.timeToBlockExpire * 1000;
      this.blockedUntil.set(address, until);
      throw this.tooMany(until);
    }
  }
}
