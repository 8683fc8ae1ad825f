/**
 * The card-update page as HTML: server-rendered, one small inline style sheet, no script and
 * nothing loaded from elsewhere (its Content-Security-Policy allows nothing else). Pure: what
 * to show comes in as a `PageView`; every value is escaped on its way into the HTML.
 */
import { escapeHtml } from '../../notifications/templates/layout.ts';

export interface PageView {
  /** BCP 47, for <html lang>. */
  locale: string;
  title: string;
  /** The business the customer pays (null when the link could not be read). */
  business: string | null;
  sandbox: { banner: string } | null;
  notice: { tone: 'success' | 'error' | 'info'; text: string } | null;
  intro: string | null;
  facts: Array<[label: string, value: string]>;
  form: CardFormView | null;
}

export interface CardFormView {
  label: string;
  hint: string | null;
  submit: string;
  /** This rendering's form nonce: a double submit of it is answered once (routes.ts). */
  nonce: string;
}

const STYLE = [
  'body{margin:0;background:#f4f5f7;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2933}',
  'main{max-width:460px;margin:40px auto;padding:32px;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08)}',
  '.business{margin:0 0 4px;color:#616e7c;font-size:14px}',
  'h1{margin:0 0 20px;font-size:22px;font-weight:600}',
  '.banner{display:inline-block;margin:0 0 16px;padding:2px 8px;border-radius:4px;background:#fff3c4;color:#8d2b0b;font-size:13px;font-weight:600}',
  '.notice{margin:0 0 20px;padding:12px 14px;border-radius:6px}',
  '.success{background:#e3f9e5;color:#05400a}.error{background:#ffe3e3;color:#610404}.info{background:#e6f6ff;color:#03449e}',
  'dl{display:grid;grid-template-columns:1fr auto;margin:0 0 20px;font-size:15px}',
  'dt,dd{margin:0;padding:8px 0;border-top:1px solid #e4e7eb}dt{color:#616e7c}dd{text-align:right}',
  'label{display:block;margin:0 0 6px;font-weight:600}',
  'input{box-sizing:border-box;width:100%;padding:10px 12px;border:1px solid #cbd2d9;border-radius:6px;font-size:16px}',
  '.hint{margin:6px 0 0;color:#616e7c;font-size:13px}',
  'button{margin-top:20px;width:100%;padding:12px;border:0;border-radius:6px;background:#4c51bf;color:#fff;font-size:16px;font-weight:600;cursor:pointer}',
].join('');

export function renderPage(view: PageView): string {
  const parts: string[] = [];
  if (view.business) parts.push(`<p class="business">${escapeHtml(view.business)}</p>`);
  parts.push(`<h1>${escapeHtml(view.title)}</h1>`);
  if (view.sandbox) parts.push(`<p class="banner">${escapeHtml(view.sandbox.banner)}</p>`);
  if (view.notice) parts.push(`<p class="notice ${view.notice.tone}" role="status">${escapeHtml(view.notice.text)}</p>`);
  if (view.intro) parts.push(`<p>${escapeHtml(view.intro)}</p>`);
  if (view.facts.length > 0) {
    parts.push(`<dl>${view.facts.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`);
  }
  if (view.form) parts.push(renderForm(view.form));
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(view.locale)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">',
    `<title>${escapeHtml(view.business ? `${view.title} · ${view.business}` : view.title)}</title>`,
    `<style>${STYLE}</style></head>`,
    `<body><main>${parts.join('')}</main></body>`,
    '</html>',
    '',
  ].join('\n');
}

/**
 * The card field. For the built-in test gateway it is a text field for a test card number or
 * test payment method id, posted as `card`. A real gateway's page will embed that gateway's
 * client-side tokenizer here instead (Stripe Elements, Braintree's Drop-in …), which posts
 * the token it makes in the same field: card numbers never reach Recur in live workspaces.
 */
function renderForm(form: CardFormView): string {
  const hint = form.hint ? `<p class="hint" id="card-hint">${escapeHtml(form.hint)}</p>` : '';
  return [
    // No action: the form posts to this page's own URL, whose token is the capability.
    '<form method="post">',
    `<input type="hidden" name="nonce" value="${escapeHtml(form.nonce)}">`,
    `<label for="card">${escapeHtml(form.label)}</label>`,
    `<input id="card" name="card" required maxlength="200" autocomplete="cc-number" spellcheck="false"${form.hint ? ' aria-describedby="card-hint"' : ''}>`,
    hint,
    `<button type="submit">${escapeHtml(form.submit)}</button>`,
    '</form>',
  ].join('');
}
