import { resourceMissing } from '../../lib/errors.ts';
import { hasPrefix } from '../../lib/ids.ts';
import { paginate } from '../../lib/pagination.ts';
import { unixSeconds, unixSecondsOrNull } from '../../lib/time.ts';
import { livemode, type RequestContext, type WorkspaceRef } from '../../server/context.ts';
import type { EmailMessageRow } from './models.ts';
import type { EmailMessageObject, ListEmailMessagesParams } from './schema.ts';

export function emailMessageObject(row: EmailMessageRow, workspace: WorkspaceRef): EmailMessageObject {
  return {
    id: row.id,
    object: 'email_message',
    attachments: row.attachments,
    attempts: row.attempts,
    created: unixSeconds(row.created_at),
    customer: row.customer_id,
    dedupe_key: row.dedupe_key,
    html: row.html_body,
    last_error: row.last_error,
    livemode: livemode(workspace),
    locale: row.locale,
    message_id: row.message_id,
    next_attempt_at: unixSecondsOrNull(row.next_attempt_at),
    sent_at: unixSecondsOrNull(row.sent_at),
    status: row.status,
    subject: row.subject,
    template: row.template,
    text: row.text_body,
    to: row.to_address,
  };
}

export async function retrieveEmailMessage(ctx: RequestContext, id: string): Promise<EmailMessageObject> {
  const row = hasPrefix(id, 'emailMessage')
    ? await ctx.db.selectFrom('email_messages').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw resourceMissing('email_message', id);
  return emailMessageObject(row, ctx.workspace);
}

export async function listEmailMessages(ctx: RequestContext, params: ListEmailMessagesParams): Promise<{ data: EmailMessageObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('email_messages').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.customer !== undefined) query = query.where('customer_id', '=', params.customer);
  if (params.status !== undefined) query = query.where('status', '=', params.status);
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((row) => emailMessageObject(row, ctx.workspace)), hasMore };
}
