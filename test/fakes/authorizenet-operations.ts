/**
 * The fake's API methods: each takes the request's inner object (what follows
 * `{"createTransactionRequest": …}`) and returns the JSON response Authorize.net documents
 * for it (developer.authorize.net/api/reference), without the HTTP around it.
 */
import { cardType, reason, type AuthorizeNetLedger, type FakeCard, type FakeCustomerProfile, type FakeTransaction, type Outcome } from './authorizenet-ledger.ts';

export type Json = Record<string, unknown>;

export const asObject = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
/** A repeated XML element in JSON: an array, or one object when there is one. */
const asList = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asObject).filter((item): item is Json => item !== undefined) : asObject(value) ? [value as Json] : []);

/** A request the XML schema refuses (E00003), with the schema validator's wording. */
export class SchemaError extends Error {}

const NS = 'AnetApi/xml/v1/schema/AnetApiSchema.xsd';

export function ok(body: Json, code = 'I00001', text = 'Successful.'): Json {
  return { ...body, messages: { resultCode: 'Ok', message: [{ code, text }] } };
}

export function error(code: string, text: string, body: Json = {}): Json {
  return { ...body, messages: { resultCode: 'Error', message: [{ code, text }] } };
}

function checkLength(element: string, value: string | undefined, max: number): string | undefined {
  if (value !== undefined && value.length > max) {
    throw new SchemaError(`The '${NS}:${element}' element is invalid - The value '${value}' is invalid according to its datatype 'String' - The actual length is greater than the MaxLength value.`);
  }
  return value;
}

function numeric(element: string, value: unknown): string {
  const text = asString(value) ?? '';
  if (!/^\d+$/.test(text)) {
    throw new SchemaError(`The '${NS}:${element}' element is invalid - The value '${text}' is invalid according to its datatype '${NS}:numericString' - The Pattern constraint failed.`);
  }
  return text;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const masked = (card: FakeCard): string => `XXXX${card.cardNumber.slice(-4)}`;
const dollars = (cents: bigint): number => Number(cents) / 100;
/** "12.5" → 1250n; null unless a positive amount with at most two decimals. */
function toCents(text: string): bigint | null {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  return match ? BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0')) : null;
}

/** The AIM-style delimited "direct response" of a card validation (fields 1–4, 6, 7, 51, 52 filled). */
function directResponse(outcome: Outcome, card: FakeCard, profile: Json | undefined): string {
  const [responseCode, text] = reason(outcome.reasonCode);
  const fields: string[] = new Array<string>(69).fill('');
  fields[0] = String(responseCode);
  fields[1] = '1';
  fields[2] = String(outcome.reasonCode);
  fields[3] = text;
  fields[4] = responseCode === 1 ? '000000' : '';
  fields[5] = outcome.avs;
  fields[6] = '0';
  fields[8] = 'Test transaction for ValidateCustomerPaymentProfile.';
  fields[9] = '0.00';
  fields[10] = 'CC';
  fields[11] = 'auth_only';
  fields[12] = asString(profile?.merchantCustomerId) ?? '';
  fields[23] = asString(profile?.email) ?? '';
  fields[38] = outcome.cvv;
  fields[50] = masked(card);
  fields[51] = cardType(card.cardNumber);
  return fields.join(',');
}

/** The card behind a payment profile's Accept.js opaque data (spending the nonce), or the E00114 refusal. */
function cardOf(ledger: AuthorizeNetLedger, paymentProfile: Json | undefined): { card: FakeCard } | { refusal: Json } {
  const opaque = asObject(asObject(paymentProfile?.payment)?.opaqueData);
  const descriptor = asString(opaque?.dataDescriptor);
  const card = descriptor === 'COMMON.ACCEPT.INAPP.PAYMENT' ? ledger.redeemNonce(asString(opaque?.dataValue) ?? '') : undefined;
  return card ? { card } : { refusal: error('E00114', 'Invalid OTS Token.') };
}

/** testMode checks the fields only (an Accept.js card always passes); liveMode asks the processor. */
function validate(ledger: AuthorizeNetLedger, card: FakeCard, mode: string | undefined): Outcome | null {
  if (mode !== 'testMode' && mode !== 'liveMode') return null;
  return mode === 'liveMode' ? ledger.outcome(card, 0n, true) : { reasonCode: 1, avs: 'P', cvv: 'P' };
}

export function createCustomerProfile(ledger: AuthorizeNetLedger, request: Json): Json {
  const profile = asObject(request.profile);
  const merchantCustomerId = checkLength('merchantCustomerId', asString(profile?.merchantCustomerId), 20);
  const description = checkLength('description', asString(profile?.description), 255);
  const email = checkLength('email', asString(profile?.email), 255);
  if (!merchantCustomerId && !description && !email) return error('E00041', 'One or more fields in the profile must contain a value.');
  for (const existing of ledger.profiles.values()) {
    if (existing.merchantCustomerId === merchantCustomerId && existing.description === description && existing.email === email) {
      return error('E00039', `A duplicate record with ID ${existing.id} already exists.`);
    }
  }
  const cards: FakeCard[] = [];
  const directs: string[] = [];
  for (const paymentProfile of asList(profile?.paymentProfiles)) {
    const redeemed = cardOf(ledger, paymentProfile);
    if ('refusal' in redeemed) return redeemed.refusal;
    const outcome = validate(ledger, redeemed.card, asString(request.validationMode));
    if (outcome) directs.push(directResponse(outcome, redeemed.card, profile));
    if (outcome && outcome.reasonCode !== 1) {
      return error('E00027', reason(outcome.reasonCode)[1], { validationDirectResponseList: directs });
    }
    cards.push(redeemed.card);
  }
  const created: FakeCustomerProfile = { id: ledger.newId(), merchantCustomerId, description, email, paymentProfiles: cards.map((card) => ({ id: ledger.newId(), card })) };
  ledger.profiles.set(created.id, created);
  return ok({
    customerProfileId: created.id,
    customerPaymentProfileIdList: created.paymentProfiles.map((paymentProfile) => paymentProfile.id),
    customerShippingAddressIdList: [],
    validationDirectResponseList: directs,
  });
}

export function createCustomerPaymentProfile(ledger: AuthorizeNetLedger, request: Json): Json {
  const profile = ledger.profiles.get(numeric('customerProfileId', request.customerProfileId));
  if (!profile) return error('E00040', 'The record cannot be found.');
  const redeemed = cardOf(ledger, asObject(request.paymentProfile));
  if ('refusal' in redeemed) return redeemed.refusal;
  const { card } = redeemed;
  const existing = profile.paymentProfiles.find((paymentProfile) => paymentProfile.card.cardNumber === card.cardNumber && paymentProfile.card.expirationDate === card.expirationDate);
  if (existing) {
    return error('E00039', 'A duplicate customer payment profile already exists.', { customerProfileId: profile.id, customerPaymentProfileId: existing.id });
  }
  const outcome = validate(ledger, card, asString(request.validationMode));
  const direct = outcome ? directResponse(outcome, card, { email: profile.email, merchantCustomerId: profile.merchantCustomerId }) : undefined;
  if (outcome && outcome.reasonCode !== 1) return error('E00027', reason(outcome.reasonCode)[1], { validationDirectResponse: direct });
  const added = { id: ledger.newId(), card };
  profile.paymentProfiles.push(added);
  return ok({ customerProfileId: profile.id, customerPaymentProfileId: added.id, ...(direct ? { validationDirectResponse: direct } : {}) });
}

export function getCustomerPaymentProfile(ledger: AuthorizeNetLedger, request: Json): Json {
  const profile = ledger.profiles.get(numeric('customerProfileId', request.customerProfileId));
  const paymentProfileId = numeric('customerPaymentProfileId', request.customerPaymentProfileId);
  const paymentProfile = profile?.paymentProfiles.find((candidate) => candidate.id === paymentProfileId);
  if (!profile || !paymentProfile) return error('E00040', 'The record cannot be found.');
  const { card } = paymentProfile;
  return ok({
    paymentProfile: {
      customerProfileId: profile.id,
      customerPaymentProfileId: paymentProfile.id,
      payment: {
        creditCard: {
          cardNumber: masked(card),
          expirationDate: request.unmaskExpirationDate === true || request.unmaskExpirationDate === 'true' ? card.expirationDate : 'XXXX',
          cardType: cardType(card.cardNumber),
          issuerNumber: card.cardNumber.slice(0, 6),
        },
      },
      customerType: 'individual',
      ...(card.zip ? { billTo: { zip: card.zip } } : {}),
    },
  });
}

/** createTransactionResponse.transactionResponse for a stored (or duplicated) transaction. */
function transactionResponse(transaction: FakeTransaction, responseCode: number, reasonCode: number, transId: string): Json {
  const text = reason(reasonCode)[1];
  return {
    responseCode: String(responseCode),
    authCode: responseCode === 1 || reasonCode === 11 ? transaction.authCode : '',
    avsResultCode: transaction.avs,
    cvvResultCode: transaction.cvv,
    cavvResultCode: '',
    transId,
    refTransID: transaction.refTransId ?? '',
    transHash: '',
    testRequest: '0',
    accountNumber: masked(transaction.card),
    accountType: cardType(transaction.card.cardNumber),
    ...(responseCode === 1 || responseCode === 4 ? { messages: [{ code: String(reasonCode), description: text }] } : { errors: [{ errorCode: String(reasonCode), errorText: text }] }),
    transHashSha2: '',
    profile: { customerProfileId: transaction.customerProfileId, customerPaymentProfileId: transaction.paymentProfileId },
    SupplementalDataQualificationIndicator: 0,
  };
}

function transactionResult(transaction: FakeTransaction, responseCode: number, reasonCode: number, transId: string, refId: string | undefined): Json {
  const body: Json = { transactionResponse: transactionResponse(transaction, responseCode, reasonCode, transId), ...(refId ? { refId } : {}) };
  return responseCode === 1 || responseCode === 4 ? ok(body) : error('E00027', 'The transaction was unsuccessful.', body);
}

const STATUS_BY_RESPONSE: Readonly<Record<number, string>> = { 1: 'capturedPendingSettlement', 2: 'declined', 3: 'generalError', 4: 'FDSPendingReview' };

export function createTransaction(ledger: AuthorizeNetLedger, request: Json): Json {
  const refId = checkLength('refId', asString(request.refId), 20);
  const body = asObject(request.transactionRequest) ?? {};
  const type = asString(body.transactionType);
  if (type === 'voidTransaction') return voidTransaction(ledger, numeric('refTransId', body.refTransId), refId);
  if (type !== 'authCaptureTransaction' && type !== 'refundTransaction') throw new SchemaError(`The fake does not take transactionType '${type}'.`);
  const order = asObject(body.order);
  const invoiceNumber = checkLength('invoiceNumber', asString(order?.invoiceNumber), 20);
  const description = checkLength('description', asString(order?.description), 255);
  const setting = asList(asObject(body.transactionSettings)?.setting).find((candidate) => candidate.settingName === 'duplicateWindow');
  const duplicateWindow = setting ? Number(asString(setting.settingValue)) : undefined;
  const profileRef = asObject(body.profile);
  const amountText = asString(body.amount) ?? '';
  const refTransId = type === 'refundTransaction' ? numeric('refTransId', body.refTransId) : undefined;
  const original = refTransId ? ledger.transactions.get(refTransId) : undefined;
  const customerProfileId = profileRef ? numeric('customerProfileId', profileRef.customerProfileId) : original?.customerProfileId;
  const paymentProfileId = profileRef ? numeric('paymentProfileId', asObject(profileRef.paymentProfile)?.paymentProfileId) : original?.paymentProfileId;
  const paymentProfile = ledger.profiles.get(customerProfileId ?? '')?.paymentProfiles.find((candidate) => candidate.id === paymentProfileId);
  if (!customerProfileId || !paymentProfileId || !paymentProfile) return error('E00040', 'Customer Profile ID or Customer Payment Profile ID not found.');
  const candidate = {
    transactionType: type,
    amount: amountText,
    amountCents: toCents(amountText) ?? -1n,
    invoiceNumber,
    description,
    refId,
    customerProfileId,
    paymentProfileId,
    refTransId,
    submitTime: ledger.now(),
    card: paymentProfile.card,
    duplicateWindow,
  } satisfies Partial<FakeTransaction>;
  const refused = (reasonCode: number): Json => transactionResult({ ...candidate, transId: '0', transactionStatus: '', responseCode: 3, reasonCode, authCode: '', avs: 'P', cvv: '', batchId: null }, 3, reasonCode, '0', refId);
  if (candidate.amountCents <= 0n) return refused(5);
  const duplicate = ledger.duplicateOf(candidate);
  // With duplicateWindow sent, a duplicate's response carries the original's id, AVS, CVV and auth code.
  if (duplicate) return transactionResult(duplicate, 3, 11, duplicateWindow === undefined ? '0' : duplicate.transId, refId);
  let outcome: Outcome;
  if (type === 'refundTransaction') {
    if (!original || original.transactionType !== 'authCaptureTransaction' || original.transactionStatus !== 'settledSuccessfully') return refused(54);
    if (candidate.amountCents > original.amountCents - ledger.refundedCents(original.transId)) return refused(55);
    outcome = { reasonCode: 1, avs: 'P', cvv: '' };
  } else {
    outcome = ledger.outcome(paymentProfile.card, candidate.amountCents, false);
  }
  const responseCode = reason(outcome.reasonCode)[0];
  const transaction: FakeTransaction = {
    ...candidate,
    transId: ledger.newTransId(),
    transactionStatus: type === 'refundTransaction' ? 'refundPendingSettlement' : (STATUS_BY_RESPONSE[responseCode] ?? 'generalError'),
    responseCode,
    reasonCode: outcome.reasonCode,
    authCode: responseCode === 1 ? `A${ledger.newId().slice(-5)}` : '',
    avs: outcome.avs,
    cvv: outcome.cvv,
    batchId: null,
  };
  ledger.transactions.set(transaction.transId, transaction);
  return transactionResult(transaction, responseCode, outcome.reasonCode, transaction.transId, refId);
}

function voidTransaction(ledger: AuthorizeNetLedger, refTransId: string, refId: string | undefined): Json {
  const original = ledger.transactions.get(refTransId);
  if (!original) return error('E00027', 'The transaction was unsuccessful.', { transactionResponse: { responseCode: '3', transId: '0', errors: [{ errorCode: '16', errorText: reason(16)[1] }] } });
  if (original.transactionStatus === 'voided') return transactionResult(original, 1, 310, original.transId, refId);
  if (original.transactionStatus !== 'capturedPendingSettlement' && original.transactionStatus !== 'refundPendingSettlement') {
    return transactionResult(original, 3, 16, original.transId, refId);
  }
  original.transactionStatus = 'voided';
  return transactionResult(original, 1, 1, original.transId, refId);
}

export function getTransactionDetails(ledger: AuthorizeNetLedger, request: Json): Json {
  const transaction = ledger.transactions.get(numeric('transId', request.transId));
  if (!transaction) return error('E00040', 'The record cannot be found.');
  const settles = ['capturedPendingSettlement', 'settledSuccessfully', 'refundPendingSettlement', 'refundSettledSuccessfully'].includes(transaction.transactionStatus);
  return ok({
    transaction: {
      transId: transaction.transId,
      ...(transaction.refTransId ? { refTransId: transaction.refTransId } : {}),
      submitTimeUTC: iso(transaction.submitTime),
      submitTimeLocal: iso(transaction.submitTime).replace('Z', ''),
      transactionType: transaction.transactionType,
      transactionStatus: transaction.transactionStatus,
      responseCode: transaction.responseCode,
      responseReasonCode: transaction.reasonCode,
      responseReasonDescription: reason(transaction.reasonCode)[1],
      authCode: transaction.authCode,
      AVSResponse: transaction.avs,
      cardCodeResponse: transaction.cvv,
      ...(transaction.batchId ? { batch: { batchId: transaction.batchId, settlementState: 'settledSuccessfully' } } : {}),
      order: { invoiceNumber: transaction.invoiceNumber, description: transaction.description, discountAmount: 0.0, taxIsAfterDiscount: false },
      authAmount: dollars(transaction.amountCents),
      settleAmount: settles ? dollars(transaction.amountCents) : 0,
      taxExempt: false,
      payment: { creditCard: { cardNumber: masked(transaction.card), expirationDate: 'XXXX', cardType: cardType(transaction.card.cardNumber) } },
      recurringBilling: false,
      product: 'Card Not Present',
      marketType: 'eCommerce',
      profile: { customerProfileId: transaction.customerProfileId, customerPaymentProfileId: transaction.paymentProfileId },
    },
    ...(transaction.refId ? { transrefId: transaction.refId } : {}),
  });
}

function summary(transaction: FakeTransaction): Json {
  return {
    transId: transaction.transId,
    submitTimeUTC: iso(transaction.submitTime),
    submitTimeLocal: iso(transaction.submitTime).replace('Z', ''),
    transactionStatus: transaction.transactionStatus,
    ...(transaction.invoiceNumber ? { invoiceNumber: transaction.invoiceNumber } : {}),
    accountType: cardType(transaction.card.cardNumber),
    accountNumber: masked(transaction.card),
    settleAmount: dollars(transaction.amountCents),
    marketType: 'eCommerce',
    product: 'Card Not Present',
    profile: { customerProfileId: transaction.customerProfileId, customerPaymentProfileId: transaction.paymentProfileId },
  };
}

/** Sorting (id or submitTimeUTC, ascending unless orderDescending) and paging (limit 1–1000, offset = page from 1). */
function listed(transactions: FakeTransaction[], request: Json): Json {
  const sorting = asObject(request.sorting);
  const paging = asObject(request.paging);
  const limit = Number(asString(paging?.limit) ?? 1000);
  const page = Number(asString(paging?.offset) ?? 1);
  if (!(limit >= 1 && limit <= 1000 && page >= 1)) throw new SchemaError(`Paging: limit must be 1 to 1000 and offset at least 1.`);
  const key = (transaction: FakeTransaction): number => (asString(sorting?.orderBy) === 'id' ? Number(transaction.transId) : transaction.submitTime);
  const descending = sorting?.orderDescending === true || sorting?.orderDescending === 'true';
  const sorted = [...transactions].sort((a, b) => (descending ? key(b) - key(a) : key(a) - key(b)));
  const items = sorted.slice((page - 1) * limit, page * limit).map(summary);
  if (items.length === 0) return ok({ totalNumInResultSet: 0 }, 'I00004', 'No records found.');
  return ok({ transactions: items, totalNumInResultSet: items.length });
}

/** Settled transactions (in a batch) of a customer profile, or of one of its payment profiles. */
export function getTransactionListForCustomer(ledger: AuthorizeNetLedger, request: Json): Json {
  const profileId = numeric('customerProfileId', request.customerProfileId);
  if (!ledger.profiles.has(profileId)) return error('E00040', 'The record cannot be found.');
  const paymentProfileId = request.customerPaymentProfileId === undefined ? undefined : numeric('customerPaymentProfileId', request.customerPaymentProfileId);
  const mine = [...ledger.transactions.values()].filter(
    (transaction) => transaction.batchId !== null && transaction.customerProfileId === profileId && (paymentProfileId === undefined || transaction.paymentProfileId === paymentProfileId),
  );
  return listed(mine, request);
}

/** The account's transactions not yet in a settlement batch (declined and held ones too). */
export function getUnsettledTransactionList(ledger: AuthorizeNetLedger, request: Json): Json {
  return listed([...ledger.transactions.values()].filter((transaction) => transaction.batchId === null), request);
}

