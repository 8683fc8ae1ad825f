import { z } from 'zod';
import { bool, clearableStr, expandParam, formArray, httpUrl, listParams, metadataParam, oneOf, str } from '../../lib/params.ts';
import { isEnabledEvent } from './event-types.ts';

const url = httpUrl();

const enabledEvents = formArray(str(100).refine(isEnabledEvent, { error: "must be '*' or an event type Recur sends (see docs/api.md)" }), 100).refine(
  (events) => events.length > 0,
  { error: 'must name at least one event type, or *' },
);

export const createEndpointParams = z.strictObject({
  url,
  enabled_events: enabledEvents,
  description: clearableStr(5000).optional(),
  metadata: metadataParam.optional(),
  api_version: str(100).optional(),
  expand: expandParam,
});
export type CreateEndpointParams = z.output<typeof createEndpointParams>;

export const updateEndpointParams = z.strictObject({
  url: url.optional(),
  enabled_events: enabledEvents.optional(),
  description: clearableStr(5000).optional(),
  metadata: metadataParam.optional(),
  disabled: bool().optional(),
  expand: expandParam,
});
export type UpdateEndpointParams = z.output<typeof updateEndpointParams>;

export const retrieveEndpointParams = z.strictObject({ expand: expandParam });
export const deleteEndpointParams = z.strictObject({});
export const listEndpointsParams = z.strictObject({ ...listParams });

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export const listDeliveriesParams = z.strictObject({ ...listParams, status: oneOf(DELIVERY_STATUSES).optional() });
export type ListDeliveriesParams = z.output<typeof listDeliveriesParams>;
export const retryDeliveryParams = z.strictObject({ expand: expandParam });

export const webhookEndpointSchema = z.object({
  id: z.string(),
  object: z.literal('webhook_endpoint'),
  api_version: z.string().nullable(),
  application: z.null().describe('Always null: Recur has no Connect applications.'),
  created: z.number().int(),
  description: z.string().nullable(),
  enabled_events: z.array(z.string()),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  secret: z.string().optional().describe('The signing secret (whsec_…); present only in the response that creates the endpoint.'),
  status: z.enum(['enabled', 'disabled']),
  url: z.string(),
});
export type WebhookEndpointObject = z.infer<typeof webhookEndpointSchema>;

export const deletedEndpointSchema = z.object({ id: z.string(), object: z.literal('webhook_endpoint'), deleted: z.literal(true) });

export const webhookDeliverySchema = z.object({
  id: z.string(),
  object: z.literal('webhook_delivery'),
  attempts: z.number().int(),
  created: z.number().int(),
  delivered_at: z.number().int().nullable(),
  endpoint: z.string(),
  event: z.string(),
  event_type: z.string(),
  last_attempt_at: z.number().int().nullable(),
  last_error: z.string().nullable().describe('Why the last attempt failed when there was no HTTP answer (timeout, refused connection).'),
  last_response: z.string().nullable().describe("The first kilobyte of the endpoint's last answer."),
  last_status_code: z.number().int().nullable(),
  livemode: z.boolean(),
  next_attempt_at: z.number().int().nullable().describe('When it will be tried again; null once it has succeeded or failed for good.'),
  status: z.enum(DELIVERY_STATUSES),
});
export type WebhookDeliveryObject = z.infer<typeof webhookDeliverySchema>;
