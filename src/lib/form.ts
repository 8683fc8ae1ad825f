import { invalidRequest } from './errors.ts';

/**
 * Stripe's bracket notation, as the `stripe` SDK sends it in form bodies and query strings:
 * `items[0][price]=price_1&metadata[plan]=pro&expand[]=customer`.
 *
 * Arrays arrive as objects keyed by index (`{ "0": ..., "1": ... }`) or, for `[]`, as real
 * arrays; the parameter schemas turn index-keyed objects into arrays where an array is
 * expected, so a metadata key that happens to be "0" stays a key.
 *
 * A parameter given twice is an error naming it, never a silent last-one-wins.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

const MAX_PARAMS = 2000;
const MAX_DEPTH = 10;

function decode(component: string, raw: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw invalidRequest(`Malformed percent-encoding in parameter '${raw.slice(0, 100)}'.`, undefined, 'parameter_invalid_encoding');
  }
}

/** Splits `a[b][]` into `['a', 'b', '']`; returns null when the brackets are malformed. */
function splitKey(key: string): string[] | null {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  if (open === 0) return null;
  const parts = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) return null;
    parts.push(match[1] ?? '');
    rest = rest.slice(match[0].length);
  }
  return parts;
}

function isContainer(value: FormValue | undefined): value is FormObject | FormValue[] {
  return typeof value === 'object' && value !== null;
}

function displayPath(parts: string[]): string {
  return parts[0] + parts.slice(1).map((p) => `[${p}]`).join('');
}

export function parseForm(body: string): FormObject {
  const root: FormObject = Object.create(null) as FormObject;
  if (body.length === 0) return root;
  const pairs = body.split('&');
  if (pairs.length > MAX_PARAMS) {
    throw invalidRequest(`Too many parameters: at most ${MAX_PARAMS} are accepted in one request.`);
  }
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = decode(rawKey, rawKey);
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1), rawKey);
    const parts = splitKey(key);
    if (!parts || parts[0] === '') {
      throw invalidRequest(`Invalid parameter name: '${key.slice(0, 100)}'.`, key.slice(0, 100));
    }
    if (parts.length > MAX_DEPTH) {
      throw invalidRequest(`Parameter '${key.slice(0, 100)}' is nested too deeply.`, key.slice(0, 100));
    }
    assign(root, parts, value);
  }
  return root;
}

function assign(root: FormObject, parts: string[], value: string): void {
  let container: FormObject | FormValue[] = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const last = i === parts.length - 1;
    const path = displayPath(parts.slice(0, i + 1));
    if (Array.isArray(container)) {
      if (part !== '') {
        throw invalidRequest(`Parameter '${displayPath(parts)}' mixes [] and named keys.`, displayPath(parts.slice(0, i)));
      }
      if (last) {
        container.push(value);
        return;
      }
      const next: FormObject = Object.create(null) as FormObject;
      container.push(next);
      container = next;
      continue;
    }
    const existing: FormValue | undefined = container[part];
    if (last) {
      if (existing !== undefined) {
        throw invalidRequest(`Parameter '${path}' was given more than once.`, path, 'parameter_duplicated');
      }
      container[part] = value;
      return;
    }
    const wantsArray = parts[i + 1] === '';
    if (existing === undefined) {
      const created: FormObject | FormValue[] = wantsArray ? [] : (Object.create(null) as FormObject);
      container[part] = created;
      container = created;
    } else if (isContainer(existing) && Array.isArray(existing) === wantsArray) {
      container = existing;
    } else {
      throw invalidRequest(`Parameter '${path}' is given both as a value and as a hash or array.`, path, 'parameter_duplicated');
    }
  }
}
