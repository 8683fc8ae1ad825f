import { describe, expect, it } from 'vitest';
import { newId } from '../../../lib/ids.ts';
import { secretBox } from '../../../lib/secret-box.ts';
import { cardUpdateUrl, linkExpired, openCardUpdateLink, sealCardUpdateLink, type CardUpdateLink } from './token.ts';

const box = secretBox(Buffer.alloc(32, 7));
const link: CardUpdateLink = {
  workspaceId: newId('workspace'),
  customerId: newId('customer'),
  invoiceId: newId('invoice'),
  replacesPaymentMethodId: null,
  expiresAt: 1_900_000_000,
};

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The token with one character changed in its first bit (a part's last character also has
 * bits that decode to nothing: changing only those would change no byte).
 */
function flipped(token: string, at: number): string {
  const c = BASE64URL[BASE64URL.indexOf(token[at] as string) ^ 32] as string;
  return token.slice(0, at) + c + token.slice(at + 1);
}

describe('card-update link tokens', () => {
  it('open to the link they were sealed with, and are URL-safe', () => {
    const token = sealCardUpdateLink(box, link);
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(openCardUpdateLink(box, token)).toEqual(link);
    const cardOnly = { ...link, invoiceId: null, replacesPaymentMethodId: newId('paymentMethod') };
    expect(openCardUpdateLink(box, sealCardUpdateLink(box, cardOnly))).toEqual(cardOnly);
    expect(cardUpdateUrl('https://billing.example.com/', token)).toBe(`https://billing.example.com/pay/card/${token}`);
  });

  it('do not show what they name', () => {
    const token = sealCardUpdateLink(box, link);
    expect(token).not.toContain(link.customerId);
    expect(Buffer.from(token.split('.').at(-1) as string, 'base64url').toString('latin1')).not.toContain('cus_');
  });

  it('refuse any altered character, a cut or lengthened token, and garbage', () => {
    const token = sealCardUpdateLink(box, link);
    for (let at = 3; at < token.length; at++) {
      if (token[at] === '.') continue;
      expect(openCardUpdateLink(box, flipped(token, at)), `changed at ${at}`).toBeNull();
    }
    expect(openCardUpdateLink(box, token.slice(0, -2))).toBeNull();
    expect(openCardUpdateLink(box, `${token}AA`)).toBeNull();
    for (const junk of ['', 'v1', 'v1...', 'not a token', '../../etc/passwd', 'v1.a.b.c']) expect(openCardUpdateLink(box, junk)).toBeNull();
  });

  it("refuse another deployment's token and anything else the same key sealed", () => {
    const other = secretBox(Buffer.alloc(32, 8));
    expect(openCardUpdateLink(box, sealCardUpdateLink(other, link))).toBeNull();
    // Webhook secrets and gateway credentials are sealed with the same key: never a link.
    expect(openCardUpdateLink(box, box.seal('whsec_abc'))).toBeNull();
    expect(openCardUpdateLink(box, box.seal(JSON.stringify({ w: link.workspaceId, c: link.customerId, i: null, m: null, e: 1 })))).toBeNull();
  });

  it('name only well-formed ids of their kinds: a workspace id where the customer goes is refused', () => {
    const swapped = { ...link, customerId: link.workspaceId };
    expect(openCardUpdateLink(box, sealCardUpdateLink(box, swapped))).toBeNull();
    expect(openCardUpdateLink(box, sealCardUpdateLink(box, { ...link, invoiceId: "in_x' OR 1=1" }))).toBeNull();
  });

  it('expire at their time, not a second later', () => {
    expect(linkExpired(link, new Date((link.expiresAt - 1) * 1000))).toBe(false);
    expect(linkExpired(link, new Date(link.expiresAt * 1000))).toBe(true);
  });
});
