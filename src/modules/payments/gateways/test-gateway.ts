import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.ts';
import { ApiError } from '../../../lib/errors.ts';
import { randomBase62 } from '../../../lib/ids.ts';
import type { CardDetails } from '../payment-methods/models.ts';
import {
  GatewayWebhookError,
  type ChargeRequest,
  type ChargeResult,
  type Gateway,
  type GatewayEvent,
  type PaymentStatus,
  type RefundRequest,
  type RefundResult,
  type SavedPaymentMethod,
} from './gateway.ts';

/**
 * The built-in test gateway for sandbox workspaces, honouring Stripe's test payment
 * methods and test card numbers. A saved card is a reference `test_<behaviour>_<random>`:
 * the behaviour decides what charges do; no card number is ever kept.
 */
const BEHAVIOURS = ['visa', 'mastercard', 'chargeCustomerFail', 'insufficientFunds', 'stolenCard'] as const;
type Behaviour = (typeof BEHAVIOURS)[number];

interface Outcome {
  attach: { ok: true; behaviour: Behaviour; brand: string; last4: string } | { ok: false; code: string; declineCode: string; message: string };
}

const declined = (code: string, declineCode: string, message: string): Outcome['attach'] => ({ ok: false, code, declineCode, message });

const TOKENS: Record<string, Outcome['attach']> = {
  pm_card_visa: { ok: true, behaviour: 'visa', brand: 'visa', last4: '4242' },
  pm_card_mastercard: { ok: true, behaviour: 'mastercard', brand: 'mastercard', last4: '4444' },
  pm_card_chargeDeclined: declined('card_declined', 'generic_decline', 'Your card was declined.'),
  pm_card_chargeCustomerFail: { ok: true, behaviour: 'chargeCustomerFail', brand: 'visa', last4: '0341' },
  pm_card_chargeDeclinedInsufficientFunds: { ok: true, behaviour: 'insufficientFunds', brand: 'visa', last4: '9995' },
  pm_card_chargeDeclinedExpiredCard: declined('expired_card', 'expired_card', 'Your card has expired.'),
  // Saved, but every charge is a hard decline (stolen_card): dunning does not retry it.
  pm_card_chargeDeclinedStolenCard: { ok: true, behaviour: 'stolenCard', brand: 'visa', last4: '9979' },
  // Raw test card numbers (the checkout form): the same behaviours, never stored.
  '4242424242424242': { ok: true, behaviour: 'visa', brand: 'visa', last4: '4242' },
  '5555555555554444': { ok: true, behaviour: 'mastercard', brand: 'mastercard', last4: '4444' },
  '4000000000000341': { ok: true, behaviour: 'chargeCustomerFail', brand: 'visa', last4: '0341' },
  '4000000000009995': { ok: true, behaviour: 'insufficientFunds', brand: 'visa', last4: '9995' },
  '4000000000009979': { ok: true, behaviour: 'stolenCard', brand: 'visa', last4: '9979' },
  '4000000000000002': declined('card_declined', 'generic_decline', 'Your card was declined.'),
  '4000000000000069': declined('expired_card', 'expired_card', 'Your card has expired.'),
};

/** The test payment method ids (`pm_card_…`) this gateway accepts as tokens. */
export function isTestPaymentMethodToken(id: string): boolean {
  return id.startsWith('pm_card_') && Object.hasOwn(TOKENS, id);
}

/** True for any token this gateway knows (test ids and test card numbers). */
export function isTestToken(token: string): boolean {
  return Object.hasOwn(TOKENS, token.replace(/[\s-]/g, ''));
}

function behaviourOf(gatewayRef: string): Behaviour | undefined {
  const match = /^test_([A-Za-z]+)_[0-9A-Za-z]+$/.exec(gatewayRef);
  const behaviour = match?.[1];
  return (BEHAVIOURS as readonly string[]).includes(behaviour ?? '') ? (behaviour as Behaviour) : undefined;
}

function chargeOutcome(behaviour: Behaviour | undefined): { status: 'succeeded' } | Omit<Extract<ChargeResult, { status: 'failed' }>, 'paymentRef'> {
  switch (behaviour) {
    case 'visa':
    case 'mastercard':
      return { status: 'succeeded' };
    case 'insufficientFunds':
      return { status: 'failed', code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' };
    case 'chargeCustomerFail':
      return { status: 'failed', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' };
    case 'stolenCard':
      return { status: 'failed', code: 'card_declined', declineCode: 'stolen_card', message: 'Your card was declined.' };
    default:
      return { status: 'failed', code: 'card_declined', declineCode: 'generic_decline', message: 'Unknown payment method reference.' };
  }
}

/**
 * Its ledger (`test_gateway_charges`) plays the external gateway's own records: written
 * through a handle of its own, each statement committed before the call returns, so a
 * charge is remembered even when the caller's transaction rolls back or its process dies,
 * as a real gateway's would be. That is what makes the charges' idempotency keys matter.
 */
export class TestGateway implements Gateway {
  readonly kind = 'test' as const;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly workspaceId: string,
  ) {
    if (db.isTransaction) throw new Error('the test gateway keeps its ledger outside the caller\'s transaction: give it DatabaseHandle.gatewayDb');
  }

  async savePaymentMethod(token: string): Promise<SavedPaymentMethod> {
    // The test gateway keeps no customers: the customer argument of the interface is unused.
    const outcome = TOKENS[token.replace(/[\s-]/g, '')];
    if (!outcome) {
      throw new ApiError(400, 'invalid_request_error', `No such test payment method: '${token}'`, { code: 'resource_missing', param: 'payment_method' });
    }
    if (!outcome.ok) {
      throw new ApiError(402, 'card_error', outcome.message, { code: outcome.code, declineCode: outcome.declineCode });
    }
    const card: CardDetails = {
      brand: outcome.brand,
      last4: outcome.last4,
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 3,
      funding: 'credit',
      country: 'US',
    };
    return { gatewayRef: `test_${outcome.behaviour}_${randomBase62(16)}`, card };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const [result] = await this.chargeMany([request]);
    if (!result) throw new Error('test gateway returned no result');
    return result;
  }

  async chargeMany(requests: readonly ChargeRequest[]): Promise<ChargeResult[]> {
    if (requests.length === 0) return [];
    const outcomes = requests.map((request): ChargeResult => {
      const outcome = chargeOutcome(behaviourOf(request.gatewayRef));
      // Every attempt gets a reference, failed ones too, as a gateway's payment would.
      return { ...outcome, paymentRef: `test_py_${randomBase62(20)}` };
    });
    // The primary key (workspace_id, idempotency_key) makes "at most once" a fact: a charge
    // repeated with its key inserts nothing and reads the first result back.
    const inserted = await this.db
      .insertInto('test_gateway_charges')
      .values(
        requests.map((request, i) => {
          const outcome = outcomes[i] as ChargeResult;
          return {
            workspace_id: this.workspaceId,
            idempotency_key: request.idempotencyKey,
            payment_method: request.gatewayRef,
            payment_ref: (outcome as { paymentRef: string }).paymentRef,
            amount: request.amount,
            currency: request.currency.toLowerCase(),
            status: outcome.status,
            failure_code: outcome.status === 'failed' ? outcome.code : null,
            decline_code: outcome.status === 'failed' ? outcome.declineCode : null,
            failure_message: outcome.status === 'failed' ? outcome.message : null,
          };
        }),
      )
      .onConflict((oc) => oc.columns(['workspace_id', 'idempotency_key']).doNothing())
      .returning('idempotency_key')
      .execute();
    if (inserted.length === requests.length) return outcomes;
    const fresh = new Set(inserted.map((row) => row.idempotency_key));
    const repeated = requests.filter((request) => !fresh.has(request.idempotencyKey)).map((request) => request.idempotencyKey);
    const earlier = new Map(
      (
        await this.db
          .selectFrom('test_gateway_charges')
          .selectAll()
          .where('workspace_id', '=', this.workspaceId)
          .where('idempotency_key', 'in', repeated)
          .execute()
      ).map((row) => [row.idempotency_key, row]),
    );
    return requests.map((request, i): ChargeResult => {
      const row = fresh.has(request.idempotencyKey) ? undefined : earlier.get(request.idempotencyKey);
      if (!row) return outcomes[i] as ChargeResult;
      const paymentRef = row.payment_ref ?? `test_py_${row.idempotency_key}`;
      if (row.status === 'succeeded') return { status: 'succeeded', paymentRef };
      return {
        status: 'failed',
        paymentRef,
        code: row.failure_code ?? 'card_declined',
        declineCode: row.decline_code ?? 'generic_decline',
        message: row.failure_message ?? 'Your card was declined.',
      };
    });
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    // One transaction on the ledger's own handle: the refund and the charge's refunded total
    // change together, and a key already used returns its first refund.
    return this.db.transaction().execute(async (tx) => {
      const earlier = await tx
        .selectFrom('test_gateway_refunds')
        .select('refund_ref')
        .where('workspace_id', '=', this.workspaceId)
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst();
      if (earlier) return { status: 'succeeded', refundRef: earlier.refund_ref };
      const charge = await tx
        .selectFrom('test_gateway_charges')
        .selectAll()
        .where('workspace_id', '=', this.workspaceId)
        .where('payment_ref', '=', request.paymentRef)
        .forUpdate()
        .executeTakeFirst();
      if (!charge || charge.status !== 'succeeded') {
        return { status: 'failed', refundRef: null, code: 'charge_not_refundable', message: 'Only a successful payment can be refunded.' };
      }
      if (request.amount <= 0n || request.amount > charge.amount - charge.amount_refunded) {
        return {
          status: 'failed',
          refundRef: null,
          code: 'amount_too_large',
          message: `Refund amount (${request.amount}) is greater than the unrefunded amount on the payment (${charge.amount - charge.amount_refunded}).`,
        };
      }
      const refundRef = `test_re_${randomBase62(20)}`;
      await tx
        .insertInto('test_gateway_refunds')
        .values({ workspace_id: this.workspaceId, idempotency_key: request.idempotencyKey, refund_ref: refundRef, payment_ref: request.paymentRef, amount: request.amount })
        .execute();
      await tx
        .updateTable('test_gateway_charges')
        .set({ amount_refunded: charge.amount_refunded + request.amount })
        .where('workspace_id', '=', this.workspaceId)
        .where('idempotency_key', '=', charge.idempotency_key)
        .execute();
      return { status: 'succeeded', refundRef };
    });
  }

  async retrievePayment(paymentRef: string): Promise<PaymentStatus> {
    const row = await this.db
      .selectFrom('test_gateway_charges')
      .selectAll()
      .where('workspace_id', '=', this.workspaceId)
      .where('payment_ref', '=', paymentRef)
      .executeTakeFirst();
    if (!row) throw new ApiError(404, 'invalid_request_error', `No such payment: '${paymentRef}'`, { code: 'resource_missing', param: 'payment' });
    return { paymentRef, status: row.status, amount: row.status === 'succeeded' ? row.amount : 0n, amountRefunded: row.amount_refunded, currency: row.currency };
  }

  async parseWebhook(): Promise<GatewayEvent> {
    // Its outcomes are known at once, so it has nothing to tell later.
    throw new GatewayWebhookError('the test gateway sends no webhooks');
  }
}
