import { applyDecorators, Type as Class } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsString, Matches, Max, MaxLength,
  Min, MinLength, ValidateBy, ValidateIf, ValidateNested,
} from 'class-validator';
import { describeDate, isCalendarDate } from '@reform-ledger/calendar';
import { normaliseText } from '@reform-ledger/domain';

/**
 * Field decorators: each declares a field once and yields both its validation (class-validator)
 * and its OpenAPI schema (@nestjs/swagger), so the two never drift apart. Each check's message is a
 * reason of the message catalogue (messages.ts) with its parameters, so a refusal is written in the
 * reader's language and never in class-validator's words.
 */
type Options = { optional?: boolean; description?: string; example?: unknown };
type TextOptions = Options & {
  /** A name, title, alias or reference: one line, so no tab or line break either. */
  line?: boolean;
};

/** A class-validator message that carries a reason key and its parameters (read back by validate.ts). */
export const reason = (key: string, params: Record<string, unknown> = {}) => ({ message: JSON.stringify({ reason: key, params }) });

/** Record ids: unit, plan, task, document… ids, as in the URL. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/**
 * An optional field may be left out, but not sent as null: class-validator's IsOptional would let
 * `"note": null` through and store a null the domain's types do not allow.
 */
export const Optional = () => ValidateIf((_object, value) => value !== undefined);

const field = (schema: Record<string, unknown>, { optional, description, example }: Options, ...validators: PropertyDecorator[]) =>
  applyDecorators(
    ...(optional ? [Optional()] : []),
    ApiProperty({ ...schema, required: !optional, ...(description && { description }), ...(example !== undefined && { example }) }),
    ...validators,
  );

/** A lone UTF-16 surrogate (`"\ud800"` in JSON): not a character; PostgreSQL cannot store it. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Control characters (C0, DEL, C1: NUL, ESC of ANSI escapes…); free text keeps tab and line breaks. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;

/**
 * Why a text cannot be stored, or undefined: a lone surrogate, a control character (a tab or line
 * break too, in a single line), or nothing but spaces (stored NFC and trimmed, it would be empty).
 */
export const textProblem = (value: string, line = false): string | undefined => {
  if (LONE_SURROGATE.test(value)) return 'text.surrogate';
  if (CONTROL.test(value) || (line && LINE_BREAK.test(value))) return line ? 'text.control_line' : 'text.control';
  if (normaliseText(value).length === 0) return 'text.blank';
  return undefined;
};

const storableText = (line: boolean, each = false) => ValidateBy({
  name: 'storableText',
  validator: {
    validate: (value) => typeof value !== 'string' || textProblem(value, line) === undefined,
    defaultMessage: (args) => reason(textProblem(String(args?.value), line) ?? 'text.blank').message,
  },
}, { each });

export const Text = (maxLength = 1000, options: TextOptions = {}) => {
  const length = reason('text.length', { min: 1, max: maxLength });
  return field({ type: 'string', minLength: 1, maxLength }, options, IsString(reason('text.type')), MinLength(1, length), MaxLength(maxLength, length),
    storableText(options.line ?? false));
};

export const Id = (options: Options = {}) =>
  field({ type: 'string', pattern: ID_PATTERN.source }, options, IsString(reason('text.type')), Matches(ID_PATTERN, reason('id.format')));

export const Ids = (options: Options & { min?: number; max?: number } = {}) => {
  const [min, max] = [options.min ?? 0, options.max ?? 500];
  return field({ type: 'array', items: { type: 'string', pattern: ID_PATTERN.source }, minItems: min, maxItems: max }, options,
    IsArray(reason('list.type')), ArrayMinSize(min, reason('list.size', { min, max })), ArrayMaxSize(max, reason('list.size', { min, max })),
    ArrayUnique(reason('list.unique')), Matches(ID_PATTERN, { each: true, ...reason('ids.format') }));
};

export const CalendarDate = (options: Options = {}) =>
  field({ type: 'string', format: 'date', example: '2022-11-30' }, options,
    ValidateBy({
      name: 'isCalendarDate',
      validator: {
        validate: isCalendarDate,
        defaultMessage: (args) => reason('date.problem', describeDate(args?.value, true) ?? { problem: 'format' }).message,
      },
    }));

export const OneOf = (values: readonly string[], options: Options = {}) =>
  field({ type: 'string', enum: [...values] }, options, IsIn([...values], reason('one_of', { values })));

export const Int = (min: number, max: number, options: Options = {}) => {
  const range = reason('integer.range', { min, max });
  return field({ type: 'integer', minimum: min, maximum: max }, options, IsInt(reason('integer.type')), Min(min, range), Max(max, range));
};

export const Bool = (options: Options = {}) => field({ type: 'boolean' }, options, IsBoolean(reason('boolean.type')));

export const Nested = (type: () => Class, options: Options = {}) =>
  field({ type: type() }, options, IsObject(reason('object.type')), ValidateNested(reason('object.type')), Type(type));

export const NestedList = (type: () => Class, options: Options & { min?: number; max?: number } = {}) => {
  const [min, max] = [options.min ?? 0, options.max ?? 500];
  return field({ type: [type()], minItems: min, maxItems: max }, options,
    IsArray(reason('list.type')), ArrayMinSize(min, reason('list.size', { min, max })), ArrayMaxSize(max, reason('list.size', { min, max })),
    IsObject({ each: true, ...reason('object.type') }), ValidateNested({ each: true, ...reason('object.type') }), Type(type));
};

/** A list of names (aliases): each one line of text. */
export const TextList = (maxLength: number, options: Options & { max?: number } = {}) => {
  const max = options.max ?? 100;
  return field({ type: 'array', items: { type: 'string', minLength: 1, maxLength }, maxItems: max }, options,
    IsArray(reason('list.type')), ArrayMaxSize(max, reason('list.size', { min: 0, max })), IsString({ each: true, ...reason('texts.format', { max: maxLength }) }),
    MinLength(1, { each: true, ...reason('texts.format', { max: maxLength }) }), MaxLength(maxLength, { each: true, ...reason('texts.format', { max: maxLength }) }),
    storableText(true, true));
};
