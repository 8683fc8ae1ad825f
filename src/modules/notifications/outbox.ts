/**
 * The one way to queue mail. A message is written (rendered) and inserted in the caller's
 * transaction, so it goes out if and only if what it is about commits; the sender
 * (sender.ts) delivers it later from the worker. Nothing here talks to a mail server.
 */
import { inWorkspaceKeys, type WorkspaceKey } from '../../db/bulk.ts';
import type { Executor } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import type { EmailAttachment } from './models.ts';
import { emailLocale, renderEmail, type EmailContent } from './templates/render.ts';

/** Who a message is for: usually a customer, possibly someone else (then customerId is null). */
export interface EmailRecipient {
  customerId: string | null;
  address: string;
  name: string | null;
  /** The customer's preferred_locales: the first one we write decides the language. */
  preferredLocales: readonly string[];
}

export type EmailToQueue = EmailContent & {
  workspaceId: string;
  /** Why the message exists, unique in the workspace (e.g. `receipt:in_…`): the same reason queues once. */
  dedupeKey: string;
  to: EmailRecipient;
  /** The business the customer deals with (the account's name): it signs the message. */
  business: string;
  attachments?: EmailAttachment[];
  now: Date;
};

// Uniqueness comes from the id; .invalid (RFC 2606) is a domain that can belong to no one.
const MESSAGE_ID_DOMAIN = 'recur.invalid';

/**
 * What Recur takes for an email address: something@something, no spaces. A pattern that
 * JavaScript and PostgreSQL (`~`) read alike, so a query can leave out whom no mail can reach.
 */
export const EMAIL_ADDRESS_PATTERN = '^[^\\s@]+@[^\\s@]+$';
const ADDRESS = new RegExp(EMAIL_ADDRESS_PATTERN);

/**
 * Queues a message; returns its id, or null when its dedupe key had already queued one (a
 * re-dispatched event, a retried request): then nothing is written.
 */
export async function enqueueEmail(db: Executor | { db: Executor }, message: EmailToQueue): Promise<string | null> {
  const executor = 'db' in db ? db.db : db;
  if (!ADDRESS.test(message.to.address)) throw new Error(`Cannot queue email to '${message.to.address}': not an email address`);
  const locale = emailLocale(message.to.preferredLocales);
  const rendered = renderEmail(message, { locale, business: message.business, customerName: message.to.name });
  const id = newId('emailMessage', message.now.getTime());
  const inserted = await executor
    .insertInto('email_messages')
    .values({
      workspace_id: message.workspaceId,
      id,
      customer_id: message.to.customerId,
      to_address: message.to.address,
      locale,
      template: message.template,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      attachments: JSON.stringify(message.attachments ?? []),
      next_attempt_at: message.now,
      message_id: `<${id}@${MESSAGE_ID_DOMAIN}>`,
      dedupe_key: message.dedupeKey,
      sent_at: null,
      last_error: null,
      created_at: message.now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

/** A customer to write to, and what their message needs to know about them. */
export interface CustomerRecipient {
  to: EmailRecipient;
  /** The business that writes to them (the account's name): it signs the message. */
  business: string;
  /** Their test clock's time (sandboxes), or null: links in their mail expire by it. */
  clockTime: Date | null;
}

export function recipientKey(workspaceId: string, customerId: string): string {
  return `${workspaceId}\u0000${customerId}`;
}

/**
 * Customers as recipients, in one query for a whole batch of messages (keyed by
 * `recipientKey`); a customer with no one to write to (deleted, no email address) is left out.
 */
export async function customerRecipients(db: Executor, customers: readonly WorkspaceKey[]): Promise<Map<string, CustomerRecipient>> {
  const found = new Map<string, CustomerRecipient>();
  if (customers.length === 0) return found;
  const rows = await db
    .selectFrom('customers')
    .innerJoin('workspaces', 'workspaces.id', 'customers.workspace_id')
    .innerJoin('accounts', 'accounts.id', 'workspaces.account_id')
    .leftJoin('test_clocks', (join) => join.onRef('test_clocks.workspace_id', '=', 'customers.workspace_id').onRef('test_clocks.id', '=', 'customers.test_clock_id'))
    .select([
      'customers.workspace_id',
      'customers.id',
      'customers.email',
      'customers.name',
      'customers.preferred_locales',
      'customers.deleted_at',
      'accounts.name as business',
      'test_clocks.frozen_time',
    ])
    .where(inWorkspaceKeys(customers, 'customers.id', 'customers.workspace_id'))
    .execute();
  for (const row of rows) {
    if (row.deleted_at !== null || !row.email || !ADDRESS.test(row.email)) continue;
    found.set(recipientKey(row.workspace_id, row.id), {
      to: { customerId: row.id, address: row.email, name: row.name, preferredLocales: row.preferred_locales },
      business: row.business,
      clockTime: row.frozen_time,
    });
  }
  return found;
}

/** One customer as a recipient, or null when there is no one to write to. */
export async function customerRecipient(db: Executor, workspaceId: string, customerId: string): Promise<CustomerRecipient | null> {
  return (await customerRecipients(db, [{ workspace_id: workspaceId, id: customerId }])).get(recipientKey(workspaceId, customerId)) ?? null;
}
