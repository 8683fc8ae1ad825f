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

/**
 * PostgreSQL text cannot hold NUL, and an unpaired UTF-16 surrogate (possible in JSON,
 * `"\\ud800"`) has no UTF-8 form: either would fail or be silently altered on the way to
 * the database, so both are the caller's error, named like any other invalid value.
 */
const NUL = /\u0000/;
const NUL_MESSAGE = 'must not contain NUL (\\u0000) characters';
const LONE_SURROGATE = /\p{Cs}/u;
const SURROGATE_MESSAGE = 'must be valid Unicode (it contains an unpaired surrogate)';

// Refinements rather than patterns: they are checks of the text's encoding, not part of
// its documented shape, so they stay out of the OpenAPI document.
function storableText<T extends z.ZodString>(schema: T, prefix = ''): T {
  return schema
    .refine((v) => !NUL.test(v), { error: `${prefix}${NUL_MESSAGE}` })
    .refine((v) => !LONE_SURROGATE.test(v), { error: `${prefix}${SURROGATE_MESSAGE}` }) as unknown as T;
}

export function str(max = 5000) {
  return storableText(z.string({ error: 'must be a string' }).max(max, { error: `must be at most ${max} characters` }));
}

/** An absolute http:// or https:// URL with a host (where Recur sends requests). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export const HTTP_URL_ERROR = 'must be an http:// or https:// URL';

export function httpUrl(max = 2048) {
  return str(max).refine(isHttpUrl, { error: HTTP_URL_ERROR });
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
  (value, ctx) => {
    // zod's records silently drop a `__proto__` key; refuse it rather than lose it.
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) {
      ctx.addIssue({ code: 'custom', message: "'__proto__' cannot be a metadata key", input: value, path: ['__proto__'] });
    }
    return emptyToNull(value);
  },
  z
    .record(
      storableText(
        z
          .string()
          .max(40, { error: 'metadata keys must be at most 40 characters' })
          .regex(/^[^[\]]+$/, { error: 'metadata keys may not contain square brackets' }),
        'metadata keys ',
      ),
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

/**
 * The parameters among `keys` that the caller gave, for an update's plain columns:
 * a parameter left out leaves its column unchanged.
 */
export function givenParams<P extends object, const K extends keyof P>(params: P, keys: readonly K[]): Partial<Pick<P, K>> {
  const given: Partial<Pick<P, K>> = {};
  for (const key of keys) if (params[key] !== undefined) given[key] = params[key];
  return given;
}

export const expandParam = formArray(str(500), 20).optional();

/** The last second of year 9999: later timestamps are no date a database (or Date) can hold. */
export const MAX_TIMESTAMP = 253_402_300_799;
const timestamp = () => int({ min: 0, max: MAX_TIMESTAMP });

/** `created=123` or `created[gte]=...`: a range filter on a unix timestamp. */
export const rangeFilter = z.union([
  timestamp(),
  z.strictObject({
    gt: timestamp().optional(),
    gte: timestamp().optional(),
    lt: timestamp().optional(),
    lte: timestamp().optional(),
  }),
]);
export type RangeFilter = z.infer<typeof rangeFilter>;

/** `GET /v1/<resources>/search`: Stripe's query language, `page` = the previous `next_page`. */
export const searchParams = z.strictObject({
  query: str(1000),
  limit: int({ min: 1, max: 100 }).optional(),
  page: str(500).optional(),
  expand: expandParam,
});

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
  // Unions report their branches; the most useful message is the deepest branch's: one that
  // failed on something other than the value's type, else the one whose type check failed
  // deepest inside the value (`created[gte]=abc` is the hash branch failing at `gte`).
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const firsts = issue.errors.map((issues) => issues[0]).filter((i): i is z.core.$ZodIssue => i !== undefined);
    const deepest = firsts.reduce<z.core.$ZodIssue | undefined>((best, i) => (i.path.length > (best?.path.length ?? 0) ? i : best), undefined);
    const branch = firsts.find((i) => i.code !== 'invalid_type') ?? deepest;
    if (branch) return zodIssueToApiError({ ...branch, path: [...issue.path, ...branch.path] }, input);
  }
  // A record key that fails its own schema: report that schema's message.
  if (issue.code === 'invalid_key' && issue.issues[0]) {
    return zodIssueToApiError({ ...issue.issues[0], path: issue.path }, input);
  }
  const param = paramName(issue.path);
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
    return missingParam(param);
  }
  const message = issue.message.startsWith('Invalid input') ? 'is not valid' : issue.message;
  return invalidRequest(`Invalid ${param}: ${message}.`, param);
}
