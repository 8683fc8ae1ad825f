import { z } from 'zod';
import { bool, clearableStr, expandParam, HTTP_URL_ERROR, isHttpUrl, listParams, metadataParam, oneOf, str } from '../../../lib/params.ts';
import { GATEWAY_KINDS } from '../gateways/registry.ts';

const ENVIRONMENTS = ['sandbox', 'production'] as const;

/** Given as `credentials[secret_key]=…`; which fields a gateway needs is checked by its adapter. */
const credentials = z.record(z.string(), str(10_000));

export const createGatewayAccountParams = z.strictObject({
  gateway: oneOf(GATEWAY_KINDS),
  credentials,
  display_name: str(200).optional(),
  environment: oneOf(ENVIRONMENTS).optional(),
  api_base: clearableStr(2048)
    .refine((value) => value === null || isHttpUrl(value), { error: HTTP_URL_ERROR })
    .optional(),
  default: bool().optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type CreateGatewayAccountParams = z.output<typeof createGatewayAccountParams>;

export const updateGatewayAccountParams = z.strictObject({
  credentials: credentials.optional(),
  display_name: str(200).optional(),
  api_base: createGatewayAccountParams.shape.api_base,
  default: bool().optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type UpdateGatewayAccountParams = z.output<typeof updateGatewayAccountParams>;

export const retrieveGatewayAccountParams = z.strictObject({ expand: expandParam });
export const deleteGatewayAccountParams = z.strictObject({});
export const listGatewayAccountsParams = z.strictObject({ ...listParams });

export const gatewayAccountSchema = z.object({
  id: z.string(),
  object: z.literal('gateway_account'),
  api_base: z.string().nullable(),
  created: z.number().int(),
  credentials_set: z.array(z.string()).describe('The names of the credentials given; their values are never returned.'),
  default: z.boolean().describe('New payment methods are saved at the default account.'),
  display_name: z.string(),
  environment: z.enum(ENVIRONMENTS),
  gateway: z.enum(GATEWAY_KINDS),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  webhook_path: z.string().describe('Where the gateway sends its webhooks, under Recur\'s public URL.'),
});
export type GatewayAccountObject = z.infer<typeof gatewayAccountSchema>;

export const deletedGatewayAccountSchema = z.object({ id: z.string(), object: z.literal('gateway_account'), deleted: z.literal(true) });
