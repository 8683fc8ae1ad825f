/**
 * The frame every email shares, as plain text and as simple HTML with inline styles (mail
 * clients ignore style sheets). Every value is plain text here and is escaped on its way
 * into the HTML, so a customer called `<b>` is shown as typed.
 */

export interface EmailDocument {
  /** BCP 47, for <html lang>. */
  locale: string;
  /** Between a label and its value in the plain text. */
  colon: string;
  subject: string;
  heading: string;
  greeting: string;
  paragraphs: string[];
  facts: Array<[label: string, value: string]>;
  /** Description and amount rows (a receipt's invoice lines). */
  lines: Array<[description: string, amount: string]>;
  action: { label: string; url: string } | null;
  closing: string;
  business: string;
  footer: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export function renderText(doc: EmailDocument): string {
  const blocks = [doc.heading, doc.greeting, ...doc.paragraphs];
  if (doc.facts.length > 0) blocks.push(doc.facts.map(([label, value]) => `${label}${doc.colon}${value}`).join('\n'));
  if (doc.lines.length > 0) blocks.push(doc.lines.map(([description, amount]) => `${description}  ${amount}`).join('\n'));
  if (doc.action) blocks.push(`${doc.action.label}${doc.colon}${doc.action.url}`);
  blocks.push(`${doc.closing}\n${doc.business}`, `--\n${doc.footer}`);
  return `${blocks.join('\n\n')}\n`;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
const P = 'margin:0 0 16px;';
const CELL = 'padding:8px 0;border-top:1px solid #e4e7eb;vertical-align:top;';

function table(rows: Array<[string, string]>, labelStyle: string): string {
  const body = rows
    .map(([left, right]) => `<tr><td style="${CELL}${labelStyle}">${escapeHtml(left)}</td><td style="${CELL}text-align:right;white-space:nowrap;padding-left:16px;">${escapeHtml(right)}</td></tr>`)
    .join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="width:100%;border-collapse:collapse;margin:8px 0 24px;font-size:14px;">${body}</table>`;
}

export function renderHtml(doc: EmailDocument): string {
  const parts = [
    `<h1 style="margin:0 0 24px;font-size:22px;font-weight:600;color:#1f2933;">${escapeHtml(doc.heading)}</h1>`,
    `<p style="${P}">${escapeHtml(doc.greeting)}</p>`,
    ...doc.paragraphs.map((p) => `<p style="${P}">${escapeHtml(p)}</p>`),
  ];
  if (doc.facts.length > 0) parts.push(table(doc.facts, 'color:#616e7c;'));
  if (doc.lines.length > 0) parts.push(table(doc.lines, ''));
  if (doc.action) {
    parts.push(
      `<p style="margin:8px 0 24px;"><a href="${escapeHtml(doc.action.url)}" style="display:inline-block;background:#4c51bf;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600;">${escapeHtml(doc.action.label)}</a></p>`,
    );
  }
  parts.push(`<p style="margin:24px 0 0;">${escapeHtml(doc.closing)}<br>${escapeHtml(doc.business)}</p>`);
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(doc.locale)}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(doc.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:#f4f5f7;">`,
    `<div style="max-width:560px;margin:0 auto;padding:32px 16px;font-family:${FONT};font-size:15px;line-height:1.5;color:#1f2933;">`,
    `<div style="background:#ffffff;border-radius:8px;padding:32px;">${parts.join('')}</div>`,
    `<p style="margin:16px 0 0;font-size:12px;color:#7b8794;text-align:center;">${escapeHtml(doc.footer)}</p>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
