import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { invalid } from './problem';

/** What a path id, an Idempotency-Key or an If-Match may be: 1–200 printable ASCII characters, no space, no control character. */
export const PRINTABLE = /^[\x21-\x7e]{1,200}$/;

/**
 * Every path parameter of every route is checked before a handler (or SQL) sees it: a NUL, a space,
 * a control character, non-ASCII text or more than 200 characters is a 400 naming the parameter.
 * Each route still checks the form of its own ids (a record id, a stream id, a view name).
 */
@Injectable()
export class PathParamsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type === 'param' && (typeof value !== 'string' || !PRINTABLE.test(value))) {
      throw invalid([{ field: metadata.data ?? 'path', reason: 'path.format' }]);
    }
    return value;
  }
}
