/**
 * Raw HTTP for what the `stripe` SDK never sends: broken bodies, wrong types, odd headers,
 * hostile strings. Every error must have Stripe's shape and a request id, and a rejected
 * write must leave no trace (no customer, no event, no audit entry, no idempotency record).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/modules/auth/api-keys.ts';
import { call, createTestAccount, startTestServer, type ApiResponse, type TestAccount, type TestServer } from '../helpers/server.ts';
import { signInAsOwner, type SignedInOwner } from '../helpers/stripe.ts';

let server: TestServer;
let account: TestAccount;
let owner: SignedInOwner;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
  owner = await signInAsOwner(server.baseUrl, account.ownerEmail, account.ownerPassword);
});
afterAll(async () => {
  await owner.cleanup();
  await server.close();
});

type Body = Record<string, unknown>;
interface ErrorBody {
  error: { type: string; message: string; code?: string; param?: string };
}

const ERROR_TYPES = ['invalid_request_error', 'idempotency_error', 'card_error', 'authentication_error', 'permission_error', 'rate_limit_error', 'api_error'];

const post = (path: string, form: string, headers: Record<string, string> = {}) =>
  call<Body>(server.baseUrl, 'POST', path, { key: account.secretKey, form, headers });
const postJson = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  call<Body>(server.baseUrl, 'POST', path, { key: account.secretKey, json, headers });
const postRaw = (path: string, body: string, contentType: string) =>
  call<Body>(server.baseUrl, 'POST', path, { key: account.secretKey, body, headers: { 'content-type': contentType } });
const get = (path: string, key: string = account.secretKey) => call<Body>(server.baseUrl, 'GET', path, { key });
const del = (path: string) => call<Body>(server.baseUrl, 'DELETE', path, { key: account.secretKey });

/** Stripe's error shape, a JSON content type and a request id; returns the error. */
function expectError(response: ApiResponse<unknown>, status: number, expected: Partial<ErrorBody['error']> = {}): ErrorBody['error'] {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('request-id')).toMatch(/^req_[0-9A-Za-z]+$/);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = response.body as ErrorBody;
  expect(typeof body).toBe('object');
  expect(Object.keys(body)).toEqual(['error']);
  const { error } = body;
  expect(ERROR_TYPES).toContain(error.type);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  for (const key of Object.keys(error)) expect(['type', 'message', 'code', 'param', 'decline_code', 'doc_url']).toContain(key);
  if ('code' in error) expect(typeof error.code).toBe('string');
  if ('param' in error) expect(typeof error.param).toBe('string');
  expect(error).toMatchObject(expected);
  return error;
}

/** Everything a write could leave behind in the sandbox workspace. */
async function snapshot(): Promise<Record<string, unknown>> {
  const { db } = server.database;
  const ws = account.sandbox.id;
  const customers = await db
    .selectFrom('customers')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('updated_at').as('lastUpdate')])
    .where('workspace_id', '=', ws)
    .executeTakeFirstOrThrow();
  const count = async (table: 'events' | 'idempotency_keys' | 'audit_log') =>
    (await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('workspace_id', '=', ws).executeTakeFirstOrThrow()).n;
  return {
    customers: customers.n,
    lastUpdate: customers.lastUpdate,
    events: await count('events'),
    idempotencyKeys: await count('idempotency_keys'),
    audit: await count('audit_log'),
  };
}

/** A write that must be rejected with `status` and leave nothing behind. */
async function rejectedWrite(
  send: () => Promise<ApiResponse<unknown>>,
  status: number,
  expected: Partial<ErrorBody['error']> = {},
): Promise<ErrorBody['error']> {
  const before = await snapshot();
  const error = expectError(await send(), status, expected);
  expect(await snapshot()).toEqual(before);
  return error;
}

async function newCustomer(form = 'name=Existing'): Promise<string> {
  const created = await post('/v1/customers', form);
  expect(created.status).toBe(200);
  return created.body.id as string;
}

describe('malformed bodies', () => {
  it('rejects malformed JSON', async () => {
    for (const body of ['{"email": ', '{email: "a@b.c"}', "{'name': 'x'}", '{"name": "x",}', 'nul']) {
      await rejectedWrite(() => postRaw('/v1/customers', body, 'application/json'), 400, { type: 'invalid_request_error' });
    }
  });

  it('rejects JSON that is not an object', async () => {
    for (const body of ['[]', '[{"name":"x"}]', '"name=x"', '42', 'null', 'true']) {
      await rejectedWrite(() => postRaw('/v1/customers', body, 'application/json'), 400, { type: 'invalid_request_error' });
    }
  });

  it('rejects bad percent-encoding', async () => {
    await rejectedWrite(() => post('/v1/customers', 'name=%zz'), 400, { type: 'invalid_request_error' });
    await rejectedWrite(() => post('/v1/customers', 'name=ok&%zz=1'), 400, { type: 'invalid_request_error' });
    await rejectedWrite(() => post('/v1/customers', 'name=%E0%A4%A'), 400, { type: 'invalid_request_error' });
    expectError(await get('/v1/customers?email=%zz'), 400, { type: 'invalid_request_error' });
  });

  it('rejects malformed bracket names', async () => {
    for (const form of ['a[b=1', '[x]=1', 'metadata[a]]=1', 'metadata[a=1', 'metadata]a[=1', 'name=ok&=1']) {
      await rejectedWrite(() => post('/v1/customers', form), 400, { type: 'invalid_request_error' });
    }
  });

  it('rejects nesting deeper than ten levels and more than 2000 parameters', async () => {
    await rejectedWrite(() => post('/v1/customers', 'metadata[a][b][c][d][e][f][g][h][i][j]=1'), 400, { type: 'invalid_request_error' });
    const many = Array.from({ length: 2001 }, (_, i) => `metadata[k${i}]=v`).join('&');
    await rejectedWrite(() => post('/v1/customers', many), 400, { type: 'invalid_request_error' });
  });

  it('does not let __proto__ or constructor keys reach object prototypes', async () => {
    await rejectedWrite(() => post('/v1/customers', '__proto__[polluted]=yes'), 400, { code: 'parameter_unknown', param: '__proto__' });
    await rejectedWrite(() => post('/v1/customers', 'constructor[prototype][polluted]=yes'), 400, {
      code: 'parameter_unknown',
      param: 'constructor',
    });
    await rejectedWrite(() => postRaw('/v1/customers', '{"__proto__": {"polluted": "yes"}}', 'application/json'), 400, {
      code: 'parameter_unknown',
      param: '__proto__',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // As a metadata key, `constructor` is just a key; `__proto__` cannot be stored (the
    // parameter validation would silently drop it), so it is refused by name rather than lost.
    const created = await post('/v1/customers', 'metadata[constructor]=y');
    expect(created.status).toBe(200);
    expect(created.body.metadata).toEqual({ constructor: 'y' });
    await rejectedWrite(() => post('/v1/customers', 'metadata[__proto__]=x&metadata[a]=b'), 400, { param: 'metadata[__proto__]' });
    await rejectedWrite(() => postRaw('/v1/customers', '{"metadata": {"__proto__": "x"}}', 'application/json'), 400, {
      param: 'metadata[__proto__]',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('content types and sizes', () => {
  it('accepts JSON and form bodies, with a charset and in any letter case', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const response = await postRaw('/v1/customers', JSON.stringify({ name: `JSON ${type}` }), type);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.name).toBe(`JSON ${type}`);
    }
    for (const type of ['application/x-www-form-urlencoded; charset=utf-8', 'APPLICATION/X-WWW-FORM-URLENCODED']) {
      const response = await postRaw('/v1/customers', 'name=Form', type);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.name).toBe('Form');
    }
  });

  it('answers an unsupported content type with 415', async () => {
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml']) {
      await rejectedWrite(() => postRaw('/v1/customers', 'name=Nope', type), 415, {
        type: 'invalid_request_error',
        code: 'unsupported_content_type',
      });
    }
  });

  it('answers a body over 1 MiB with 413', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    await rejectedWrite(() => post('/v1/customers', `name=${big}`), 413, { type: 'invalid_request_error', code: 'request_too_large' });
    await rejectedWrite(() => postJson('/v1/customers', { name: big }), 413, { type: 'invalid_request_error', code: 'request_too_large' });
  });
});

describe('wrong types and ranges', () => {
  it('rejects a bad limit, naming limit', async () => {
    for (const limit of ['abc', '0', '101', '-1', '1.5', '']) {
      expectError(await get(`/v1/customers?limit=${limit}`), 400, { type: 'invalid_request_error', param: 'limit' });
    }
    expectError(await get('/v1/customers?limit[]=1'), 400, { param: 'limit' });
    expectError(await get('/v1/events?limit=1000'), 400, { param: 'limit' });
    expectError(await get('/v1/customers/search?query=name~%27abc%27&limit=0'), 400, { param: 'limit' });
  });

  it('rejects a bad created filter, naming the bracket path', async () => {
    expectError(await get('/v1/customers?created[gte]=abc'), 400, { param: 'created[gte]' });
    expectError(await get('/v1/customers?created[after]=1'), 400, { code: 'parameter_unknown', param: 'created[after]' });
    expectError(await get('/v1/customers?created=yesterday'), 400, { param: 'created' });
    // Timestamps past any representable date are a 400, not a failed query.
    expectError(await get('/v1/customers?created=9999999999999'), 400, { param: 'created' });
    expectError(await get('/v1/customers?created[gte]=9007199254740991'), 400, { param: 'created[gte]' });
    expectError(await get('/v1/events?created[lt]=99999999999999'), 400, { param: 'created[lt]' });
    expectError(await get('/v1/customers?created[gt]=-1'), 400, { param: 'created[gt]' });
    const farFuture = await get('/v1/customers?created[lte]=253402300799');
    expect(farFuture.status).toBe(200);
  });

  it('rejects metadata that is not a hash', async () => {
    await rejectedWrite(() => post('/v1/customers', 'metadata=notahash'), 400, { param: 'metadata' });
    await rejectedWrite(() => postJson('/v1/customers', { metadata: 'notahash' }), 400, { param: 'metadata' });
    await rejectedWrite(() => postJson('/v1/customers', { metadata: ['a'] }), 400, { param: 'metadata' });
    await rejectedWrite(() => postJson('/v1/customers', { metadata: { a: { b: 'c' } } }), 400, { param: 'metadata[a]' });
    await rejectedWrite(() => post('/v1/customers', 'metadata[a][b]=c'), 400, { param: 'metadata[a]' });
  });

  it('rejects a scalar where a hash is expected and the other way round (JSON)', async () => {
    await rejectedWrite(() => postJson('/v1/customers', { address: 5 }), 400, { param: 'address' });
    await rejectedWrite(() => postJson('/v1/customers', { address: 'Main Street 1' }), 400, { param: 'address' });
    await rejectedWrite(() => postJson('/v1/customers', { email: 5 }), 400, { param: 'email' });
    await rejectedWrite(() => postJson('/v1/customers', { name: { first: 'Jane' } }), 400, { param: 'name' });
    await rejectedWrite(() => postJson('/v1/customers', { preferred_locales: 'en' }), 400, { param: 'preferred_locales' });
    await rejectedWrite(() => postJson('/v1/customers', { tax_exempt: true }), 400, { param: 'tax_exempt' });
    await rejectedWrite(() => postJson('/v1/customers', { address: { city: 7 } }), 400, { param: 'address[city]' });
    await rejectedWrite(() => postJson('/v1/customers', { invoice_settings: { custom_fields: [{ name: 'a' }] } }), 400, {
      code: 'parameter_missing',
      param: 'invoice_settings[custom_fields][0][value]',
    });
  });

  it('rejects a scalar where a hash is expected (form)', async () => {
    await rejectedWrite(() => post('/v1/customers', 'address=5'), 400, { param: 'address' });
    await rejectedWrite(() => post('/v1/customers', 'shipping=yes'), 400, { param: 'shipping' });
    await rejectedWrite(() => post('/v1/customers', 'name[first]=Jane'), 400, { param: 'name' });
  });

  it('leaves a customer untouched when an update is rejected', async () => {
    const id = await newCustomer('name=Untouched&metadata[a]=1');
    const before = await get(`/v1/customers/${id}`);
    await rejectedWrite(() => post(`/v1/customers/${id}`, 'name=Changed&email=not-an-email'), 400, { param: 'email' });
    await rejectedWrite(() => post(`/v1/customers/${id}`, 'name=Changed&metadata=notahash'), 400, { param: 'metadata' });
    await rejectedWrite(() => post(`/v1/customers/${id}`, 'name=Changed&foo=bar'), 400, { param: 'foo' });
    await rejectedWrite(() => postJson(`/v1/customers/${id}`, { name: 'Changed', address: 5 }), 400, { param: 'address' });
    expect((await get(`/v1/customers/${id}`)).body).toEqual(before.body);
  });
});

describe('unknown parameters', () => {
  it('names an unknown top-level parameter', async () => {
    const error = await rejectedWrite(() => post('/v1/customers', 'name=x&foo=bar'), 400, {
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'foo',
    });
    expect(error.message).toContain('foo');
    await rejectedWrite(() => postJson('/v1/customers', { name: 'x', foo: 'bar' }), 400, { code: 'parameter_unknown', param: 'foo' });
    expectError(await get('/v1/customers?foo=1'), 400, { code: 'parameter_unknown', param: 'foo' });
    expectError(await get('/v1/events?foo=1'), 400, { code: 'parameter_unknown', param: 'foo' });
  });

  it('names an unknown nested parameter by its bracket path', async () => {
    await rejectedWrite(() => post('/v1/customers', 'address[foo]=x'), 400, { code: 'parameter_unknown', param: 'address[foo]' });
    await rejectedWrite(() => postJson('/v1/customers', { address: { city: 'Oslo', foo: 'x' } }), 400, {
      code: 'parameter_unknown',
      param: 'address[foo]',
    });
    await rejectedWrite(() => post('/v1/customers', 'shipping[name]=A&shipping[address][planet]=Mars'), 400, {
      code: 'parameter_unknown',
      param: 'shipping[address][planet]',
    });
    await rejectedWrite(() => post('/v1/customers', 'invoice_settings[nope]=1'), 400, { code: 'parameter_unknown', param: 'invoice_settings[nope]' });
    await rejectedWrite(() => post('/v1/customers', 'invoice_settings[custom_fields][0][name]=a&invoice_settings[custom_fields][0][value]=b&invoice_settings[custom_fields][0][x]=c'), 400, {
      code: 'parameter_unknown',
      param: 'invoice_settings[custom_fields][0][x]',
    });
  });

  it('rejects an unknown parameter on delete without deleting', async () => {
    const id = await newCustomer();
    await rejectedWrite(() => del(`/v1/customers/${id}?foo=1`), 400, { code: 'parameter_unknown', param: 'foo' });
    expect((await get(`/v1/customers/${id}`)).body.deleted).toBeUndefined();
  });
});

describe('duplicated parameters', () => {
  it('rejects a parameter given twice, naming it', async () => {
    await rejectedWrite(() => post('/v1/customers', 'email=a@b.c&email=d@e.f'), 400, { param: 'email' });
    await rejectedWrite(() => post('/v1/customers', 'metadata[a]=1&metadata[a]=2'), 400, { param: 'metadata[a]' });
    await rejectedWrite(() => post('/v1/customers', 'preferred_locales[0]=en&preferred_locales[0]=da'), 400, { param: 'preferred_locales[0]' });
    expectError(await get('/v1/customers?limit=1&limit=2'), 400, { param: 'limit' });
  });

  it('rejects a value given both as a scalar and as a hash, either way round', async () => {
    await rejectedWrite(() => post('/v1/customers', 'metadata=x&metadata[a]=b'), 400, { param: 'metadata' });
    await rejectedWrite(() => post('/v1/customers', 'metadata[a]=b&metadata=x'), 400, { param: 'metadata' });
    await rejectedWrite(() => post('/v1/customers', 'address[city]=Oslo&address='), 400, { param: 'address' });
    await rejectedWrite(() => post('/v1/customers', 'preferred_locales[]=en&preferred_locales[0]=da'), 400, { param: 'preferred_locales' });
  });

  it('rejects a parameter given in both the query string and the body', async () => {
    await rejectedWrite(() => post('/v1/customers?email=a@b.c', 'email=d@e.f'), 400, { param: 'email' });
    await rejectedWrite(() => postJson('/v1/customers?name=a', { name: 'b' }), 400, { param: 'name' });
  });
});

describe('authentication and authorization', () => {
  it('answers a missing key with 401 api_key_missing, before looking at parameters', async () => {
    expectError(await call(server.baseUrl, 'GET', '/v1/customers'), 401, { type: 'authentication_error', code: 'api_key_missing' });
    const before = await snapshot();
    expectError(await call(server.baseUrl, 'POST', '/v1/customers', { form: 'foo=bar' }), 401, {
      type: 'authentication_error',
      code: 'api_key_missing',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('answers a malformed Authorization header with 401', async () => {
    for (const authorization of [
      'Bearer',
      'Bearer ',
      'Token ' + account.secretKey,
      account.secretKey,
      'Basic !!!',
      'Bearer sk_test_doesnotexist',
      `Bearer ${account.secretKey}x`,
      'Bearer \u00e9',
    ]) {
      const response = await call(server.baseUrl, 'GET', '/v1/customers', { headers: { authorization } });
      expectError(response, 401, { type: 'authentication_error' });
    }
  });

  it('never echoes a wrong key back in full', async () => {
    const wrong = 'sk_test_ThisIsNotARealKeyButLooksLikeOne1234';
    const error = expectError(await get('/v1/customers', wrong), 401, { type: 'authentication_error', code: 'api_key_invalid' });
    expect(error.message).not.toContain(wrong);
  });

  it('accepts HTTP Basic auth with the key as the user name', async () => {
    for (const credentials of [`${account.secretKey}:`, account.secretKey]) {
      const authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      const response = await call<Body>(server.baseUrl, 'GET', '/v1/customers?limit=1', { headers: { authorization } });
      expect(response.status).toBe(200);
      expect(response.body.object).toBe('list');
    }
  });

  it('answers a revoked key with 401, at once', async () => {
    const { id, secret } = await owner.createKey({ type: 'secret', workspace: 'sandbox' });
    expect((await get('/v1/customers?limit=1', secret)).status).toBe(200);
    await owner.revokeKey(id);
    expectError(await get('/v1/customers?limit=1', secret), 401, { type: 'authentication_error', code: 'api_key_invalid' });
    const before = await snapshot();
    expectError(await call(server.baseUrl, 'POST', '/v1/customers', { key: secret, form: 'name=Revoked' }), 401, {
      type: 'authentication_error',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('answers a publishable key on a secret-key route with 403', async () => {
    expectError(await get('/v1/customers', account.publishableKey), 403, { type: 'permission_error' });
    const before = await snapshot();
    expectError(await call(server.baseUrl, 'POST', '/v1/customers', { key: account.publishableKey, form: 'name=pk' }), 403, {
      type: 'permission_error',
    });
    expect(await snapshot()).toEqual(before);
  });

  it("answers another workspace's id with 404, and changes nothing there", async () => {
    const id = await newCustomer('name=Sandbox');
    for (const [method, form] of [
      ['GET', undefined],
      ['POST', 'name=Live'],
      ['DELETE', undefined],
    ] as const) {
      const response = await call(server.baseUrl, method, `/v1/customers/${id}`, {
        key: account.liveSecretKey,
        ...(form !== undefined ? { form } : {}),
      });
      expectError(response, 404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id' });
    }
    expect((await get(`/v1/customers/${id}`)).body).toMatchObject({ name: 'Sandbox' });

    // A key of another account entirely, too.
    const other = await createTestAccount(server.database);
    expectError(await get(`/v1/customers/${id}`, other.secretKey), 404, { code: 'resource_missing' });
    const { secret } = await createApiKey(server.database.db, other.sandbox, { type: 'secret' });
    expectError(await get(`/v1/customers/${id}`, secret), 404, { code: 'resource_missing' });
  });

  it('answers unknown routes and methods with a Stripe-shaped 404', async () => {
    expectError(await get('/v1/nothing_here'), 404, { type: 'invalid_request_error', code: 'resource_missing' });
    expectError(await call(server.baseUrl, 'PUT', '/v1/customers', { key: account.secretKey, form: 'name=x' }), 404, {
      code: 'resource_missing',
    });
    expectError(await call(server.baseUrl, 'PATCH', '/v1/customers/cus_x', { key: account.secretKey, json: {} }), 404, {
      code: 'resource_missing',
    });
  });
});

describe('hostile and unusual strings', () => {
  const strings = [
    "'; DROP TABLE customers; --",
    "Robert'); DELETE FROM events WHERE ('1'='1",
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(document.cookie)">',
    '%00 %27 %3Cb%3E \\x00 \\u0000',
    'Zoë Ñandú — 東京 — العربية — עברית',
    '👩‍👩‍👧‍👦 🇩🇰 🤖 e\u0301',
    '\u202eRTL override\u202c',
    'tab\tnew\nline\rcarriage',
    '   leading and trailing spaces   ',
    'a+b&c=d?e#f',
    '[brackets] {braces} "quotes" \\backslash\\',
  ];

  it('stores and returns them verbatim (form and JSON), in every string field and metadata', async () => {
    for (const value of strings) {
      const form = [
        `name=${encodeURIComponent(value)}`,
        `description=${encodeURIComponent(value)}`,
        `address[line1]=${encodeURIComponent(value)}`,
        `metadata[${encodeURIComponent('k ' + value.slice(0, 20).replace(/[[\]]/g, ''))}]=${encodeURIComponent(value)}`,
      ].join('&');
      const viaForm = await post('/v1/customers', form);
      expect(viaForm.status, value).toBe(200);
      expect(viaForm.body.name).toBe(value);
      expect(viaForm.body.description).toBe(value);
      expect((viaForm.body.address as Body).line1).toBe(value);
      expect(Object.values(viaForm.body.metadata as Body)).toEqual([value]);

      const viaJson = await postJson('/v1/customers', { name: value, metadata: { v: value } });
      expect(viaJson.status, value).toBe(200);
      const again = await get(`/v1/customers/${viaJson.body.id as string}`);
      expect(again.body.name).toBe(value);
      expect((again.body.metadata as Body).v).toBe(value);
    }
  });

  it('finds them again with list and search filters, without injecting anything', async () => {
    const email = `o'brien+<b>"x"@example.com`;
    const created = await post('/v1/customers', `email=${encodeURIComponent(email)}&name=${encodeURIComponent("O'Brien <b>% _ \\")}`);
    expect(created.status).toBe(200);
    const listed = await get(`/v1/customers?email=${encodeURIComponent(email)}`);
    expect((listed.body.data as Body[]).map((c) => c.id)).toEqual([created.body.id]);

    const byName = await get(`/v1/customers/search?query=${encodeURIComponent(`name~"O'Brien <b>% _"`)}`);
    expect(byName.status, JSON.stringify(byName.body)).toBe(200);
    expect((byName.body.data as Body[]).map((c) => c.id)).toEqual([created.body.id]);
    // % and _ are literal characters in ~, not wildcards.
    const wildcard = await get(`/v1/customers/search?query=${encodeURIComponent(`name~"%%%"`)}`);
    expect(wildcard.body.data).toEqual([]);
    const injected = await get(`/v1/customers/search?query=${encodeURIComponent(`email:'x' OR '1'='1'`)}`);
    expectError(injected, 400, { param: 'query' });
  });

  it('rejects a NUL character (or an unpaired surrogate) with a 400 naming the field, writing nothing', async () => {
    await rejectedWrite(() => post('/v1/customers', 'name=a%00b'), 400, { type: 'invalid_request_error', param: 'name' });
    await rejectedWrite(() => post('/v1/customers', 'address[city]=%00'), 400, { param: 'address[city]' });
    await rejectedWrite(() => post('/v1/customers', 'metadata[k]=a%00'), 400, { param: 'metadata[k]' });
    await rejectedWrite(() => post('/v1/customers', 'metadata[k%00]=a'), 400, { type: 'invalid_request_error' });
    await rejectedWrite(() => post('/v1/customers', 'preferred_locales[0]=e%00n'), 400, { param: 'preferred_locales[0]' });
    await rejectedWrite(() => postJson('/v1/customers', { description: 'x\u0000y' }), 400, { param: 'description' });
    await rejectedWrite(() => postJson('/v1/customers', { metadata: { k: '\u0000' } }), 400, { param: 'metadata[k]' });
    await rejectedWrite(
      () => postJson('/v1/customers', { invoice_settings: { custom_fields: [{ name: 'a', value: 'b\u0000' }] } }),
      400,
      { param: 'invoice_settings[custom_fields][0][value]' },
    );

    const id = await newCustomer('name=Before+NUL');
    await rejectedWrite(() => post(`/v1/customers/${id}`, 'name=x%00'), 400, { param: 'name' });
    expect((await get(`/v1/customers/${id}`)).body.name).toBe('Before NUL');

    // JSON can carry an unpaired surrogate, which has no UTF-8 form: refused, not altered.
    await rejectedWrite(() => postRaw('/v1/customers', '{"name": "a\\ud800b"}', 'application/json'), 400, { param: 'name' });
    await rejectedWrite(() => postRaw('/v1/customers', '{"metadata": {"k": "\\udc00"}}', 'application/json'), 400, { param: 'metadata[k]' });
    await rejectedWrite(() => postRaw('/v1/customers', '{"metadata": {"\\ud800": "v"}}', 'application/json'), 400, { type: 'invalid_request_error' });
    // ... while a proper pair (an emoji written as escapes) is kept.
    const paired = await postRaw('/v1/customers', '{"name": "\\ud83e\\udd16"}', 'application/json');
    expect(paired.body.name).toBe('🤖');

    expectError(await get('/v1/customers?email=a%00b'), 400, { param: 'email' });
    expectError(await get(`/v1/customers/search?query=${encodeURIComponent("name~'ab\u0000c'")}`), 400, { param: 'query' });
    expectError(await get('/v1/events?type=customer.%00'), 400, { param: 'type' });
  });

  it('answers an id containing NUL with a 400 naming id, never a server error', async () => {
    for (const id of ['cus_%00', 'cus_a%00b', '%00']) {
      expectError(await get(`/v1/customers/${id}`), 400, { type: 'invalid_request_error', param: 'id' });
      await rejectedWrite(() => post(`/v1/customers/${id}`, 'name=x'), 400, { param: 'id' });
      await rejectedWrite(() => del(`/v1/customers/${id}`), 400, { param: 'id' });
    }
    expectError(await get('/v1/events/evt_%00'), 400, { param: 'id' });
    expectError(await get('/v1/customers?starting_after=cus_%00'), 400, { param: 'starting_after' });
  });

  it('answers a path with bad percent-encoding with a Stripe-shaped 400', async () => {
    expectError(await get('/v1/customers/cus_%zz'), 400, { type: 'invalid_request_error' });
    await rejectedWrite(() => post('/v1/customers/%E0%A4%A', 'name=x'), 400, { type: 'invalid_request_error' });
  });

  it('answers a garbage id as an unknown object', async () => {
    for (const id of [encodeURIComponent("cus_' OR '1'='1"), encodeURIComponent('<script>'), '%F0%9F%A4%96', 'cus_' + 'x'.repeat(90)]) {
      expectError(await get(`/v1/customers/${id}`), 404, { code: 'resource_missing', param: 'id' });
      await rejectedWrite(() => post(`/v1/customers/${id}`, 'name=x'), 404, { code: 'resource_missing' });
      await rejectedWrite(() => del(`/v1/customers/${id}`), 404, { code: 'resource_missing' });
    }
    // Longer than the router takes for a path parameter: still a Stripe-shaped 404.
    const long = 'cus_' + 'x'.repeat(300);
    expectError(await get(`/v1/customers/${long}`), 404, { type: 'invalid_request_error', code: 'resource_missing' });
    await rejectedWrite(() => post(`/v1/customers/${long}`, 'name=x'), 404, { code: 'resource_missing' });
  });
});

describe('metadata limits', () => {
  const metadataForm = (count: number, prefix = 'k') =>
    Array.from({ length: count }, (_, i) => `metadata[${prefix}${i}]=v`).join('&');

  it('accepts 50 keys, 40-character keys and 500-character values', async () => {
    const response = await post('/v1/customers', `${metadataForm(49)}&metadata[${'k'.repeat(40)}]=${'v'.repeat(500)}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(Object.keys(response.body.metadata as Body)).toHaveLength(50);
  });

  it('rejects 51 keys, naming metadata', async () => {
    await rejectedWrite(() => post('/v1/customers', metadataForm(51)), 400, { type: 'invalid_request_error', param: 'metadata' });
    const id = await newCustomer(metadataForm(50));
    await rejectedWrite(() => post(`/v1/customers/${id}`, 'metadata[one_more]=x'), 400, { param: 'metadata' });
  });

  it('rejects a key over 40 characters, naming it', async () => {
    const key = 'k'.repeat(41);
    const error = await rejectedWrite(() => post('/v1/customers', `metadata[${key}]=v`), 400, { type: 'invalid_request_error' });
    expect(error.param).toMatch(/^metadata/);
    expect(error.message).toMatch(/40/);
  });

  it('rejects a value over 500 characters, naming its key', async () => {
    const error = await rejectedWrite(() => post('/v1/customers', `metadata[long]=${'v'.repeat(501)}`), 400, {
      type: 'invalid_request_error',
      param: 'metadata[long]',
    });
    expect(error.message).toMatch(/500/);
  });

  it('rejects a key with square brackets (JSON), naming metadata', async () => {
    const error = await rejectedWrite(() => postJson('/v1/customers', { metadata: { 'a[b]': 'x' } }), 400, { type: 'invalid_request_error' });
    expect(error.param).toMatch(/^metadata/);
  });
});

describe('idempotency keys on rejected writes', () => {
  it('stores nothing for a rejected write and rejects a malformed key', async () => {
    await rejectedWrite(() => post('/v1/customers', 'foo=bar', { 'idempotency-key': 'bad-input-1' }), 400, { param: 'foo' });
    await rejectedWrite(() => post('/v1/customers', 'name=x', { 'idempotency-key': 'k'.repeat(256) }), 400, {
      param: 'Idempotency-Key',
    });
    // The key can be used for a corrected request afterwards.
    const ok = await post('/v1/customers', 'name=Fixed', { 'idempotency-key': 'bad-input-1' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
    const replay = await post('/v1/customers', 'name=Fixed', { 'idempotency-key': 'bad-input-1' });
    expect(replay.body.id).toBe(ok.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const mismatch = await rejectedWrite(() => post('/v1/customers', 'name=Other', { 'idempotency-key': 'bad-input-1' }), 400, {
      type: 'idempotency_error',
    });
    expect(mismatch.message).toContain('bad-input-1');
  });
});
