import {
  CaptureStatus,
  CheckoutPaymentIntent,
  OrderStatus,
  PaymentInitiator,
  RefundStatus,
  StoredPaymentSourcePaymentType,
  StoredPaymentSourceUsageType,
  VaultTokenRequestType,
  type Order,
  type OrderRequest,
  type OrdersCapture,
  type PaymentSource,
} from '@paypal/paypal-server-sdk';
import { ApiError, invalidRequest, resourceMissing } from '../../../../lib/errors.ts';
import {
  chargeEach,
  type ChargeRequest,
  type ChargeResult,
  type Gateway,
  type GatewayConfig,
  type GatewayCustomer,
  type GatewayEvent,
  type GatewayWebhookRequest,
  type PaymentFailure,
  type PaymentStatus,
  type RefundRequest,
  type RefundResult,
  type SavedPaymentMethod,
} from '../gateway.ts';
import { PayPalClients, type PayPalApi } from './client.ts';
import type { PayPalCredentials } from './credentials.ts';
import { declineFromIssues, declineFromProcessorCode, refundFailureCode, type StripeDecline } from './declines.ts';
import { explain, fromPayPalValue, paypalRequestId, readPayPalError, toPayPalValue } from './support.ts';
import { gatewayRefOf, parseGatewayRef, savedSource, type SourceKind } from './vault.ts';
import { verifyWebhook } from './webhooks.ts';

/** paymentRef of a charge that made an order but no capture (the buyer had to act). */
const ORDER_REF = 'order/';

const failure = (decline: StripeDecline, paymentRef: string | null, message = decline.message): PaymentFailure => ({
  status: 'failed',
  code: decline.code,
  declineCode: decline.declineCode,
  message,
  paymentRef,
});

const processingError = (message: string): StripeDecline => ({ code: 'processing_error', declineCode: 'processing_error', message });

/**
 * PayPal through @paypal/paypal-server-sdk: payment methods are Vault v3 payment tokens
 * (cards or PayPal wallets), charges are Orders v2 orders with intent CAPTURE, refunds are
 * Payments v2 refunds of the capture.
 *
 * At most once: every charge and refund sends `PayPal-Request-Id` derived from the
 * idempotency key, and PayPal answers a repeated id with the first result instead of
 * acting again. PayPal keeps order ids 6 hours (72 on request to PayPal) and refund ids 45
 * days. Past that, the charge's `invoice_id` (the same derived id) still stops a second
 * charge if the account blocks duplicate invoice ids (PayPal's default): the adapter then
 * throws (DUPLICATE_INVOICE_ID) rather than guess the first outcome. An account that allows
 * duplicate invoice ids would be charged again by a retry after six hours.
 */
export class PayPalGateway implements Gateway {
  readonly kind = 'paypal' as const;
  private readonly clients: PayPalClients;

  constructor(private readonly config: GatewayConfig<PayPalCredentials>) {
    this.clients = new PayPalClients(config);
  }

  /**
   * `token` is a Vault v3 setup token the buyer approved through PayPal's JS SDK; it becomes
   * a payment token. The request id is derived from the setup token, so saving it again
   * returns the same payment token rather than SETUP_TOKEN_ALREADY_TOKENIZED.
   */
  async savePaymentMethod(token: string, customer: GatewayCustomer): Promise<SavedPaymentMethod> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) throw invalidRequest(`Invalid PayPal setup token: '${token}'`, 'payment_method');
    const response = await this.call((api) =>
      api.vault.createPaymentToken({
        body: {
          paymentSource: { token: { id: token, type: VaultTokenRequestType.SetupToken } },
          customer: { merchantCustomerId: customer.id },
        },
        paypalRequestId: paypalRequestId(`vault:${token}`),
      }),
    ).catch((error: unknown) => {
      throw saveError(error, token);
    });
    const saved = savedSource(response.result);
    if (!saved || !response.result.id) {
      throw invalidRequest('PayPal saved a payment source Recur cannot charge (only cards and PayPal wallets).', 'payment_method');
    }
    return { gatewayRef: gatewayRefOf(saved.kind, response.result.id), card: saved.card };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const source = parseGatewayRef(request.gatewayRef);
    if (!source) return failure({ code: 'card_declined', declineCode: 'generic_decline', message: 'Unknown PayPal payment method reference.' }, null);
    const value = toPayPalValue(request.amount, request.currency);
    if (value === null) {
      const decline = { code: 'invalid_charge_amount', declineCode: 'invalid_amount', message: `PayPal takes whole ${request.currency.toUpperCase()} amounts only.` };
      return failure(decline, null);
    }
    const requestId = paypalRequestId(request.idempotencyKey);
    const body: OrderRequest = {
      intent: CheckoutPaymentIntent.Capture,
      purchaseUnits: [
        {
          amount: { currencyCode: request.currency.toUpperCase(), value },
          invoiceId: requestId,
          ...(request.description ? { description: request.description.slice(0, 127) } : {}),
        },
      ],
      paymentSource: paymentSource(source.kind, source.vaultId),
    };
    const api = this.clients.api();
    let order: Order;
    try {
      order = (await this.callWith(api, (a) => a.orders.createOrder({ body, paypalRequestId: requestId, prefer: 'return=representation' }))).result;
    } catch (error) {
      return this.chargeError(api, error, null);
    }
    // With a vault id PayPal captures in the create call; an order left CREATED or APPROVED
    // (some account set-ups) is captured here, under a request id of its own.
    if ((order.status === OrderStatus.Created || order.status === OrderStatus.Approved) && order.id) {
      const id = order.id;
      try {
        const captureRequestId = paypalRequestId(`capture:${request.idempotencyKey}`);
        order = (await this.callWith(api, (a) => a.orders.captureOrder({ id, paypalRequestId: captureRequestId, prefer: 'return=representation' }))).result;
      } catch (error) {
        return this.chargeError(api, error, id);
      }
    }
    return chargeResult(order);
  }

  chargeMany(requests: readonly ChargeRequest[]): Promise<ChargeResult[]> {
    return chargeEach(this, requests);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    if (request.paymentRef.startsWith(ORDER_REF)) {
      return { status: 'failed', refundRef: null, code: 'charge_not_refundable', message: 'This PayPal payment captured nothing to refund.' };
    }
    const value = toPayPalValue(request.amount, request.currency);
    if (value === null) {
      return { status: 'failed', refundRef: null, code: 'invalid_amount', message: `PayPal takes whole ${request.currency.toUpperCase()} amounts only.` };
    }
    try {
      const { result } = await this.call((api) =>
        api.payments.refundCapturedPayment({
          captureId: request.paymentRef,
          paypalRequestId: paypalRequestId(request.idempotencyKey),
          prefer: 'return=representation',
          body: { amount: { currencyCode: request.currency.toUpperCase(), value } },
        }),
      );
      const refundRef = result.id ?? null;
      if (result.status === RefundStatus.Completed && refundRef) return { status: 'succeeded', refundRef };
      if ((result.status === RefundStatus.Failed || result.status === RefundStatus.Cancelled) || !refundRef) {
        return { status: 'failed', refundRef, code: 'refund_failed', message: `PayPal refund ${result.status ?? 'without status'}.` };
      }
      return { status: 'pending', refundRef };
    } catch (error) {
      const paypal = readPayPalError(error);
      if (paypal?.status === 422) return { status: 'failed', refundRef: null, code: refundFailureCode(paypal.issues), message: explain(paypal) };
      if (paypal?.status === 404) return { status: 'failed', refundRef: null, code: 'resource_missing', message: explain(paypal) };
      throw error;
    }
  }

  async retrievePayment(paymentRef: string): Promise<PaymentStatus> {
    const api = this.clients.api();
    try {
      if (paymentRef.startsWith(ORDER_REF)) {
        const id = paymentRef.slice(ORDER_REF.length);
        const order = (await this.callWith(api, (a) => a.orders.getOrder({ id }))).result;
        const capture = firstCapture(order);
        if (capture?.id) return await this.captureStatus(api, capture.id);
        const amount = order.purchaseUnits?.[0]?.amount;
        if (!amount) throw new Error(`PayPal order ${id} has no amount`);
        const status = order.status === OrderStatus.Voided ? 'failed' : 'pending';
        return { paymentRef, status, amount: fromPayPalValue(amount.value, amount.currencyCode), amountRefunded: 0n, currency: amount.currencyCode.toLowerCase() };
      }
      return await this.captureStatus(api, paymentRef);
    } catch (error) {
      if (readPayPalError(error)?.status === 404) throw resourceMissing('payment', paymentRef);
      throw error;
    }
  }

  parseWebhook(request: GatewayWebhookRequest): Promise<GatewayEvent> {
    return verifyWebhook(request, this.clients, this.config.credentials.webhook_id);
  }

  /** A capture's state; what was refunded is summed from its order's refunds. */
  private async captureStatus(api: PayPalApi, captureId: string): Promise<PaymentStatus> {
    const capture = (await this.callWith(api, (a) => a.payments.getCapturedPayment({ captureId }))).result;
    if (!capture.amount) throw new Error(`PayPal capture ${captureId} has no amount`);
    const { currencyCode, value } = capture.amount;
    const amount = fromPayPalValue(value, currencyCode);
    let amountRefunded = 0n;
    const refundable = capture.status === CaptureStatus.Completed || capture.status === CaptureStatus.PartiallyRefunded || capture.status === CaptureStatus.Refunded;
    const orderId = capture.supplementaryData?.relatedIds?.orderId;
    if (refundable && orderId) {
      const order = (await this.callWith(api, (a) => a.orders.getOrder({ id: orderId }))).result;
      for (const refund of order.purchaseUnits?.flatMap((unit) => unit.payments?.refunds ?? []) ?? []) {
        if (refund.amount && (refund.status === RefundStatus.Completed || refund.status === RefundStatus.Pending)) {
          amountRefunded += fromPayPalValue(refund.amount.value, refund.amount.currencyCode);
        }
      }
    } else if (capture.status === CaptureStatus.Refunded) {
      amountRefunded = amount;
    }
    return { paymentRef: captureId, status: captureState(capture.status), amount, amountRefunded, currency: currencyCode.toLowerCase() };
  }

  /** A failed create or capture call: a refusal becomes `failed`, anything else throws. */
  private async chargeError(api: PayPalApi, error: unknown, orderId: string | null): Promise<ChargeResult> {
    const paypal = readPayPalError(error);
    const paymentRef = orderId ? `${ORDER_REF}${orderId}` : null;
    if (paypal?.status === 422) {
      if (paypal.issues.includes('DUPLICATE_INVOICE_ID')) {
        // PayPal forgot the request id but not the invoice id: this key was charged before.
        throw new Error(`PayPal already has a payment for this idempotency key but no longer remembers its request; find it by invoice_id in the PayPal dashboard. ${explain(paypal)}`);
      }
      if (orderId && paypal.issues.includes('ORDER_ALREADY_CAPTURED')) {
        return chargeResult((await this.callWith(api, (a) => a.orders.getOrder({ id: orderId }))).result);
      }
      return failure(declineFromIssues(paypal.issues) ?? processingError(explain(paypal)), paymentRef);
    }
    // Refused as malformed or naming a vault id PayPal no longer has: nothing was charged, and
    // retrying the same request cannot help, so the charge fails instead of blocking its batch.
    if (paypal?.status === 400 || paypal?.status === 404) return failure(processingError(explain(paypal)), paymentRef);
    throw error;
  }

  private call<T>(operation: (api: PayPalApi) => Promise<T>): Promise<T> {
    return this.callWith(this.clients.api(), operation);
  }

  private async callWith<T>(api: PayPalApi, operation: (api: PayPalApi) => Promise<T>): Promise<T> {
    try {
      return await operation(api);
    } catch (error) {
      this.clients.noteFailure(error);
      throw error;
    }
  }
}

/** A refused setup token as Recur's API error; anything else (5xx, credentials) as it came. */
function saveError(error: unknown, token: string): unknown {
  const paypal = readPayPalError(error);
  if (paypal?.status === 404) {
    return new ApiError(400, 'invalid_request_error', `No such PayPal setup token: '${token}'`, { code: 'resource_missing', param: 'payment_method' });
  }
  if (paypal?.status !== 422) return error;
  const refusal = declineFromIssues(paypal.issues);
  if (refusal) return new ApiError(402, 'card_error', refusal.message, { code: refusal.code, declineCode: refusal.declineCode });
  // Already used, not vaulted …: the token is unusable, not the buyer's card refused.
  return invalidRequest(`PayPal cannot save this setup token: ${paypal.detail || paypal.message}`, 'payment_method');
}

/**
 * The vaulted source, flagged as a merchant-initiated charge of a stored credential (what
 * lets issuers and SCA rules accept it without the buyer). UNSCHEDULED: Recur's charges vary
 * in amount and timing (prorations, usage, retries), which RECURRING would not cover.
 */
function paymentSource(kind: SourceKind, vaultId: string): PaymentSource {
  if (kind === 'card') {
    return {
      card: {
        vaultId,
        storedCredential: {
          paymentInitiator: PaymentInitiator.Merchant,
          paymentType: StoredPaymentSourcePaymentType.Unscheduled,
          usage: StoredPaymentSourceUsageType.Subsequent,
        },
      },
    };
  }
  return { paypal: { vaultId, storedCredential: { paymentInitiator: PaymentInitiator.Merchant, usage: StoredPaymentSourceUsageType.Subsequent } } };
}

function firstCapture(order: Order): OrdersCapture | undefined {
  return order.purchaseUnits?.[0]?.payments?.captures?.[0];
}

/**
 * A created or captured order as Recur's result. PENDING counts as succeeded: PayPal has
 * taken the payment and settles it later (or denies it, which a PAYMENT.CAPTURE.DENIED
 * webhook reports); failing it would let dunning charge the buyer again meanwhile.
 */
function chargeResult(order: Order): ChargeResult {
  const capture = firstCapture(order);
  if (capture?.id) {
    if (capture.status === CaptureStatus.Declined || capture.status === CaptureStatus.Failed) {
      return failure(declineFromProcessorCode(capture.processorResponse?.responseCode), capture.id);
    }
    return { status: 'succeeded', paymentRef: capture.id };
  }
  const paymentRef = order.id ? `${ORDER_REF}${order.id}` : null;
  if (order.status === OrderStatus.PayerActionRequired) return failure(declineFromIssues(['PAYER_ACTION_REQUIRED']) ?? processingError('Buyer action required.'), paymentRef);
  if (order.status === OrderStatus.Voided) return failure(processingError('PayPal voided the order.'), paymentRef);
  // Neither captured nor refused: an answer Recur does not understand must not pass as paid.
  throw new Error(`PayPal order ${order.id ?? '?'} came back ${order.status ?? 'without status'} and without a capture`);
}

function captureState(status: CaptureStatus | undefined): PaymentStatus['status'] {
  if (status === CaptureStatus.Declined || status === CaptureStatus.Failed) return 'failed';
  if (status === CaptureStatus.Pending) return 'pending';
  return 'succeeded';
}
