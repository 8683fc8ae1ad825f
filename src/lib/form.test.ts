import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// The SDK's own encoder, so the property below checks what the SDK really sends.
import { queryStringifyRequestData } from '../../node_modules/stripe/esm/utils.js';
import { apiErrorOf } from '../../test/helpers/errors.ts';
import { parseForm, type FormValue } from './form.ts';

/** Turns index-keyed objects back into arrays, as the parameter schemas do. */
function normalize(value: FormValue): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(normalize);
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => normalize(value[k] as FormValue));
  }
  return Object.fromEntries(keys.map((k) => [k, normalize(value[k] as FormValue)]));
}

const errorOf = (body: string) => apiErrorOf(() => parseForm(body));

const name = fc.stringMatching(/^[a-z][a-z_]{0,11}$/);
const text = fc.string({ maxLength: 20 });
type Params = { [key: string]: Params | Params[] | string | string[] };
const params: fc.Arbitrary<Params> = fc.letrec<{ obj: Params; value: Params[string] }>((tie) => ({
  obj: fc.dictionary(name, tie('value'), { minKeys: 1, maxKeys: 4 }),
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'params', withCrossShrink: true },
    text,
    fc.array(text, { minLength: 1, maxLength: 3 }),
    tie('obj'),
    fc.array(tie('obj'), { minLength: 1, maxLength: 2 }),
  ),
})).obj;

describe('parseForm', () => {
  it('reads back exactly what the stripe SDK encodes', () => {
    fc.assert(
      fc.property(params, (input) => {
        expect(normalize(parseForm(queryStringifyRequestData(input)))).toEqual(input);
      }),
      { numRuns: 300 },
    );
  });

  it('parses bracket notation, [] arrays and empty values', () => {
    expect(normalize(parseForm('items[0][price]=p1&items[1][price]=p2&expand[]=a&expand[]=b&description='))).toEqual({
      items: [{ price: 'p1' }, { price: 'p2' }],
      expand: ['a', 'b'],
      description: '',
    });
    expect(parseForm('name=Jane+Doe&note=50%25+off')).toEqual({ name: 'Jane Doe', note: '50% off' });
  });

  it('keeps numeric metadata keys as keys of a hash until a schema asks for an array', () => {
    expect(parseForm('metadata[0]=zero')).toEqual({ metadata: { 0: 'zero' } });
  });

  it('refuses a parameter given twice, naming it', () => {
    const error = errorOf('email=a%40b.co&email=c%40d.co');
    expect([error.status, error.code, error.param]).toEqual([400, 'parameter_duplicated', 'email']);
    expect(errorOf('address[city]=A&address[city]=B').param).toBe('address[city]');
    expect(errorOf('address=x&address[city]=B').param).toBe('address');
  });

  it('refuses malformed names and encodings', () => {
    expect(errorOf('a[b=1').status).toBe(400);
    expect(errorOf('[x]=1').status).toBe(400);
    expect(errorOf('name=%zz').code).toBe('parameter_invalid_encoding');
    expect(errorOf('a[b]x=1').status).toBe(400);
  });

  it('does not let a parameter name reach Object.prototype', () => {
    const parsed = parseForm('__proto__[polluted]=yes&constructor[prototype][x]=1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBeNull();
  });
});
