import { Badge, Text } from '@mantine/core';

/** A card as charges and payment methods describe it (never the number: the gateway keeps that). */
export interface Card {
  brand: string;
  country: string | null;
  exp_month: number;
  exp_year: number;
  funding: string;
  last4: string;
}

/** GET /v1/customers/:id/payment_methods (Stripe's payment method; cards only). */
export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  card: Card;
  created: number;
  customer: string | null;
  livemode: boolean;
  type: 'card';
}

/** A card past its expiry month can no longer be charged. */
export function isExpired(card: Card, now = new Date()): boolean {
  const year = now.getFullYear();
  return card.exp_year < year || (card.exp_year === year && card.exp_month < now.getMonth() + 1);
}

export type ChargeStatus = 'succeeded' | 'failed' | 'pending';

/** GET /v1/charges: one payment attempt on an invoice (Stripe's charge, plus the gateway). */
export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  created: number;
  currency: string;
  customer: string;
  failure_code: string | null;
  failure_message: string | null;
  gateway: string;
  gateway_account: string | null;
  gateway_reference: string | null;
  livemode: boolean;
  outcome: { network_status: string; reason: string | null; seller_message: string; type: string };
  paid: boolean;
  payment_intent: string;
  payment_method: string | null;
  payment_method_details: { card: Card | null; type: 'card' } | null;
  refunded: boolean;
  status: ChargeStatus;
}

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';
export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

/** /v1/refunds, Stripe's refund object (only the fields the dashboard reads). */
export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string | null;
  created: number;
  currency: string;
  failure_reason?: string | null;
  payment_intent: string | null;
  reason: RefundReason | null;
  status: RefundStatus | null;
}

/** Each invoice has one payment intent, named after it: in_X is paid by pi_X. */
export function paymentIntentOf(invoiceId: string): string {
  return `pi_${invoiceId.replace(/^in_/, '')}`;
}

/** What can still be refunded: a succeeded charge's amount less its refunds so far. */
export function refundable(charge: Charge): number {
  return charge.status === 'succeeded' ? Math.max(0, charge.amount - charge.amount_refunded) : 0;
}

export const REFUND_REASONS: ReadonlyArray<{ value: RefundReason; label: string }> = [
  { value: 'requested_by_customer', label: 'Requested by the customer' },
  { value: 'duplicate', label: 'Duplicate payment' },
  { value: 'fraudulent', label: 'Fraudulent' },
];

export function refundReasonLabel(reason: RefundReason | null): string {
  return REFUND_REASONS.find((r) => r.value === reason)?.label ?? '—';
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Visa •••• 4242" (and the expiry with `expiry`). */
export function cardLabel(card: Card, expiry = false): string {
  const label = `${capitalized(card.brand)} •••• ${card.last4}`;
  return expiry ? `${label} · ${String(card.exp_month).padStart(2, '0')}/${String(card.exp_year).slice(-2)}` : label;
}

const CHARGE_COLORS: Record<ChargeStatus, string> = { succeeded: 'teal', failed: 'red', pending: 'orange' };
const CHARGE_LABELS: Record<ChargeStatus, string> = { succeeded: 'Succeeded', failed: 'Failed', pending: 'Pending' };

export function ChargeStatusBadge({ charge }: { charge: Charge }) {
  // Refunded in full, the charge reads so; a part refunded is shown beside its amount.
  return (
    <Badge size="sm" variant="light" color={charge.refunded ? 'grape' : CHARGE_COLORS[charge.status]} data-testid="charge-status" data-status={charge.status}>
      {charge.refunded ? 'Refunded' : CHARGE_LABELS[charge.status]}
    </Badge>
  );
}

const REFUND_COLORS: Record<RefundStatus, string> = { pending: 'orange', requires_action: 'orange', succeeded: 'teal', failed: 'red', canceled: 'gray' };

export function RefundStatusBadge({ status }: { status: RefundStatus | null }) {
  return (
    <Badge size="sm" variant="light" color={status ? REFUND_COLORS[status] : 'gray'} data-testid="refund-status" data-status={status ?? 'unknown'}>
      {status ? capitalized(status.replace('_', ' ')) : 'Unknown'}
    </Badge>
  );
}

/** The decline as the issuer coded it, and the gateway's message under it. */
export function Decline({ code, message }: { code: string | null; message: string | null }) {
  if (!code && !message) {
    return (
      <Text span c="dimmed" size="sm">
        —
      </Text>
    );
  }
  return (
    <>
      {code ? (
        <Text size="sm" ff="monospace" fz={12.5} data-testid="decline-code">
          {code}
        </Text>
      ) : null}
      {message ? (
        <Text size="xs" c="dimmed" lineClamp={2} title={message}>
          {message}
        </Text>
      ) : null}
    </>
  );
}
