import type { Customer } from '../../api.ts';

/** The customer form's state, flat so each input binds to one string. */
export interface CustomerFormValues {
  name: string;
  email: string;
  phone: string;
  description: string;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
  locales: string[];
  metadata: Array<{ key: string; value: string }>;
}

export const addressFields = ['line1', 'line2', 'city', 'state', 'postal_code', 'country'] as const;
type AddressField = (typeof addressFields)[number];

export function emptyCustomerForm(): CustomerFormValues {
  return {
    name: '',
    email: '',
    phone: '',
    description: '',
    line1: '',
    line2: '',
    city: '',
    state: '',
    postal_code: '',
    country: '',
    locales: [],
    metadata: [],
  };
}

export function customerFormFrom(customer: Customer): CustomerFormValues {
  const address = customer.address;
  return {
    name: customer.name ?? '',
    email: customer.email ?? '',
    phone: customer.phone ?? '',
    description: customer.description ?? '',
    line1: address?.line1 ?? '',
    line2: address?.line2 ?? '',
    city: address?.city ?? '',
    state: address?.state ?? '',
    postal_code: address?.postal_code ?? '',
    country: address?.country ?? '',
    locales: [...customer.preferred_locales],
    metadata: Object.entries(customer.metadata).map(([key, value]) => ({ key, value })),
  };
}

function addressOf(values: CustomerFormValues): Record<AddressField, string> {
  const out = {} as Record<AddressField, string>;
  for (const field of addressFields) out[field] = values[field].trim();
  return out;
}

function metadataOf(values: CustomerFormValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of values.metadata) {
    if (key.trim()) out[key.trim()] = value;
  }
  return out;
}

/** POST /v1/customers body: only what was filled in. */
export function createBody(values: CustomerFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of ['name', 'email', 'phone', 'description'] as const) {
    const value = values[field].trim();
    if (value) body[field] = value;
  }
  const address = addressOf(values);
  if (Object.values(address).some(Boolean)) {
    body.address = Object.fromEntries(Object.entries(address).filter(([, v]) => v));
  }
  if (values.locales.length > 0) body.preferred_locales = values.locales;
  const metadata = metadataOf(values);
  if (Object.keys(metadata).length > 0) body.metadata = metadata;
  return body;
}

/** POST /v1/customers/:id body: every field ('' clears), removed metadata keys set to ''. */
export function updateBody(values: CustomerFormValues, original: Customer): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: values.name.trim(),
    email: values.email.trim(),
    phone: values.phone.trim(),
    description: values.description.trim(),
    preferred_locales: values.locales.length > 0 ? values.locales : '',
  };
  const address = addressOf(values);
  body.address = Object.values(address).some(Boolean) ? address : '';
  const metadata: Record<string, string> = metadataOf(values);
  for (const key of Object.keys(original.metadata)) {
    if (!(key in metadata)) metadata[key] = '';
  }
  if (Object.keys(metadata).length > 0) body.metadata = metadata;
  return body;
}

/** Which form field an API error's `param` points at (address[city] → city). */
export function fieldForParam(param: string | null | undefined): string | null {
  if (!param) return null;
  const address = /^address\[(\w+)\]/.exec(param);
  if (address?.[1]) return address[1];
  if (param.startsWith('metadata')) return 'metadata';
  if (param.startsWith('preferred_locales')) return 'locales';
  if (param === 'address') return 'line1';
  return param;
}
