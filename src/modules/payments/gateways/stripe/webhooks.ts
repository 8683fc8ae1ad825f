import type Stripe from 'stripe';
import type { GatewayEvent } from '../gateway.ts';
import { fromStripeAmount } from './mapping.ts';

const idOf = (value: string | { id: string } | null | undefined): string | null => (value == null ? null : typeof value === 'string' ? value : value.id);

function base(event: Stripe.Event, type: GatewayEvent['type']): GatewayEvent {
  return { id: event.id, type, gatewayType: event.type, paymentRef: null, refundRef: null, amount: null, currency: null };
}

/**
 * A verified Stripe event reduced to what Recur acts on. Payments are referred to by their
 * PaymentIntent (what `charge` returned as paymentRef), amounts converted back to Recur's
 * minor units.
 */
export function gatewayEventOf(event: Stripe.Event): GatewayEvent {
  switch (event.type) {
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      const succeeded = event.type === 'payment_intent.succeeded';
      return {
        ...base(event, succeeded ? 'payment.succeeded' : 'payment.failed'),
        paymentRef: intent.id,
        amount: fromStripeAmount(succeeded ? intent.amount_received : intent.amount, intent.currency),
        currency: intent.currency,
      };
    }
    case 'charge.refunded': {
      // The charge's running total: several partial refunds each send one of these.
      const charge = event.data.object;
      return {
        ...base(event, 'payment.refunded'),
        paymentRef: idOf(charge.payment_intent) ?? charge.id,
        amount: fromStripeAmount(charge.amount_refunded, charge.currency),
        currency: charge.currency,
      };
    }
    case 'refund.updated':
    case 'refund.failed': {
      const refund = event.data.object;
      const type = refund.status === 'succeeded' ? 'refund.succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'refund.failed' : 'other';
      return {
        ...base(event, type),
        paymentRef: idOf(refund.payment_intent) ?? idOf(refund.charge),
        refundRef: refund.id,
        amount: fromStripeAmount(refund.amount, refund.currency),
        currency: refund.currency,
      };
    }
    case 'charge.dispute.created': {
      const dispute = event.data.object;
      return {
        ...base(event, 'dispute.created'),
        paymentRef: idOf(dispute.payment_intent) ?? idOf(dispute.charge),
        amount: fromStripeAmount(dispute.amount, dispute.currency),
        currency: dispute.currency,
      };
    }
    default:
      return base(event, 'other');
  }
}
