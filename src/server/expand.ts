import { invalidRequest } from '../lib/errors.ts';
import type { RequestContext } from './context.ts';

/**
 * `expand[]=field.sub` replaces an id with the object it names, as Stripe does. Each
 * module declares which of its objects' fields expand, keyed by the object's `object` name.
 */
export type Expander = (ctx: RequestContext, id: string) => Promise<object>;
export type Expanders = Record<string, Record<string, Expander>>;

const MAX_DEPTH = 4;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cannotExpand(path: string): never {
  throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
}

async function expandPath(ctx: RequestContext, value: Json, segments: string[], fullPath: string, expanders: Expanders): Promise<void> {
  const [field, ...rest] = segments;
  if (!field) return;
  const objectType = typeof value.object === 'string' ? value.object : '';
  const current = value[field];
  if (isObject(current)) {
    // Already an object (expanded earlier in this request, or embedded): go deeper.
    if (rest.length > 0) await expandPath(ctx, current, rest, fullPath, expanders);
    return;
  }
  const expander = expanders[objectType]?.[field];
  if (!expander) cannotExpand(fullPath);
  if (typeof current !== 'string') return;
  const loaded = (await expander(ctx, current)) as Json;
  value[field] = loaded;
  if (rest.length > 0) await expandPath(ctx, loaded, rest, fullPath, expanders);
}

export async function applyExpansions(ctx: RequestContext, result: unknown, paths: string[] | undefined, expanders: Expanders): Promise<unknown> {
  if (!paths || paths.length === 0 || !isObject(result)) return result;
  const isList = result.object === 'list' || result.object === 'search_result';
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_DEPTH + (isList ? 1 : 0)) {
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property (${path}).`, 'expand');
    }
    if (isList) {
      if (segments[0] !== 'data') cannotExpand(path);
      for (const item of result.data as Json[]) await expandPath(ctx, item, segments.slice(1), path, expanders);
    } else {
      await expandPath(ctx, result, segments, path, expanders);
    }
  }
  return result;
}
