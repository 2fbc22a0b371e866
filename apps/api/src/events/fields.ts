import { applyDecorators, Type as Class } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsString, Matches, Max, MaxLength,
  Min, MinLength, ValidateBy, ValidateIf, ValidateNested,
} from 'class-validator';
import { describeDate, isCalendarDate } from '@reform-ledger/calendar';

/**
 * Field decorators: each declares a field once and yields both its validation (class-validator)
 * and its OpenAPI schema (@nestjs/swagger), so the two never drift apart. Each check's message is a
 * reason of the message catalogue (messages.ts) with its parameters, so a refusal is written in the
 * reader's language and never in class-validator's words.
 */
type Options = { optional?: boolean; description?: string; example?: unknown };

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

export const Text = (maxLength = 1000, options: Options = {}) => {
  const length = reason('text.length', { min: 1, max: maxLength });
  return field({ type: 'string', minLength: 1, maxLength }, options, IsString(reason('text.type')), MinLength(1, length), MaxLength(maxLength, length));
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

export const TextList = (maxLength: number, options: Options & { max?: number } = {}) => {
  const max = options.max ?? 100;
  return field({ type: 'array', items: { type: 'string', minLength: 1, maxLength }, maxItems: max }, options,
    IsArray(reason('list.type')), ArrayMaxSize(max, reason('list.size', { min: 0, max })), IsString({ each: true, ...reason('texts.format', { max: maxLength }) }),
    MinLength(1, { each: true, ...reason('texts.format', { max: maxLength }) }), MaxLength(maxLength, { each: true, ...reason('texts.format', { max: maxLength }) }));
};
