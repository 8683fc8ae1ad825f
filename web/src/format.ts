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
