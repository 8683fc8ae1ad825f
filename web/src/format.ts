/** Display helpers. Timestamps from the API are unix seconds. */

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDate(seconds: number): string {
  return dateFormat.format(new Date(seconds * 1000));
}

export function formatDateTime(seconds: number): string {
  return dateTimeFormat.format(new Date(seconds * 1000));
}

/** "3 minutes ago", falling back to the date after a week. */
export function formatRelative(seconds: number): string {
  const diff = seconds - Date.now() / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relativeFormat.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return relativeFormat.format(Math.round(diff / 3600), 'hour');
  if (abs < 7 * 86400) return relativeFormat.format(Math.round(diff / 86400), 'day');
  return formatDate(seconds);
}

/** customer.updated → "Customer updated". */
export function humanizeAction(action: string): string {
  const text = action.replace(/[._]/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function initials(text: string): string {
  const words = text.replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/);
  const letters = words.length > 1 ? (words[0]?.[0] ?? '') + (words[1]?.[0] ?? '') : (words[0] ?? '').slice(0, 2);
  return letters.toUpperCase() || '?';
}

/** ISO 4217 minor-unit exponents that differ from 2 (everything else has 2 decimals). */
const CURRENCY_EXPONENTS: Record<string, number> = {
  bif: 0, clp: 0, djf: 0, gnf: 0, isk: 0, jpy: 0, kmf: 0, krw: 0, pyg: 0, rwf: 0, ugx: 0, vnd: 0, vuv: 0, xaf: 0, xof: 0, xpf: 0,
  bhd: 3, iqd: 3, jod: 3, kwd: 3, lyd: 3, omr: 3, tnd: 3,
};

/** The currencies offered in the dashboard's currency pickers. */
export const CURRENCIES = ['usd', 'eur', 'gbp', 'dkk', 'sek', 'nok', 'chf', 'cad', 'aud', 'idr', 'jpy', 'krw', 'bhd', 'kwd'];

export function currencyExponent(currency: string): number {
  return CURRENCY_EXPONENTS[currency.toLowerCase()] ?? 2;
}

/** An amount in minor units as money: formatMoney(1250, 'usd') → "$12.50". */
export function formatMoney(minor: number, currency: string, locale: string | undefined = 'en-US'): string {
  const e = currencyExponent(currency);
  const major = minor / 10 ** e;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: e, maximumFractionDigits: e }).format(major);
  } catch {
    return `${major.toFixed(e)} ${currency.toUpperCase()}`;
  }
}

/**
 * What the user typed ("12.50", "1,000.5") as minor units, by string arithmetic (no float
 * multiply): null when it is not a non-negative amount with at most the currency's decimals.
 */
export function parseMinor(text: string, currency: string): number | null {
  const e = currencyExponent(currency);
  const clean = text.trim().replace(/,/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(clean);
  if (!match) return null;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > e) return null;
  const digits = `${whole}${fraction.padEnd(e, '0')}`.replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

/** "per month", "every 3 months", "one time". */
export function formatInterval(recurring: { interval: string; interval_count: number } | null): string {
  if (!recurring) return 'one time';
  if (recurring.interval_count === 1) return `per ${recurring.interval}`;
  return `every ${recurring.interval_count} ${recurring.interval}s`;
}

/** "Mar 1, 2026 – Apr 1, 2026": a billing period (end exclusive, shown as the date it ends). */
export function formatPeriod(period: { start: number; end: number }): string {
  if (period.start === period.end) return formatDate(period.start);
  return `${formatDate(period.start)} – ${formatDate(period.end)}`;
}

/** A unix time as the value of an <input type="datetime-local" step="1"> (local time). */
export function toLocalInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** What a datetime-local input holds, as unix seconds; null when empty or not a date. */
export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}
