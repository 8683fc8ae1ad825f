import type { Executor } from '../../../db/database.ts';
import type { InvoiceLineRow, InvoiceRow } from './models.ts';
import { renderInvoicePdf } from './pdf.ts';
import { pdfInputOf } from './pdf-input.ts';

export interface InvoicePdfFile {
  bytes: Buffer;
  filename: string;
}

/**
 * An invoice's PDF as its customer gets it: from the API (`GET /v1/invoices/:id/pdf`) and
 * attached to the invoice email (notifications). Looks up the names it prints (the seller,
 * coupons, tax rates).
 */
export async function invoicePdfFile(db: Executor, workspaceId: string, row: InvoiceRow, lines: readonly InvoiceLineRow[]): Promise<InvoicePdfFile> {
  const names = await printedNames(db, workspaceId, row.total_discount_amounts.map((d) => d.coupon), row.total_taxes.map((t) => t.tax_rate));
  const input = pdfInputOf(row, lines, names.seller, names);
  return { bytes: await renderInvoicePdf(input), filename: `${row.number ?? row.id}.pdf` };
}

/** The names a billing document prints: the seller (the account), coupons and tax rates by id. */
export async function printedNames(
  db: Executor,
  workspaceId: string,
  couponIds: readonly string[],
  taxRateIds: readonly string[],
): Promise<{ seller: string; coupons: Map<string, string>; taxRates: Map<string, string> }> {
  const [seller, coupons, taxRates] = await Promise.all([
    db.selectFrom('workspaces').innerJoin('accounts', 'accounts.id', 'workspaces.account_id').select('accounts.name').where('workspaces.id', '=', workspaceId).executeTakeFirst(),
    db.selectFrom('coupons').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', ['', ...couponIds]).execute(),
    db.selectFrom('tax_rates').select(['id', 'display_name', 'percentage']).where('workspace_id', '=', workspaceId).where('id', 'in', ['', ...taxRateIds]).execute(),
  ]);
  return {
    seller: seller?.name ?? 'Recur',
    coupons: new Map(coupons.map((c) => [c.id, c.name ?? c.id])),
    taxRates: new Map(taxRates.map((t) => [t.id, `${t.display_name} ${Number(t.percentage)}%`])),
  };
}

/** The PDF of a stored invoice, or null when the workspace has no such invoice. */
export async function storedInvoicePdfFile(db: Executor, workspaceId: string, invoiceId: string): Promise<InvoicePdfFile | null> {
  const row = await db.selectFrom('invoices').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', invoiceId).executeTakeFirst();
  if (!row) return null;
  const lines = await db.selectFrom('invoice_lines').selectAll().where('workspace_id', '=', workspaceId).where('invoice_id', '=', invoiceId).orderBy('position').execute();
  return invoicePdfFile(db, workspaceId, row, lines);
}
