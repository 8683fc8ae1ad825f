import type { Invoice } from '../../billing.ts';
import { isHardDecline } from '../../../../src/modules/payments/dunning/schedule.ts';

/**
 * When an invoice whose payment failed is tried again, or why it is not: the reasons
 * dunning leaves `next_payment_attempt` empty (payments/dunning/service.ts scheduleRetry).
 */
export type RetryState = { kind: 'scheduled'; at: number } | { kind: 'none'; reason: string };

export function retryState(invoice: Pick<Invoice, 'next_payment_attempt' | 'last_payment_error' | 'billing_reason'>): RetryState {
  if (invoice.next_payment_attempt !== null) return { kind: 'scheduled', at: invoice.next_payment_attempt };
  const error = invoice.last_payment_error;
  if (invoice.billing_reason === 'subscription_create') return { kind: 'none', reason: 'Not retried: a first payment (the subscription stays incomplete)' };
  if (error?.code === 'invoice_no_payment_method') return { kind: 'none', reason: 'Waiting for a payment method' };
  if (isHardDecline(error?.decline_code ?? null)) return { kind: 'none', reason: 'Waiting for a new card (hard decline)' };
  return { kind: 'none', reason: 'No retries left' };
}

/** The issuer's decline code when there is one, else the error's code. */
export function declineOf(invoice: Pick<Invoice, 'last_payment_error'>): string | null {
  const error = invoice.last_payment_error;
  return error ? (error.decline_code ?? error.code) : null;
}
