import type { CardDetails } from '../payment-methods/models.ts';

/**
 * A payment gateway: it keeps the card (Recur only ever sees its token and reference) and
 * makes charges. Implementations: test-gateway.ts (sandbox workspaces); real ones later.
 */
export interface SavedPaymentMethod {
  /** The gateway's own reference to the saved card; never a card number. */
  gatewayRef: string;
  card: CardDetails;
}

export interface ChargeRequest {
  gatewayRef: string;
  /** Minor units. */
  amount: bigint;
  currency: string;
  /** The same key returns the first result and never charges twice. */
  idempotencyKey: string;
}

export type ChargeResult =
  | { status: 'succeeded' }
  | { status: 'failed'; code: string; declineCode: string; message: string };

export interface Gateway {
  readonly name: 'test';
  /** Saves a card from a token; throws a 402 card_error `ApiError` when it is refused. */
  savePaymentMethod(token: string): Promise<SavedPaymentMethod>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Many charges at once (the billing run's batches); results in the order of `requests`. */
  chargeMany(requests: readonly ChargeRequest[]): Promise<ChargeResult[]>;
}
