/**
 * Card-expiring reminders (BILLING.md: "Card expiring next month: email the customer"): a
 * daily background job that queues the `card_expiring` email, with a card-update link, for
 * each saved card that expires at the end of next month and that a live subscription will be
 * charged with (its own default, or the customer's default when it has none). Once per card
 * and expiry, by the outbox's dedupe key, however often the job runs and in however many
 * workers. Under a test clock, "next month" is the clock's next month: each customer's now is
 * their clock's frozen time, so a sandbox can see the reminder by advancing a clock.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Executor } from '../../../db/database.ts';
import type { SecretBox } from '../../../lib/secret-box.ts';
import type { DueWork } from '../../../worker/runner.ts';
import { customerRecipients, EMAIL_ADDRESS_PATTERN, enqueueEmail, recipientKey } from '../../notifications/outbox.ts';
import type { CardDetails } from '../payment-methods/models.ts';
import { cardUpdateUrl, sealCardUpdateLink } from './token.ts';

export const CARD_EXPIRING_BATCH_SIZE = 500;
const DAY_MS = 86_400_000;

export interface CardExpiringOptions {
  /** RECUR_PUBLIC_URL: the links point there. */
  publicUrl: string;
  /** Seals the card-update links. */
  secrets: SecretBox;
  batchSize?: number;
}

export function cardExpiringReminders(options: CardExpiringOptions): DueWork {
  const batchSize = options.batchSize ?? CARD_EXPIRING_BATCH_SIZE;
  return {
    name: 'email.card_expiring',
    batchSize,
    // Daily: a card is due for a whole month, and a full batch runs the next one at once.
    idleMs: DAY_MS,
    runBatch: (db: Kysely<Database>, now: Date) => db.transaction().execute((tx) => queueCardExpiringEmails(tx, now, options, batchSize)),
  };
}

interface ExpiringCard {
  workspace_id: string;
  id: string;
  customer_id: string;
  card: CardDetails;
}

/** The reason a reminder is queued for: one card, one expiry. */
export function cardExpiringKey(paymentMethodId: string, card: Pick<CardDetails, 'exp_year' | 'exp_month'>): string {
  return `card_expiring:${paymentMethodId}:${card.exp_year}-${String(card.exp_month).padStart(2, '0')}`;
}

/**
 * Queues the reminders of up to `limit` cards; returns how many. `scope` keeps to one
 * workspace (tests, which share a database with other files).
 */
export async function queueCardExpiringEmails(
  db: Executor,
  now: Date,
  options: CardExpiringOptions,
  limit: number,
  scope: { workspaceId: string } | null = null,
): Promise<number> {
  const { rows } = await sql<ExpiringCard>`
    SELECT pm.workspace_id, pm.id, pm.customer_id, pm.card
    FROM payment_methods pm
    JOIN customers c ON c.workspace_id = pm.workspace_id AND c.id = pm.customer_id
    LEFT JOIN test_clocks tc ON tc.workspace_id = c.workspace_id AND tc.id = c.test_clock_id
    CROSS JOIN LATERAL (
      SELECT date_trunc('month', coalesce(tc.frozen_time, ${now}::timestamptz) AT TIME ZONE 'UTC') + interval '1 month' AS month
    ) next
    WHERE pm.detached_at IS NULL
      ${scope ? sql`AND pm.workspace_id = ${scope.workspaceId}` : sql``}
      AND (pm.card->>'exp_year')::int = extract(year FROM next.month)::int
      AND (pm.card->>'exp_month')::int = extract(month FROM next.month)::int
      AND c.deleted_at IS NULL
      AND c.email ~ ${EMAIL_ADDRESS_PATTERN}
      AND EXISTS (
        SELECT 1 FROM subscriptions s
        WHERE s.workspace_id = pm.workspace_id AND s.customer_id = pm.customer_id
          AND s.status IN ('active', 'trialing', 'past_due', 'unpaid', 'paused')
          AND s.collection_method = 'charge_automatically'
          AND coalesce(s.default_payment_method_id, c.default_payment_method_id) = pm.id
      )
      AND NOT EXISTS (
        SELECT 1 FROM email_messages e
        WHERE e.workspace_id = pm.workspace_id
          AND e.dedupe_key = 'card_expiring:' || pm.id || ':' || (pm.card->>'exp_year') || '-' || lpad(pm.card->>'exp_month', 2, '0')
      )
    ORDER BY pm.workspace_id, pm.id
    LIMIT ${limit}
    FOR UPDATE OF pm SKIP LOCKED`.execute(db);
  if (rows.length === 0) return 0;

  const recipients = await customerRecipients(
    db,
    rows.map((row) => ({ workspace_id: row.workspace_id, id: row.customer_id })),
  );
  let queued = 0;
  for (const row of rows) {
    const recipient = recipients.get(recipientKey(row.workspace_id, row.customer_id));
    if (!recipient) continue;
    const { card } = row;
    // The link works until the card does: the end of its expiry month (UTC).
    const expiresAt = Date.UTC(card.exp_year, card.exp_month, 1) / 1000;
    const token = sealCardUpdateLink(options.secrets, {
      workspaceId: row.workspace_id,
      customerId: row.customer_id,
      invoiceId: null,
      replacesPaymentMethodId: row.id,
      expiresAt,
    });
    await enqueueEmail(db, {
      workspaceId: row.workspace_id,
      dedupeKey: cardExpiringKey(row.id, card),
      to: recipient.to,
      business: recipient.business,
      template: 'card_expiring',
      data: { brand: card.brand, last4: card.last4, expMonth: card.exp_month, expYear: card.exp_year, updateCardUrl: cardUpdateUrl(options.publicUrl, token) },
      now,
    });
    queued += 1;
  }
  // A card left out (no one to write to after all) would be found again: count what was queued,
  // so such a batch is not taken for a full one and run again at once.
  return queued;
}
