import { z } from 'zod';
import {
  bool,
  clearableHash,
  clearableStr,
  expandParam,
  formArray,
  listParams,
  metadataParam,
  rangeFilter,
  str,
  searchParams,
} from '../../../lib/params.ts';

/** Ids a caller may choose on create, as Stripe's. */
export const PRODUCT_ID_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

const DECIMAL = /^\d+(\.\d+)?$/;

/** A positive number with at most 2 decimal places (package dimensions). */
const dimension = z.preprocess(
  (value) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value),
  z
    .number({ error: 'must be a number' })
    .positive({ error: 'must be greater than 0' })
    .max(99_999_999, { error: 'must be at most 99999999' })
    .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, { error: 'must have at most 2 decimal places' }),
);

const packageDimensionsParam = z.strictObject({ height: dimension, length: dimension, weight: dimension, width: dimension });

// Stripe's rule for statement descriptors: at most 22 characters, at least one letter, none of < > \ ' " *.
const statementDescriptor = z.preprocess(
  (v) => (v === '' ? null : v),
  str(22)
    .regex(/^[^<>\\'"*]*$/, { error: 'must not contain any of < > \\ \' " *' })
    .regex(/[A-Za-z]/, { error: 'must contain at least one letter' })
    .nullable(),
);

const url = (max: number) => str(max).regex(/^https?:\/\/\S+$/i, { error: 'must be an http or https URL' });

const images = z.preprocess((v) => (v === '' ? [] : v), formArray(url(2048), 8));
const marketingFeatures = z.preprocess((v) => (v === '' ? [] : v), formArray(z.strictObject({ name: str(80) }), 15));

const productFields = {
  active: bool().optional(),
  description: clearableStr(40000).optional(),
  images: images.optional(),
  marketing_features: marketingFeatures.optional(),
  metadata: metadataParam.optional(),
  package_dimensions: clearableHash(packageDimensionsParam).optional(),
  shippable: bool().optional(),
  statement_descriptor: statementDescriptor.optional(),
  unit_label: clearableStr(12).optional(),
  url: z.preprocess((v) => (v === '' ? null : v), url(5000).nullable()).optional(),
  expand: expandParam,
};

export const createProductParams = z.strictObject({
  ...productFields,
  id: str(200).regex(PRODUCT_ID_PATTERN, { error: 'must be 1 to 200 letters, digits, underscores or hyphens' }).optional(),
  name: str(250).min(1, { error: 'must not be empty' }),
});
export type CreateProductParams = z.output<typeof createProductParams>;

export const updateProductParams = z.strictObject({
  ...productFields,
  name: str(250).min(1, { error: 'must not be empty' }).optional(),
});
export type UpdateProductParams = z.output<typeof updateProductParams>;

export const retrieveProductParams = z.strictObject({ expand: expandParam });

export const listProductsParams = z.strictObject({
  ...listParams,
  active: bool().optional(),
  created: rangeFilter.optional(),
  ids: formArray(str(200), 100).optional(),
  shippable: bool().optional(),
  url: str(5000).optional(),
});
export type ListProductsParams = z.output<typeof listProductsParams>;

export const searchProductsParams = searchParams;
export type SearchProductsParams = z.output<typeof searchProductsParams>;

export const productSchema = z.object({
  id: z.string(),
  object: z.literal('product'),
  active: z.boolean(),
  created: z.number().int(),
  description: z.string().nullable(),
  images: z.array(z.string()),
  livemode: z.boolean(),
  marketing_features: z.array(z.object({ name: z.string() })),
  metadata: z.record(z.string(), z.string()),
  name: z.string(),
  package_dimensions: z.object({ height: z.number(), length: z.number(), weight: z.number(), width: z.number() }).nullable(),
  shippable: z.boolean().nullable(),
  statement_descriptor: z.string().nullable(),
  unit_label: z.string().nullable(),
  updated: z.number().int(),
  url: z.string().nullable(),
});
export type ProductObject = z.infer<typeof productSchema>;

export const deletedProductSchema = z.object({
  id: z.string(),
  object: z.literal('product'),
  deleted: z.literal(true),
});
export type DeletedProductObject = z.infer<typeof deletedProductSchema>;
