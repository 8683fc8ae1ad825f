import { z } from 'zod';
import {
  clearableHash,
  clearableStr,
  expandParam,
  formArray,
  int,
  listParams,
  metadataParam,
  oneOf,
  rangeFilter,
  str,
  searchParams,
} from '../../lib/params.ts';

const email = z.preprocess(
  (v) => (v === '' ? null : v),
  str(512)
    .regex(/^[^\s@]+@[^\s@]+$/, { error: 'must be a valid email address' })
    .nullable(),
);

const addressParam = z.strictObject({
  line1: clearableStr(200).optional(),
  line2: clearableStr(200).optional(),
  city: clearableStr(200).optional(),
  state: clearableStr(200).optional(),
  postal_code: clearableStr(50).optional(),
  country: clearableStr(2).optional(),
});

const shippingParam = z.strictObject({
  name: str(256),
  phone: clearableStr(20).optional(),
  address: addressParam,
});

const invoiceSettingsParam = z.strictObject({
  custom_fields: z
    .preprocess((v) => (v === '' ? null : v), formArray(z.strictObject({ name: str(40), value: str(140) }), 4).nullable())
    .optional(),
  footer: clearableStr(5000).optional(),
  default_payment_method: clearableStr(255).optional(),
});

const customerFields = {
  /** Minor units in the customer's currency; negative is credit (applied to the next invoice). */
  balance: int({ min: -999_999_999_999, max: 999_999_999_999 }).optional(),
  address: clearableHash(addressParam).optional(),
  description: clearableStr(5000).optional(),
  email: email.optional(),
  invoice_settings: invoiceSettingsParam.optional(),
  metadata: metadataParam.optional(),
  name: clearableStr(256).optional(),
  phone: clearableStr(20).optional(),
  preferred_locales: z.preprocess((v) => (v === '' ? [] : v), formArray(str(20), 10)).optional(),
  shipping: clearableHash(shippingParam).optional(),
  tax_exempt: z.preprocess((v) => (v === '' ? 'none' : v), oneOf(['none', 'exempt', 'reverse'])).optional(),
  expand: expandParam,
};

export const createCustomerParams = z.strictObject({ ...customerFields, test_clock: str(255).optional() });
export type CreateCustomerParams = z.output<typeof createCustomerParams>;

export const updateCustomerParams = z.strictObject(customerFields);
export type UpdateCustomerParams = z.output<typeof updateCustomerParams>;

export const retrieveCustomerParams = z.strictObject({ expand: expandParam });

export const listCustomersParams = z.strictObject({
  ...listParams,
  email: str(512).optional(),
  created: rangeFilter.optional(),
});
export type ListCustomersParams = z.output<typeof listCustomersParams>;

export const searchCustomersParams = searchParams;
export type SearchCustomersParams = z.output<typeof searchCustomersParams>;

/** A postal address in responses (customers, payment methods' billing details, …). */
export const addressObject = z.object({
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  postal_code: z.string().nullable(),
  country: z.string().nullable(),
});

export const customerSchema = z.object({
  id: z.string(),
  object: z.literal('customer'),
  address: addressObject.nullable(),
  balance: z.number().int(),
  created: z.number().int(),
  description: z.string().nullable(),
  email: z.string().nullable(),
  invoice_settings: z.object({
    custom_fields: z.array(z.object({ name: z.string(), value: z.string() })).nullable(),
    footer: z.string().nullable(),
    default_payment_method: z.string().nullable(),
  }),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  preferred_locales: z.array(z.string()),
  shipping: z.object({ name: z.string(), phone: z.string().nullable(), address: addressObject }).nullable(),
  tax_exempt: z.enum(['none', 'exempt', 'reverse']),
  currency: z.string().nullable(),
  test_clock: z.string().nullable(),
});
export type CustomerObject = z.infer<typeof customerSchema>;

export const deletedCustomerSchema = z.object({
  id: z.string(),
  object: z.literal('customer'),
  deleted: z.literal(true),
});
export type DeletedCustomerObject = z.infer<typeof deletedCustomerSchema>;
