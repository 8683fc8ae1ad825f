import { period, type EmailCopy } from './copy.ts';

/** Danish. */
export const da: EmailCopy = {
  colon: ': ',
  greeting: (name) => (name ? `Hej ${name}` : 'Hej'),
  closing: 'Venlig hilsen',
  footer: (business) => period(`Du modtager denne e-mail, fordi du er kunde hos ${business}`),
  receipt: ({ business, number, amount, date }) => ({
    subject: number ? `Din kvittering fra ${business} (${number})` : `Din kvittering fra ${business}`,
    heading: 'Betaling modtaget',
    paragraphs: [`${period(`Vi har modtaget din betaling på ${amount}`)} Tak!`],
    facts: [
      ['Betalt beløb', amount],
      ['Betalingsdato', date],
      ['Fakturanummer', number],
    ],
  }),
  invoice: ({ business, number, amount, due }) => ({
    subject: `Ny faktura ${number} fra ${business}`,
    heading: `Faktura ${number}`,
    paragraphs: [
      period(`${business} har sendt dig faktura ${number} på ${amount}`),
      due ? `Betal venligst senest den ${due}.` : 'Fakturaen forfalder ved modtagelsen.',
      'Fakturaen er vedhæftet som PDF.',
    ],
    facts: [
      ['Skyldigt beløb', amount],
      ['Forfaldsdato', due],
      ['Fakturanummer', number],
    ],
  }),
  paymentFailed: ({ business, number, amount, nextAttempt, reason }) => ({
    subject: `Din betaling til ${business} mislykkedes`,
    heading: 'Betalingen mislykkedes',
    paragraphs: [
      number ? `Vi kunne ikke trække ${amount} på dit kort for faktura ${number}.` : `Vi kunne ikke trække ${amount} på dit kort.`,
      nextAttempt
        ? `Vi prøver igen den ${nextAttempt}. Opdater venligst dit kort inden da, så dit abonnement ikke bliver afbrudt.`
        : 'Opdater venligst dit kort, så vi kan gennemføre betalingen.',
    ],
    facts: [
      ['Skyldigt beløb', amount],
      ['Fakturanummer', number],
      ['Næste forsøg', nextAttempt],
      ['Årsag', reason],
    ],
    action: 'Opdater dit kort',
  }),
  cardExpiring: ({ business, brand, last4, expiry }) => ({
    subject: `Dit kort, der slutter på ${last4}, udløber snart`,
    heading: 'Dit kort udløber snart',
    paragraphs: [
      `Dit ${brand}-kort, der slutter på ${last4}, og som du betaler ${business} med, udløber ved udgangen af ${expiry}.`,
      'Tilføj venligst et nyt kort, så dit abonnement ikke bliver afbrudt.',
    ],
    facts: [
      ['Kort', `${brand} •••• ${last4}`],
      ['Udløber', expiry],
    ],
    action: 'Opdater dit kort',
  }),
  refund: ({ business, number, amount }) => ({
    subject: `Din refusion fra ${business}`,
    heading: 'Beløbet er refunderet',
    paragraphs: [
      number ? `${business} har refunderet ${amount} til dig for faktura ${number}.` : `${business} har refunderet ${amount} til dig.`,
      'Der kan gå et par bankdage, før beløbet står på din konto.',
    ],
    facts: [
      ['Refunderet beløb', amount],
      ['Fakturanummer', number],
    ],
  }),
  webhookEndpointDisabled: ({ url, since }) => ({
    subject: `Webhook-endpoint deaktiveret: ${url}`,
    heading: 'Webhook-endpoint deaktiveret',
    paragraphs: [
      period(`Recur har ikke kunnet levere hændelser til ${url} siden ${since} og er derfor holdt op med at sende til det`),
      'Ret endpointet, og aktivér det igen i dashboardet (Developers → Webhooks). Nye hændelser sendes derefter til det, og mislykkede leveringer kan sendes igen fra dets leveringslog.',
    ],
    facts: [
      ['Endpoint', url],
      ['Fejler siden', since],
    ],
    action: 'Åbn endpointet',
  }),
  teamFooter: 'Du modtager denne e-mail, fordi du ejer denne Recur-konto.',
};
