import { z } from 'zod';
import { expandParam, int, listParams, str } from '../../../lib/params.ts';

/** Unix seconds, from 2000 to 2100: a clock outside that range is a mistake. */
const frozenTime = int({ min: 946_684_800, max: 4_102_444_800 });

export const createTestClockParams = z.strictObject({
  frozen_time: frozenTime,
  name: str(300).optional(),
  expand: expandParam,
});
export type CreateTestClockParams = z.output<typeof createTestClockParams>;

export const advanceTestClockParams = z.strictObject({ frozen_time: frozenTime, expand: expandParam });
export type AdvanceTestClockParams = z.output<typeof advanceTestClockParams>;

export const retrieveTestClockParams = z.strictObject({ expand: expandParam });
export const deleteTestClockParams = z.strictObject({});
export const listTestClocksParams = z.strictObject({ ...listParams });
export type ListTestClocksParams = z.output<typeof listTestClocksParams>;

export const testClockSchema = z.object({
  id: z.string(),
  object: z.literal('test_helpers.test_clock'),
  created: z.number().int(),
  deletes_after: z.number().int(),
  frozen_time: z.number().int(),
  livemode: z.literal(false),
  name: z.string().nullable(),
  status: z.enum(['ready', 'advancing', 'internal_failure']),
  status_details: z.object({ advancing: z.object({ target_frozen_time: z.number().int() }).optional() }),
});
export type TestClockObject = z.infer<typeof testClockSchema>;

export const deletedTestClockSchema = z.object({ id: z.string(), object: z.literal('test_helpers.test_clock'), deleted: z.literal(true) });
