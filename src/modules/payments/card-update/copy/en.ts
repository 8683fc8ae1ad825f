import { period } from '../../../notifications/templates/copy.ts';
import type { PageCopy } from '../copy.ts';

export const en: PageCopy = {
  title: 'Update your card',
  cardIntro: (business) => `Enter the card you want to pay ${business} with from now on.`,
  invoiceIntro: ({ business, number, amount }) =>
    `${number ? `Your payment of ${amount} to ${business} for invoice ${number} did not go through.` : `Your payment of ${amount} to ${business} did not go through.`} Enter a card and we will charge it right away.`,
  invoiceNumber: 'Invoice number',
  amountDue: 'Amount due',
  currentCard: 'Card on file',
  cardLabel: 'Card',
  sandboxHint: 'Test mode: enter a test card number such as 4242 4242 4242 4242, or a test payment method such as pm_card_visa. No real card is charged.',
  sandboxBanner: 'Test mode',
  submitPay: 'Save card and pay',
  submitSave: 'Save card',
  paid: ({ number, amount }) => (number ? `Thank you! Invoice ${number} is paid (${amount}).` : `Thank you! ${amount} is paid.`),
  saved: 'Your new card is saved. Your next payments will be charged to it.',
  paymentFailed: (message) => `Your card is saved, but the payment did not go through: ${message} Please try another card.`,
  refused: (message) => `This card was not accepted: ${message} Please try another card.`,
  unknownCard: 'We could not read that card. Check what you entered and try again.',
  alreadyPaid: (number) => `${number ? `Invoice ${number} is already paid.` : 'This invoice is already paid.'} There is nothing more to do.`,
  noLongerDue: (number) => (number ? `Invoice ${number} no longer needs to be paid.` : 'This invoice no longer needs to be paid.'),
  unavailable: (business) => period(`Cards cannot be updated on this page yet. Please contact ${business}`),
  expiredTitle: 'This link has expired',
  expired: (business) => `For your security, card-update links only work for a limited time. Look for a newer email from ${business} or ask them for a new link.`,
  invalidTitle: 'This link is not valid',
  invalid: 'Check that you opened the whole link from the email. If it still does not work, ask for a new one.',
};
