import { applyDecorators, Type as Class } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsString, Matches, Max, MaxLength,
  Min, MinLength, ValidateBy, ValidateIf, ValidateNested,
} from 'class-validator';
import { isCalendarDate } from '@reform-ledger/domain';

/**
 * Field decorators: each declares a field once and yields both its validation (class-validator)
 * and its OpenAPI schema (@nestjs/swagger), so the two never drift apart.
 */
type Options = { optional?: boolean; description?: string };

/** Record ids: unit, plan, task, document… ids, as in the URL. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/**
 * An optional field may be left out, but not sent as null: class-validator's IsOptional would let
 * `"note": null` through and store a null the domain's types do not allow.
 */
export const Optional = () => ValidateIf((_object, value) => value !== undefined);

const field = (schema: Record<string, unknown>, { optional, description }: Options, ...validators: PropertyDecorator[]) =>
  applyDecorators(
    ...(optional ? [Optional()] : []),
    ApiProperty({ ...schema, required: !optional, ...(description && { description }) }),
    ...validators,
  );

export const Text = (maxLength = 1000, options: Options = {}) =>
  field({ type: 'string', minLength: 1, maxLength }, options, IsString(), MinLength(1), MaxLength(maxLength));

export const Id = (options: Options = {}) =>
  field({ type: 'string', pattern: ID_PATTERN.source }, options, IsString(), Matches(ID_PATTERN, { message: '$property must be an id (letters, digits, . _ ~ -; at most 128)' }));

export const Ids = (options: Options & { min?: number; max?: number } = {}) =>
  field({ type: 'array', items: { type: 'string', pattern: ID_PATTERN.source }, minItems: options.min ?? 0, maxItems: options.max ?? 500 }, options,
    IsArray(), ArrayMinSize(options.min ?? 0), ArrayMaxSize(options.max ?? 500), ArrayUnique(),
    Matches(ID_PATTERN, { each: true, message: 'each of $property must be an id' }));

export const CalendarDate = (options: Options = {}) =>
  field({ type: 'string', format: 'date', example: '2022-11-30' }, options,
    ValidateBy({
      name: 'isCalendarDate',
      validator: { validate: isCalendarDate, defaultMessage: () => '$property must be a calendar date YYYY-MM-DD (e.g. 30/11/2022 is 2022-11-30; 2022-11-31 does not exist)' },
    }));

export const OneOf = (values: readonly string[], options: Options = {}) =>
  field({ type: 'string', enum: [...values] }, options, IsIn([...values], { message: `$property must be one of: ${values.join(', ')}` }));

export const Int = (min: number, max: number, options: Options = {}) =>
  field({ type: 'integer', minimum: min, maximum: max }, options, IsInt(), Min(min), Max(max));

export const Bool = (options: Options = {}) => field({ type: 'boolean' }, options, IsBoolean());

export const Nested = (type: () => Class, options: Options = {}) =>
  field({ type }, options, ValidateNested(), Type(type));

export const NestedList = (type: () => Class, options: Options & { min?: number; max?: number } = {}) =>
  field({ type, isArray: true, minItems: options.min ?? 0, maxItems: options.max ?? 500 }, options,
    IsArray(), ArrayMinSize(options.min ?? 0), ArrayMaxSize(options.max ?? 500), ValidateNested({ each: true }), Type(type));

export const TextList = (maxLength: number, options: Options & { max?: number } = {}) =>
  field({ type: 'array', items: { type: 'string', minLength: 1, maxLength }, maxItems: options.max ?? 100 }, options,
    IsArray(), ArrayMaxSize(options.max ?? 100), IsString({ each: true }), MinLength(1, { each: true }), MaxLength(maxLength, { each: true }));
