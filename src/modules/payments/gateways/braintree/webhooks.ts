import type { Transaction, WebhookNotification } from 'braintree';
import type { GatewayEvent } from '../gateway.ts';
import { fromBraintreeAmount } from './mapping.ts';

/**
 * A verified Braintree notification (the SDK's parse of `bt_payload`) reduced to what Recur
 * acts on. Braintree's notifications carry no id; a redelivery repeats the same payload, so
 * kind + subject + timestamp identify it.
 */
export function eventOf(notification: WebhookNotification): GatewayEvent {
  const { kind } = notification;
  const transaction = notification.transaction;
  const dispute = notification.dispute;
  const subjectId = transaction?.id ?? dispute?.id ?? 'none';
  const base = { id: `${kind}:${subjectId}:${notification.timestamp}`, gatewayType: kind };
  if (transaction && (kind === 'transaction_settled' || kind === 'transaction_settlement_declined' || kind === 'refund_failed')) {
    const isRefund = transaction.type === 'credit' || kind === 'refund_failed';
    const failed = kind !== 'transaction_settled';
    return {
      ...base,
      type: isRefund ? (failed ? 'refund.failed' : 'refund.succeeded') : failed ? 'payment.failed' : 'payment.succeeded',
      paymentRef: isRefund ? (transaction.refundedTransactionId ?? null) : transaction.id,
      refundRef: isRefund ? transaction.id : null,
      ...moneyOf(transaction.amount, transaction.currencyIsoCode),
    };
  }
  if (dispute && kind === 'dispute_opened') {
    return {
      ...base,
      type: 'dispute.created',
      paymentRef: dispute.transaction?.id ?? null,
      refundRef: null,
      ...moneyOf(dispute.amountDisputed, dispute.currencyIsoCode),
    };
  }
  return { ...base, type: 'other', paymentRef: transactionRef(transaction) ?? dispute?.transaction?.id ?? null, refundRef: null, amount: null, currency: null };
}

function transactionRef(transaction: Transaction | undefined): string | null {
  if (!transaction) return null;
  return transaction.type === 'credit' ? (transaction.refundedTransactionId ?? null) : transaction.id;
}

/** Amount and currency when the notification carries both in a form Recur knows. */
function moneyOf(amount: string | undefined, currencyIsoCode: string | undefined): { amount: bigint | null; currency: string | null } {
  if (!amount || !currencyIsoCode) return { amount: null, currency: null };
  const currency = currencyIsoCode.toLowerCase();
  try {
    return { amount: fromBraintreeAmount(amount, currency), currency };
  } catch {
    // A currency outside ISO 4217 List One, or an amount finer than its minor unit.
    return { amount: null, currency: null };
  }
}
