import { isUtf8 } from 'node:buffer';
import { SetMetadata } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { Problem } from './problem';

export const KiB = 1024;
export const MiB = 1024 * KiB;

/**
 * How large a request body may be, by route: one event (its data up to 256 KiB in the ledger), a batch
 * of up to 1,000 events, anything else (an API key, …). The body is read only after the key is checked
 * (AuthGuard), so a stranger's body is never read at all.
 */
export const BODY_LIMITS = { event: 256 * KiB, batch: 4 * MiB, other: 16 * KiB } as const;
/** JSON nested deeper than this is refused while it is read, before anything walks it. */
export const MAX_JSON_DEPTH = 64;

export const BODY_LIMIT = 'body-limit';
/** The body limit of a route (BODY_LIMITS.other unless given). */
export const BodyLimit = (bytes: number) => SetMetadata(BODY_LIMIT, bytes);

/** The deepest nesting of `{` and `[` outside strings, read byte by byte (no recursion, no parse). */
const depthOf = (buf: Buffer): number => {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
      if (max > MAX_JSON_DEPTH) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
};

/** Refuses, while reading, what JSON.parse would accept but should not be: invalid UTF-8 (it would become U+FFFD), absurd nesting. */
const verify = (_req: unknown, _res: unknown, buf: Buffer, encoding: string) => {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(buf)) {
    throw new Problem(400, 'request.invalid_utf8', {}, [{ field: 'body', reason: 'body.invalid_utf8' }]);
  }
  if (depthOf(buf) > MAX_JSON_DEPTH) {
    throw new Problem(400, 'request.too_deep', { max: MAX_JSON_DEPTH }, [{ field: 'body', reason: 'nesting.too_deep', params: { max: MAX_JSON_DEPTH } }]);
  }
};

const parsers = new Map<number, RequestHandler>();

/** Reads and parses the JSON body of `req` (if it has one) within `limit` bytes; a refusal rejects with the parser's error. */
export const readBody = (req: Request, res: Response, limit: number): Promise<void> => {
  let parser = parsers.get(limit);
  if (!parser) parsers.set(limit, (parser = json({ limit, verify })));
  return new Promise((resolve, reject) => parser(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
};
