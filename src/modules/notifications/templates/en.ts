import { period, type EmailCopy } from './copy.ts';

export const en: EmailCopy = {
  colon: ': ',
  greeting: (name) => (name ? `Hi ${name},` : 'Hello,'),
  closing: 'Thank you,',
  footer: (business) => period(`You are receiving this email because you are a customer of ${business}`),
  receipt: ({ business, number, amount, date }) => ({
    subject: number ? `Your receipt from ${business} (${number})` : `Your receipt from ${business}`,
    heading: 'Payment received',
    paragraphs: [`${period(`We received your payment of ${amount}`)} Thank you!`],
    facts: [
      ['Amount paid', amount],
      ['Date paid', date],
      ['Invoice number', number],
    ],
  }),
  invoice: ({ business, number, amount, due }) => ({
    subject: `New invoice ${number} from ${business}`,
    heading: `Invoice ${number}`,
    paragraphs: [
      period(`${business} has sent you invoice ${number} for ${amount}`),
      due ? `Please pay it by ${due}.` : 'It is due on receipt.',
      'The invoice is attached as a PDF.',
    ],
    facts: [
      ['Amount due', amount],
      ['Due date', due],
      ['Invoice number', number],
    ],
  }),
  paymentFailed: ({ business, number, amount, nextAttempt, reason }) => ({
    subject: `Your payment to ${business} failed`,
    heading: 'Payment failed',
    paragraphs: [
      number ? `We could not charge ${amount} to your card for invoice ${number}.` : `We could not charge ${amount} to your card.`,
      nextAttempt
        ? `We will try again on ${nextAttempt}. To keep your subscription running, please update your card before then.`
        : 'Please update your card so that we can collect the payment.',
    ],
    facts: [
      ['Amount due', amount],
      ['Invoice number', number],
      ['Next attempt', nextAttempt],
      ['Reason', reason],
    ],
    action: 'Update your card',
  }),
  cardExpiring: ({ business, brand, last4, expiry }) => ({
    subject: `Your card ending in ${last4} expires soon`,
    heading: 'Your card is expiring',
    paragraphs: [
      `The ${brand} card ending in ${last4} that you pay ${business} with expires at the end of ${expiry}.`,
      'Please add a new card to keep your subscription running.',
    ],
    facts: [
      ['Card', `${brand} •••• ${last4}`],
      ['Expires', expiry],
    ],
    action: 'Update your card',
  }),
  refund: ({ business, number, amount }) => ({
    subject: `Your refund from ${business}`,
    heading: 'Refund issued',
    paragraphs: [
      number ? `${business} has refunded you ${amount} for invoice ${number}.` : period(`${business} has refunded you ${amount}`),
      'It can take a few business days for the refund to appear on your statement.',
    ],
    facts: [
      ['Amount refunded', amount],
      ['Invoice number', number],
    ],
  }),
  webhookEndpointDisabled: ({ url, since }) => ({
    subject: `Webhook endpoint disabled: ${url}`,
    heading: 'Webhook endpoint disabled',
    paragraphs: [
      period(`Recur could not deliver events to ${url} since ${since}, so it has stopped sending to it`),
      'Fix the endpoint, then enable it again in the dashboard (Developers → Webhooks). Events from now on will be sent to it; you can resend failed deliveries from its delivery log.',
    ],
    facts: [
      ['Endpoint', url],
      ['Failing since', since],
    ],
    action: 'Open the endpoint',
  }),
  teamFooter: 'You are receiving this email because you own this Recur account.',
};
