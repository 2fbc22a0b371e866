import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { describeDate } from '@reform-ledger/calendar';
import { EventType, eventTypesOf, kindOfEventType, RecordKind } from '@reform-ledger/domain';
import { collectionOf } from './collections';
import type { FieldProblem } from '../problem';
import { EVENT_SCHEMAS } from './event-schemas';
import { ID_PATTERN } from './fields';

/**
 * What a department submits: one fact about one record (its kind and id come from the URL, or from a
 * batch item's stream). Validated here, recorded by the command path; the seed scenario is made of them.
 */
export type Submission = { kind: RecordKind; id: string; type: EventType; occurredAt: string; data: Record<string, unknown> };

const ENVELOPE_KEYS = ['type', 'occurredAt', 'data'];
/** Keys that could reach an object's prototype if anything ever assigned them; refused anywhere in a body. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 8;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Refuses prototype-polluting keys and absurd nesting before any library touches the body. */
const hostileKeys = (value: unknown, path: string, errors: FieldProblem[], depth = 0): void => {
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_DEPTH) {
    errors.push({ field: path, reason: 'nesting.too_deep', params: { max: MAX_DEPTH } });
    return;
  }
  for (const key of Object.keys(value)) {
    const child = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (FORBIDDEN_KEYS.has(key)) errors.push({ field: child, reason: 'key.forbidden' });
    else hostileKeys((value as Record<string, unknown>)[key], child, errors, depth + 1);
  }
};

/** The fields a schema class declares, for "the fields are: …". */
const fieldsOf = (target: object | undefined): string[] =>
  target ? [...new Set(getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false).map((m) => m.propertyName))] : [];

const TYPE_CHECKS = ['object.type', 'text.type', 'list.type', 'integer.type', 'boolean.type'];

/** A class-validator message as a reason of the catalogue: fields.ts writes them as JSON `{ reason, params }`. */
const reasonOf = (constraint: string, message: string, error: ValidationError): Pick<FieldProblem, 'reason' | 'params'> => {
  if (constraint === 'whitelistValidation') return { reason: 'field.unknown', params: { allowed: fieldsOf(error.target) } };
  if (constraint === 'nestedValidation') return { reason: 'object.type' };
  try {
    const parsed = JSON.parse(message) as { reason?: string; params?: Record<string, unknown> };
    if (typeof parsed.reason === 'string') return { reason: parsed.reason, params: parsed.params };
  } catch {
    // not one of ours
  }
  return { reason: 'field.invalid' };
};

/**
 * class-validator's errors as field problems: one per field (a missing field is "required"; a value of
 * the wrong type says so before anything else), named by their path (`data.positions[0].quota`).
 */
export const flatten = (errors: ValidationError[], path: string): FieldProblem[] =>
  errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${path}[${error.property}]` : path ? `${path}.${error.property}` : error.property;
    const reasons = Object.entries(error.constraints ?? {}).map(([constraint, message]) => reasonOf(constraint, message, error));
    const own: FieldProblem[] = [];
    if (reasons.length > 0) {
      const missing = error.value === undefined && !reasons.some((r) => r.reason === 'field.unknown');
      const chosen = missing ? { reason: 'field.required' } : reasons.find((r) => TYPE_CHECKS.includes(r.reason)) ?? reasons[0];
      own.push({ field, ...chosen });
    }
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** Why `type` is not an event of `kind`: another collection's event names its collection; anything else lists the allowed types. */
const typeProblem = (kind: RecordKind, type: unknown, allowed: string[]): Pick<FieldProblem, 'reason' | 'params'> => {
  const belongsTo = typeof type === 'string' ? kindOfEventType(type) : undefined;
  if (belongsTo) return { reason: 'type.wrong_collection', params: { type, kind, belongsTo, collection: collectionOf(belongsTo), allowed } };
  return { reason: 'type.unknown', params: { kind, allowed } };
};

/**
 * Checks one submission against its event type's schema. `prefix` names the item in a batch
 * (`[3]`). Returns the validated submission, or every problem found, each naming its field.
 */
export const validateSubmission = (
  kind: RecordKind, id: unknown, body: unknown, prefix = '',
): { submission: Submission; errors?: undefined } | { errors: FieldProblem[] } => {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const errors: FieldProblem[] = [];
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) errors.push({ field: at('id'), reason: 'record.id' });
  if (!isPlainObject(body)) return { errors: [...errors, { field: prefix || 'body', reason: 'body.not_object' }] };
  hostileKeys(body, prefix, errors);
  if (errors.some((e) => e.reason === 'key.forbidden' || e.reason === 'nesting.too_deep')) {
    return { errors: errors.map((e) => ({ ...e, field: e.field.replace(/^\./, '') })) };
  }
  for (const key of Object.keys(body)) {
    if (!ENVELOPE_KEYS.includes(key)) errors.push({ field: at(key), reason: 'field.unknown', params: { allowed: ENVELOPE_KEYS } });
  }
  const allowed = eventTypesOf(kind);
  const type = body.type;
  if (type === undefined) errors.push({ field: at('type'), reason: 'field.required' });
  else if (typeof type !== 'string' || !allowed.includes(type)) errors.push({ field: at('type'), ...typeProblem(kind, type, allowed) });
  const dateProblem = body.occurredAt === undefined ? undefined : describeDate(body.occurredAt);
  if (body.occurredAt === undefined) errors.push({ field: at('occurredAt'), reason: 'field.required' });
  else if (dateProblem) errors.push({ field: at('occurredAt'), reason: 'date.problem', params: { ...dateProblem } });
  if (body.data === undefined) {
    errors.push({ field: at('data'), reason: 'field.required' });
  } else if (!isPlainObject(body.data)) {
    errors.push({ field: at('data'), reason: 'object.type' });
  } else if (typeof type === 'string' && allowed.includes(type)) {
    const schema = EVENT_SCHEMAS[type as EventType].data as new () => object;
    const instance = plainToInstance(schema, body.data);
    errors.push(...flatten(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }), at('data')));
  }
  if (errors.length > 0) return { errors };
  return { submission: { kind, id: id as string, type: type as EventType, occurredAt: body.occurredAt as string, data: body.data as Record<string, unknown> } };
};
