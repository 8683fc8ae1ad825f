import { z } from 'zod';
import { expandParam, formArray, int, listParams, metadataParam, oneOf, str } from '../../../lib/params.ts';
import { PRORATION_BEHAVIORS } from '../schema.ts';

const timestamp = int({ min: 0, max: 4_102_444_800 });

const phaseParam = z.strictObject({
  items: formArray(
    z.strictObject({
      price: str(255),
      quantity: int({ min: 0, max: 999_999_999_999 }).optional(),
      tax_rates: z.preprocess((v) => (v === '' ? [] : v), formArray(str(255), 5)).optional(),
    }),
    20,
  ),
  start_date: z.union([z.literal('now'), timestamp]).optional(),
  end_date: timestamp.optional(),
  /** Stripe's current form; `iterations` (periods of the phase's price) is the older one. */
  duration: z.strictObject({ interval: oneOf(['day', 'week', 'month', 'year']), interval_count: int({ min: 1, max: 1000 }).optional() }).optional(),
  iterations: int({ min: 1, max: 1000 }).optional(),
  proration_behavior: oneOf(PRORATION_BEHAVIORS).optional(),
  metadata: metadataParam.optional(),
});
export type PhaseParam = z.output<typeof phaseParam>;

export const createScheduleParams = z.strictObject({
  from_subscription: str(255).optional(),
  customer: str(255).optional(),
  start_date: z.union([z.literal('now'), timestamp]).optional(),
  end_behavior: oneOf(['release', 'cancel']).optional(),
  phases: formArray(phaseParam, 10).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type CreateScheduleParams = z.output<typeof createScheduleParams>;

export const updateScheduleParams = z.strictObject({
  end_behavior: oneOf(['release', 'cancel']).optional(),
  phases: formArray(phaseParam, 10).optional(),
  proration_behavior: oneOf(PRORATION_BEHAVIORS).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});
export type UpdateScheduleParams = z.output<typeof updateScheduleParams>;

export const cancelScheduleParams = z.strictObject({ invoice_now: z.unknown().optional(), prorate: z.unknown().optional(), expand: expandParam });
export const releaseScheduleParams = z.strictObject({ preserve_cancel_date: z.unknown().optional(), expand: expandParam });
export const retrieveScheduleParams = z.strictObject({ expand: expandParam });
export const listSchedulesParams = z.strictObject({ ...listParams, customer: str(255).optional() });
export type ListSchedulesParams = z.output<typeof listSchedulesParams>;

const phaseSchema = z.object({
  start_date: z.number().int(),
  end_date: z.number().int(),
  items: z.array(z.object({ price: z.string(), quantity: z.number().int(), tax_rates: z.array(z.string()) })),
  proration_behavior: z.enum(PRORATION_BEHAVIORS),
  metadata: z.record(z.string(), z.string()),
});

export const scheduleSchema = z.object({
  id: z.string(),
  object: z.literal('subscription_schedule'),
  canceled_at: z.number().int().nullable(),
  completed_at: z.number().int().nullable(),
  created: z.number().int(),
  current_phase: z.object({ start_date: z.number().int(), end_date: z.number().int() }).nullable(),
  customer: z.string(),
  end_behavior: z.enum(['release', 'cancel']),
  livemode: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  phases: z.array(phaseSchema),
  released_at: z.number().int().nullable(),
  released_subscription: z.string().nullable(),
  status: z.enum(['not_started', 'active', 'completed', 'released', 'canceled']),
  subscription: z.string().nullable(),
  test_clock: z.string().nullable(),
});
export type ScheduleObject = z.infer<typeof scheduleSchema>;
