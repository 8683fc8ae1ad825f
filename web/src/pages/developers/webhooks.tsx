import { Badge } from '@mantine/core';

/** GET /v1/webhook_endpoints (Stripe's webhook endpoint object). */
export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  api_version: string | null;
  created: number;
  description: string | null;
  enabled_events: string[];
  livemode: boolean;
  metadata: Record<string, string>;
  /** Only in the response that creates the endpoint. */
  secret?: string;
  status: 'enabled' | 'disabled';
  url: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** GET /v1/webhook_endpoints/:id/deliveries (a Recur extension). */
export interface WebhookDelivery {
  id: string;
  object: 'webhook_delivery';
  attempts: number;
  created: number;
  delivered_at: number | null;
  endpoint: string;
  event: string;
  event_type: string;
  last_attempt_at: number | null;
  last_error: string | null;
  last_response: string | null;
  last_status_code: number | null;
  next_attempt_at: number | null;
  status: DeliveryStatus;
}

export function EndpointStatusBadge({ status }: { status: WebhookEndpoint['status'] }) {
  return (
    <Badge size="sm" variant="light" color={status === 'enabled' ? 'teal' : 'gray'} data-testid="webhook-status" data-status={status}>
      {status === 'enabled' ? 'Enabled' : 'Disabled'}
    </Badge>
  );
}

const DELIVERY_COLORS: Record<DeliveryStatus, string> = { pending: 'orange', succeeded: 'teal', failed: 'red' };
const DELIVERY_LABELS: Record<DeliveryStatus, string> = { pending: 'Retrying', succeeded: 'Delivered', failed: 'Failed' };

export function DeliveryStatusBadge({ delivery }: { delivery: WebhookDelivery }) {
  // A pending delivery that has not been tried yet is simply queued.
  const label = delivery.status === 'pending' && delivery.attempts === 0 ? 'Queued' : DELIVERY_LABELS[delivery.status];
  return (
    <Badge size="sm" variant="light" color={DELIVERY_COLORS[delivery.status]} data-testid="delivery-status" data-status={delivery.status}>
      {label}
    </Badge>
  );
}

/** "All events" for ['*'], else the count (the list is on the endpoint's page). */
export function eventsSummary(events: string[]): string {
  if (events.includes('*')) return 'All events';
  return events.length === 1 ? (events[0] ?? '') : `${events.length} events`;
}
