/**
 * The card-update link: a capability, not a login. Its token names the workspace, the customer,
 * the invoice to pay (payment-failed emails) or the card to replace (card-expiring emails), and
 * when it expires; it is sealed with the deployment's key (lib/secret-box.ts: AES-256-GCM), so
 * it can be neither read nor altered nor made by anyone without that key, and no table keeps it.
 * Pure: the caller gives the box and the time.
 */
import { z } from 'zod';
import { idPattern } from '../../../lib/ids.ts';
import type { SecretBox } from '../../../lib/secret-box.ts';

/** How long a link lasts when its email has no better reason (a payment-failed email). */
export const CARD_UPDATE_LINK_TTL_SECONDS = 7 * 86_400;

export interface CardUpdateLink {
  workspaceId: string;
  customerId: string;
  /** The invoice the new card should pay at once; null for a card-only link. */
  invoiceId: string | null;
  /** The card the new one replaces (a subscription that used it switches too); null: none named. */
  replacesPaymentMethodId: string | null;
  /** Unix seconds, in the customer's time (their test clock's, in a sandbox). */
  expiresAt: number;
}

// `p` keeps anything else the same box seals (webhook secrets, gateway credentials) from
// passing as a link, should one ever be shown.
const PURPOSE = 'card_update';

const payload = z.strictObject({
  p: z.literal(PURPOSE),
  w: z.string().regex(idPattern('workspace')),
  c: z.string().regex(idPattern('customer')),
  i: z.string().regex(idPattern('invoice')).nullable(),
  m: z.string().regex(idPattern('paymentMethod')).nullable(),
  e: z.number().int().positive(),
});

export function sealCardUpdateLink(box: SecretBox, link: CardUpdateLink): string {
  const body: z.infer<typeof payload> = {
    p: PURPOSE,
    w: link.workspaceId,
    c: link.customerId,
    i: link.invoiceId,
    m: link.replacesPaymentMethodId,
    e: link.expiresAt,
  };
  return box.seal(JSON.stringify(body));
}

/** The link a token names, or null when it is not one (altered, cut short, another key's, another kind). */
export function openCardUpdateLink(box: SecretBox, token: string): CardUpdateLink | null {
  // Sealed text is base64url parts joined by dots; anything else is not worth decrypting.
  if (token.length > 1000 || !/^[A-Za-z0-9_.-]+$/.test(token)) return null;
  let text: string;
  try {
    text = box.open(token);
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const result = payload.safeParse(parsed);
  if (!result.success) return null;
  const p = result.data;
  return { workspaceId: p.w, customerId: p.c, invoiceId: p.i, replacesPaymentMethodId: p.m, expiresAt: p.e };
}

/** Expired at `now` (the customer's now: their test clock's in a sandbox). */
export function linkExpired(link: CardUpdateLink, now: Date): boolean {
  return now.getTime() >= link.expiresAt * 1000;
}

/** Where the link points: the deployment's public address (RECUR_PUBLIC_URL) and the page. */
export function cardUpdateUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/pay/card/${token}`;
}
