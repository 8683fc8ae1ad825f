import { z } from 'zod';
import { ApiError, invalidRequest, missingParam, unknownParam } from './errors.ts';

/**
 * Parameter schemas in Stripe's conventions, for bodies that arrive as forms (every value
 * a string) or as JSON (typed values). An empty string means "unset" (the SDK sends null
 * that way).
 */

const INT_PATTERN = /^-?\d+$/;

function emptyToNull(value: unknown): unknown {
  return value === '' ? null : value;
}

/** Objects keyed "0", "1", ... (form arrays) become arrays. */
function indexedToArray(value: unknown): unknown {
  if (Array.isArray(value) || typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (!keys.every((k) => /^\d+$/.test(k))) return value;
  return keys
    .map(Number)
    .sort((a, b) => a - b)
    .map((k) => (value as Record<string, unknown>)[String(k)]);
}

export function str(max = 5000) {
  return z.string({ error: 'must be a string' }).max(max, { error: `must be at most ${max} characters` });
}

/** A string that the caller may clear with '' (stored as null). */
export function clearableStr(max = 5000) {
  return z.preprocess(emptyToNull, str(max).nullable());
}

export function int(options: { min?: number; max?: number } = {}) {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return z.preprocess(
    (value) => (typeof value === 'string' && INT_PATTERN.test(value) ? Number(value) : value),
    z
      .number({ error: 'must be an integer' })
      .int({ error: 'must be an integer' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` }),
  );
}

export function bool() {
  return z.preprocess(
    (value) => (value === 'true' ? true : value === 'false' ? false : value),
    z.boolean({ error: 'must be a boolean (true or false)' }),
  );
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of: ${values.join(', ')}` });
}

export function formArray<T extends z.ZodType>(item: T, max = 100) {
  return z.preprocess(
    indexedToArray,
    z.array(item, { error: 'must be an array' }).max(max, { error: `must have at most ${max} entries` }),
  );
}

/** A nested hash the caller may clear with '' (stored as null). */
export function clearableHash<T extends z.ZodType>(hash: T) {
  return z.preprocess(emptyToNull, hash.nullable());
}

/**
 * Metadata update: `metadata[key]=value` sets, `metadata[key]=` removes a key,
 * `metadata=` removes all. Limits as Stripe's: 50 keys, key ≤ 40, value ≤ 500 characters.
 */
export const metadataParam = z.preprocess(
  emptyToNull,
  z
    .record(
      z.string().max(40, { error: 'metadata keys must be at most 40 characters' }).regex(/^[^[\]]+$/, {
        error: 'metadata keys may not contain square brackets',
      }),
      z.union([str(500), z.number().transform(String), z.null()], {
        error: 'metadata values must be strings of at most 500 characters',
      }),
    )
    .nullable(),
);
export type MetadataParam = z.infer<typeof metadataParam>;

export function applyMetadata(current: Record<string, string>, update: MetadataParam | undefined): Record<string, string> {
  if (update === undefined) return current;
  if (update === null) return {};
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === null || value === '') delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) {
    throw invalidRequest('Metadata can have at most 50 keys.', 'metadata');
  }
  return next;
}

export const expandParam = formArray(str(500), 20).optional();

/** `created=123` or `created[gte]=...`: a range filter on a unix timestamp. */
export const rangeFilter = z.union([
  int({ min: 0 }),
  z.strictObject({
    gt: int({ min: 0 }).optional(),
    gte: int({ min: 0 }).optional(),
    lt: int({ min: 0 }).optional(),
    lte: int({ min: 0 }).optional(),
  }),
]);
export type RangeFilter = z.infer<typeof rangeFilter>;

export const listParams = {
  limit: int({ min: 1, max: 100 }).optional(),
  starting_after: str(255).optional(),
  ending_before: str(255).optional(),
  expand: expandParam,
};

function paramName(path: PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return (head ?? '') + rest.map((p) => `[${p}]`).join('');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Validates `input` against `schema`, turning the first problem into a Stripe-shaped 400. */
export function parseParams<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw zodIssueToApiError(result.error.issues[0], input);
}

function zodIssueToApiError(issue: z.core.$ZodIssue | undefined, input: unknown): ApiError {
  if (!issue) return invalidRequest('Invalid request.');
  if (issue.code === 'unrecognized_keys') {
    return unknownParam(paramName([...issue.path, issue.keys[0] ?? '']));
  }
  // Unions report their branches; the most useful message is the deepest branch's.
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const branch = issue.errors.map((issues) => issues[0]).find((i) => i && i.code !== 'invalid_type');
    if (branch) return zodIssueToApiError({ ...branch, path: [...issue.path, ...branch.path] }, input);
  }
  const param = paramName(issue.path);
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
    return missingParam(param);
  }
  const message = issue.message.startsWith('Invalid input') ? 'is not valid' : issue.message;
  return invalidRequest(`Invalid ${param}: ${message}.`, param);
}
