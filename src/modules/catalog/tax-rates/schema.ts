import { z } from 'zod';
import { parseScaledDecimal } from '../../../lib/money.ts';
import { bool, clearableStr, expandParam, listParams, metadataParam, oneOf, rangeFilter, str } from '../../../lib/params.ts';
import { TAX_TYPES } from './models.ts';

/** Percentages have at most 4 decimal places, as Stripe's. */
export const PERCENTAGE_PLACES = 4;
const MAX_SCALED_PERCENTAGE = 100n * 10n ** BigInt(PERCENTAGE_PLACES);
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * `percentage`: a form string ("19.6") or a JSON number (19.6), kept as decimal text so that
 * what is stored is exactly what was sent (no float on the way to numeric(7,4)). The bounds
 * are checked on the value scaled to 10^-4 percent, in bigint.
 */
export const percentageParam = z
  .preprocess(
    (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
    z
      .string({ error: 'must be a number' })
      .regex(DECIMAL, { error: 'must be a decimal number, e.g. 19.6' })
      .refine((v) => !DECIMAL.test(v) || parseScaledDecimal(v, PERCENTAGE_PLACES) !== null, {
        error: `must have at most ${PERCENTAGE_PLACES} decimal places`,
      })
      .refine(
        (v) => {
          const scaled = parseScaledDecimal(v, PERCENTAGE_PLACES);
          return scaled === null || (scaled >= 0n && scaled <= MAX_SCALED_PERCENTAGE);
        },
        { error: 'must be between 0 and 100' },
      ),
  )
  // For the OpenAPI document: the SDK sends a number (a form sends its decimal text).
  .meta({ type: 'number', minimum: 0, maximum: 100, description: 'Percent, 0–100, at most 4 decimal places' });

/** ISO 3166-1 alpha-2, in any case (the service stores it uppercase). '' clears. */
const countryParam = z.preprocess(
  (v) => (v === '' ? null : v),
  str(2)
    .regex(/^[A-Za-z]{2}$/, { error: 'must be a two-letter ISO 3166-1 country code' })
    .nullable(),
);

/** ISO 3166-2 subdivision code without the country prefix ("CA", not "US-CA"), stored uppercase. '' clears. */
const stateParam = z.preprocess(
  (v) => (v === '' ? null : v),
  str(3)
    .regex(/^[A-Za-z0-9]{1,3}$/, { error: 'must be an ISO 3166-2 subdivision code without the country prefix, e.g. CA' })
    .nullable(),
);

const displayName = str(50).min(1, { error: 'must not be empty' });
const taxTypeParam = z.preprocess((v) => (v === '' ? null : v), oneOf(TAX_TYPES).nullable());

/** What may change after creation (as Stripe: never percentage nor inclusive). */
const updatableFields = {
  active: bool().optional(),
  country: countryParam.optional(),
  description: clearableStr(5000).optional(),
  jurisdiction: clearableStr(50).optional(),
  metadata: metadataParam.optional(),
  state: stateParam.optional(),
  tax_type: taxTypeParam.optional(),
  expand: expandParam,
};

export const createTaxRateParams = z.strictObject({
  display_name: displayName,
  inclusive: bool(),
  percentage: percentageParam,
  ...updatableFields,
});
export type CreateTaxRateParams = z.output<typeof createTaxRateParams>;

export const updateTaxRateParams = z.strictObject({
  display_name: displayName.optional(),
  ...updatableFields,
});
export type UpdateTaxRateParams = z.output<typeof updateTaxRateParams>;

export const retrieveTaxRateParams = z.strictObject({ expand: expandParam });

export const listTaxRatesParams = z.strictObject({
  ...listParams,
  active: bool().optional(),
  inclusive: bool().optional(),
  created: rangeFilter.optional(),
});
export type ListTaxRatesParams = z.output<typeof listTaxRatesParams>;

export const taxRateSchema = z.object({
  id: z.string(),
  object: z.literal('tax_rate'),
  active: z.boolean(),
  country: z.string().nullable(),
  created: z.number().int(),
  description: z.string().nullable(),
  display_name: z.string(),
  effective_percentage: z.number().nullable(),
  flat_amount: z.null(),
  inclusive: z.boolean(),
  jurisdiction: z.string().nullable(),
  jurisdiction_level: z.null(),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  percentage: z.number(),
  rate_type: z.literal('percentage'),
  state: z.string().nullable(),
  tax_type: z.enum(TAX_TYPES).nullable(),
});
export type TaxRateObject = z.infer<typeof taxRateSchema>;
