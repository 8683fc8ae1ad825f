/**
 * The event types an endpoint may ask for: those Recur records. An endpoint naming another
 * type would silently never receive anything, so it is refused (a 400 naming the
 * parameter) instead. A module that starts recording a new type adds it here; a test
 * (webhooks.test.ts) checks that every type recorded in src/modules is listed.
 */
export const EVENT_TYPES = [
  'charge.refund.updated',
  'charge.refunded',
  'charge.updated',
  'coupon.created',
  'coupon.deleted',
  'coupon.updated',
  'credit_note.created',
  'credit_note.updated',
  'credit_note.voided',
  'customer.created',
  'customer.deleted',
  'customer.subscription.created',
  'customer.subscription.deleted',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.subscription.updated',
  'customer.updated',
  'invoice.created',
  'invoice.finalized',
  'invoice.marked_uncollectible',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.payment_succeeded',
  'invoice.updated',
  'invoice.voided',
  'invoiceitem.created',
  'invoiceitem.deleted',
  'invoiceitem.updated',
  'payment_method.attached',
  'payment_method.detached',
  'price.created',
  'price.updated',
  'product.created',
  'product.deleted',
  'product.updated',
  'promotion_code.created',
  'promotion_code.updated',
  'refund.created',
  'refund.failed',
  'refund.updated',
  'subscription_schedule.canceled',
  'subscription_schedule.created',
  'subscription_schedule.released',
  'subscription_schedule.updated',
  'tax_rate.created',
  'tax_rate.updated',
  // Recur's own (the CRM): a task opened on a customer, by Recur or a person, and its changes.
  'task.created',
  'task.updated',
  // Recur's own: an endpoint was disabled after its deliveries failed for days.
  'webhook_endpoint.disabled',
] as const;

const KNOWN = new Set<string>(EVENT_TYPES);

/** `*` (every event) or one of EVENT_TYPES. */
export function isEnabledEvent(value: string): boolean {
  return value === '*' || KNOWN.has(value);
}

/** Whether an endpoint with these enabled_events is sent events of `type`. */
export function endpointWants(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.includes('*') || enabledEvents.includes(type);
}
