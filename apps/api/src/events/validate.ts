import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EventType, eventTypesOf, isOccurredAt, RecordKind } from '@reform-ledger/domain';
import { EVENT_SCHEMAS } from './event-schemas';
import { ID_PATTERN } from './fields';

export type FieldError = { field: string; reason: string };

/** A request to record one event, validated. */
export type Submission = { kind: RecordKind; id: string; type: EventType; occurredAt: string; data: object };

const ENVELOPE_KEYS = ['type', 'occurredAt', 'data'];
/** Keys that could reach an object's prototype if anything ever assigned them; refused anywhere in a body. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 8;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Refuses prototype-polluting keys and absurd nesting before any library touches the body. */
const hostileKeys = (value: unknown, path: string, errors: FieldError[], depth = 0): void => {
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_DEPTH) {
    errors.push({ field: path, reason: `is nested deeper than ${MAX_DEPTH} levels` });
    return;
  }
  for (const key of Object.keys(value)) {
    const child = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (FORBIDDEN_KEYS.has(key)) errors.push({ field: child, reason: 'is not an allowed key' });
    else hostileKeys((value as Record<string, unknown>)[key], child, errors, depth + 1);
  }
};

const flatten = (errors: ValidationError[], path: string): FieldError[] =>
  errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${path}[${error.property}]` : `${path}.${error.property}`;
    return [
      ...Object.values(error.constraints ?? {}).map((reason) => ({
        field,
        reason: reason.replace(/^property \S+ should not exist$/, 'is not a field of this event type').replace(`${error.property} `, ''),
      })),
      ...flatten(error.children ?? [], field),
    ];
  });

/**
 * Checks one submission against its event type's schema. `prefix` names the item in a batch
 * (`[3]`). Returns the validated submission, or every problem found, each naming its field.
 */
export const validateSubmission = (
  kind: RecordKind, id: unknown, body: unknown, prefix = '',
): { submission: Submission; errors?: undefined } | { errors: FieldError[] } => {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const errors: FieldError[] = [];
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    errors.push({ field: at('id'), reason: 'must be an id: letters, digits and . _ ~ -, at most 128 characters' });
  }
  if (!isPlainObject(body)) return { errors: [...errors, { field: prefix || 'body', reason: 'must be a JSON object { type, occurredAt, data }' }] };
  hostileKeys(body, prefix, errors);
  if (errors.some((e) => e.reason === 'is not an allowed key' || e.reason.startsWith('is nested'))) {
    return { errors: errors.map((e) => ({ ...e, field: e.field.replace(/^\./, '') })) };
  }
  for (const key of Object.keys(body)) {
    if (!ENVELOPE_KEYS.includes(key)) errors.push({ field: at(key), reason: 'is not a field of an event submission (type, occurredAt, data)' });
  }
  const allowed = eventTypesOf(kind);
  const type = body.type;
  if (typeof type !== 'string' || !allowed.includes(type)) {
    errors.push({ field: at('type'), reason: `must be one of the event types of a ${kind}: ${allowed.join(', ')}` });
  }
  if (!isOccurredAt(body.occurredAt)) {
    errors.push({ field: at('occurredAt'), reason: 'must be a calendar date (YYYY-MM-DD) or an ISO-8601 datetime with a zone' });
  }
  if (!isPlainObject(body.data)) {
    errors.push({ field: at('data'), reason: 'must be a JSON object' });
  } else if (typeof type === 'string' && allowed.includes(type)) {
    const schema = EVENT_SCHEMAS[type as EventType].data as new () => object;
    const instance = plainToInstance(schema, body.data);
    errors.push(...flatten(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }), at('data')));
  }
  if (errors.length > 0) return { errors };
  return { submission: { kind, id: id as string, type: type as EventType, occurredAt: body.occurredAt as string, data: body.data as object } };
};
