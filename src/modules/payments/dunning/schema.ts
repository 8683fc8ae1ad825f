import { z } from 'zod';
import { formArray, int, oneOf } from '../../../lib/params.ts';
import { MAX_RETRIES, MAX_RETRY_DAYS } from './schedule.ts';

export const FINAL_ACTIONS = ['cancel', 'unpaid', 'past_due'] as const;

export const updateDunningSettingsParams = z.strictObject({
  retry_days: formArray(int({ min: 1, max: MAX_RETRY_DAYS }), MAX_RETRIES).optional(),
  final_action: oneOf(FINAL_ACTIONS).optional(),
});
export type UpdateDunningSettingsParams = z.output<typeof updateDunningSettingsParams>;

export const retrieveDunningSettingsParams = z.strictObject({});

export const dunningSettingsSchema = z.object({
  object: z.literal('dunning_settings'),
  retry_days: z.array(z.number().int()),
  final_action: z.enum(FINAL_ACTIONS),
  livemode: z.boolean(),
});
export type DunningSettingsObject = z.infer<typeof dunningSettingsSchema>;
