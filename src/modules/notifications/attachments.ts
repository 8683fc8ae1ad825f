import type { Executor } from '../../db/database.ts';
import { storedInvoicePdfFile } from '../billing/invoices/pdf-file.ts';
import type { EmailMessageRow } from './models.ts';

export interface RenderedAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/**
 * A message's attachments, rendered now from what they describe (the outbox keeps
 * descriptors, not bytes): an invoice's PDF as the API serves it.
 */
export async function attachmentsOf(db: Executor, message: Pick<EmailMessageRow, 'workspace_id' | 'id' | 'attachments'>): Promise<RenderedAttachment[]> {
  return Promise.all(
    message.attachments.map(async (attachment) => {
      switch (attachment.kind) {
        case 'invoice_pdf': {
          const file = await storedInvoicePdfFile(db, message.workspace_id, attachment.invoice);
          if (!file) throw new Error(`email ${message.id}: invoice ${attachment.invoice} does not exist`);
          return { filename: file.filename, content: file.bytes, contentType: 'application/pdf' };
        }
      }
    }),
  );
}
