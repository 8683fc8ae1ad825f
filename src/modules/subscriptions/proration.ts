/**
 * Time-based proration to the second (BILLING.md "Changes and proration").
 *
 * Pure math: no clock, no I/O, no proration_behavior. Times are unix seconds; amounts are
 * integer minor units in bigint. Each line is computed exactly and rounded once, half away
 * from zero; a change's net is the sum of its rounded lines.
 */
import { roundHalfAwayFromZero } from '../../lib/money.ts';

export interface ProrationItem<Ref = unknown> {
  priceId: string;
  /** Price per unit, minor units (Stripe prices are never negative). */
  unitAmount: bigint;
  quantity: bigint;
  /** The caller's own handle on the item (e.g. the subscription item), carried to its line. */
  ref?: Ref;
}

export type ProrationKind = 'unused_time' | 'remaining_time';

export interface ProrationLine<Ref = unknown> {
  /** `unused_time`: credit for the old item; `remaining_time`: charge for the new item. */
  kind: ProrationKind;
  priceId: string;
  unitAmount: bigint;
  quantity: bigint;
  /** Minor units: ≤ 0 for `unused_time`, ≥ 0 for `remaining_time`. */
  amount: bigint;
  /** The part of the billing period the line covers (unix seconds, end exclusive). */
  period: { start: number; end: number };
  /** The `ref` of the item the line is for. */
  ref?: Ref;
}

function clamp(t: number, low: number, high: number): number {
  return Math.min(Math.max(t, low), high);
}

function assertPeriod(periodStart: number, periodEnd: number): void {
  if (!Number.isSafeInteger(periodStart) || !Number.isSafeInteger(periodEnd)) {
    throw new RangeError(`period bounds must be integer seconds, got ${periodStart}..${periodEnd}`);
  }
  if (periodEnd <= periodStart) {
    throw new RangeError(`period must end after it starts, got ${periodStart}..${periodEnd}`);
  }
}

/**
 * The charge for the span [spanStart, spanEnd) of a billing period:
 * `unitAmount × quantity × (spanEnd − spanStart) / (periodEnd − periodStart)`, rounded once.
 * The span is clamped into the period (an empty span costs 0).
 */
export function prorateSpan(input: {
  unitAmount: bigint;
  quantity: bigint;
  periodStart: number;
  periodEnd: number;
  spanStart: number;
  spanEnd: number;
}): bigint {
  const { unitAmount, quantity, periodStart, periodEnd } = input;
  assertPeriod(periodStart, periodEnd);
  if (!Number.isSafeInteger(input.spanStart) || !Number.isSafeInteger(input.spanEnd)) {
    throw new RangeError(`span bounds must be integer seconds, got ${input.spanStart}..${input.spanEnd}`);
  }
  const spanStart = clamp(input.spanStart, periodStart, periodEnd);
  const spanEnd = clamp(input.spanEnd, periodStart, periodEnd);
  if (spanEnd <= spanStart) return 0n;
  return roundHalfAwayFromZero(
    unitAmount * quantity * BigInt(spanEnd - spanStart),
    BigInt(periodEnd - periodStart),
  );
}

/**
 * The charge for the rest of the period from `from` (clamped into [periodStart, periodEnd]):
 * `unitAmount × quantity × (periodEnd − from) / (periodEnd − periodStart)`, rounded once.
 */
export function prorationAmount(input: {
  unitAmount: bigint;
  quantity: bigint;
  periodStart: number;
  periodEnd: number;
  from: number;
}): bigint {
  return prorateSpan({ ...input, spanStart: input.from, spanEnd: input.periodEnd });
}

function sameItem(a: ProrationItem, b: ProrationItem): boolean {
  return a.priceId === b.priceId && a.unitAmount === b.unitAmount && a.quantity === b.quantity;
}

/**
 * Proration lines for changing a subscription's items from `oldItems` to `newItems` at `at`
 * within the current period: a credit (`unused_time`, negative) for each old item's unused
 * time and a charge (`remaining_time`, positive) for each new item's remaining time. Items
 * left unchanged (same price, amount and quantity) produce no lines; a quantity change on
 * the same price credits the old quantity and charges the new one, as Stripe does.
 * Zero-amount lines (e.g. `at` = period end, or a free price) are kept; callers may drop them.
 */
export function prorateChange<Ref = unknown>(input: {
  oldItems: readonly ProrationItem<Ref>[];
  newItems: readonly ProrationItem<Ref>[];
  periodStart: number;
  periodEnd: number;
  at: number;
}): ProrationLine<Ref>[] {
  const { oldItems, newItems, periodStart, periodEnd } = input;
  assertPeriod(periodStart, periodEnd);
  if (!Number.isSafeInteger(input.at)) throw new RangeError(`at must be integer seconds, got ${input.at}`);
  for (const item of [...oldItems, ...newItems]) {
    if (item.unitAmount < 0n || item.quantity < 0n) {
      throw new RangeError(`unit amount and quantity must not be negative (price ${item.priceId})`);
    }
  }
  const at = clamp(input.at, periodStart, periodEnd);
  const period = { start: at, end: periodEnd };

  // Pair each old item with at most one identical new item; paired items are unchanged.
  const unchangedNew = new Set<number>();
  const changedOld = oldItems.filter((old) => {
    const match = newItems.findIndex((item, i) => !unchangedNew.has(i) && sameItem(old, item));
    if (match === -1) return true;
    unchangedNew.add(match);
    return false;
  });
  const changedNew = newItems.filter((_, i) => !unchangedNew.has(i));

  const line = (kind: ProrationKind, item: ProrationItem<Ref>): ProrationLine<Ref> => {
    const remaining = prorationAmount({ ...item, periodStart, periodEnd, from: at });
    return {
      kind,
      priceId: item.priceId,
      unitAmount: item.unitAmount,
      quantity: item.quantity,
      amount: kind === 'unused_time' ? -remaining : remaining,
      period: { ...period },
      ...(item.ref !== undefined ? { ref: item.ref } : {}),
    };
  };
  return [
    ...changedOld.map((item) => line('unused_time', item)),
    ...changedNew.map((item) => line('remaining_time', item)),
  ];
}

/** The net of a change: the sum of its rounded lines. */
export function prorationNet(lines: readonly ProrationLine[]): bigint {
  return lines.reduce((sum, { amount }) => sum + amount, 0n);
}
