import { randomBytes } from 'node:crypto';

/**
 * Object ids: `<prefix>_<8 chars of time><16 random chars>` in base62.
 * The time part makes ids sort in creation order (the id columns use the "C" collation),
 * so cursor pagination is a plain index range scan on the primary key.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const ID_PREFIXES = {
  account: 'acct',
  workspace: 'ws',
  user: 'usr',
  apiKey: 'key',
  customer: 'cus',
  product: 'prod',
  price: 'price',
  event: 'evt',
  taxRate: 'txr',
  coupon: 'co',
  promotionCode: 'promo',
  paymentMethod: 'pm',
  subscription: 'sub',
  subscriptionItem: 'si',
  subscriptionSchedule: 'sub_sched',
  discount: 'di',
  invoice: 'in',
  invoiceLine: 'il',
  invoiceItem: 'ii',
  testClock: 'clock',
  auditEntry: 'aud',
  request: 'req',
  emailMessage: 'em',
  webhookEndpoint: 'we',
  webhookDelivery: 'wd',
  gatewayAccount: 'gwa',
  charge: 'ch',
  paymentIntent: 'pi',
  refund: 're',
  creditNote: 'cn',
  creditNoteLine: 'cnli',
  task: 'task',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

function encodeTime(ms: number): string {
  let out = '';
  let n = ms;
  for (let i = 0; i < 8; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

// Random bytes are drawn from the CSPRNG in 4 KiB blocks: one call per block instead of one
// per id (ids are made several times per request).
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomByte(): number {
  if (poolOffset === POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  return pool[poolOffset++] as number;
}

export function randomBase62(length: number): string {
  // Rejection sampling keeps every character uniformly likely.
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(now)}${randomBase62(16)}`;
}

/** The exact shape of an id `newId(kind)` makes, e.g. to check one decoded from a page token. */
export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]+$`);
}

/** True when `id` looks like an id of this kind; used to reject garbage before a query. */
export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}

// Request ids are made on every request: a per-process random prefix and a counter are
// unique across processes and far cheaper than fresh random bytes each time.
const requestPrefix = randomBase62(8);
let requestCounter = 0;

export function newRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `req_${requestPrefix}${requestCounter.toString(36)}`;
}
