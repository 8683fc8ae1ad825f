import { period, type EmailCopy } from './copy.ts';

/** Italian. */
export const it: EmailCopy = {
  colon: ': ',
  greeting: (name) => (name ? `Ciao ${name},` : 'Ciao,'),
  closing: 'Grazie,',
  footer: (business) => period(`Ricevi questa email perché sei cliente di ${business}`),
  receipt: ({ business, number, amount, date }) => ({
    subject: number ? `La tua ricevuta da ${business} (${number})` : `La tua ricevuta da ${business}`,
    heading: 'Pagamento ricevuto',
    paragraphs: [`${period(`Abbiamo ricevuto il tuo pagamento di ${amount}`)} Grazie!`],
    facts: [
      ['Importo pagato', amount],
      ['Data del pagamento', date],
      ['Numero fattura', number],
    ],
  }),
  invoice: ({ business, number, amount, due }) => ({
    subject: `Nuova fattura ${number} da ${business}`,
    heading: `Fattura ${number}`,
    paragraphs: [
      period(`${business} ti ha inviato la fattura ${number} di ${amount}`),
      due ? `Ti preghiamo di pagarla entro il ${due}.` : 'Il pagamento è dovuto al ricevimento.',
      'In allegato trovi la fattura in formato PDF.',
    ],
    facts: [
      ['Importo dovuto', amount],
      ['Data di scadenza', due],
      ['Numero fattura', number],
    ],
  }),
  paymentFailed: ({ business, number, amount, nextAttempt, reason }) => ({
    subject: `Il tuo pagamento a ${business} non è andato a buon fine`,
    heading: 'Pagamento non riuscito',
    paragraphs: [
      number
        ? `Non siamo riusciti ad addebitare ${amount} sulla tua carta per la fattura ${number}.`
        : `Non siamo riusciti ad addebitare ${amount} sulla tua carta.`,
      nextAttempt
        ? `Riproveremo il ${nextAttempt}. Per non interrompere il tuo abbonamento, aggiorna la tua carta entro quella data.`
        : 'Aggiorna la tua carta per permetterci di riscuotere il pagamento.',
    ],
    facts: [
      ['Importo dovuto', amount],
      ['Numero fattura', number],
      ['Prossimo tentativo', nextAttempt],
      ['Motivo', reason],
    ],
    action: 'Aggiorna la tua carta',
  }),
  cardExpiring: ({ business, brand, last4, expiry }) => ({
    subject: `La tua carta che termina con ${last4} sta per scadere`,
    heading: 'La tua carta sta per scadere',
    paragraphs: [
      `La carta ${brand} che termina con ${last4}, con cui paghi ${business}, scade alla fine di ${expiry}.`,
      'Aggiungi una nuova carta per non interrompere il tuo abbonamento.',
    ],
    facts: [
      ['Carta', `${brand} •••• ${last4}`],
      ['Scadenza', expiry],
    ],
    action: 'Aggiorna la tua carta',
  }),
  refund: ({ business, number, amount }) => ({
    subject: `Il tuo rimborso da ${business}`,
    heading: 'Rimborso effettuato',
    paragraphs: [
      number ? `${business} ti ha rimborsato ${amount} per la fattura ${number}.` : period(`${business} ti ha rimborsato ${amount}`),
      'Potrebbero volerci alcuni giorni lavorativi prima che il rimborso compaia sul tuo estratto conto.',
    ],
    facts: [
      ['Importo rimborsato', amount],
      ['Numero fattura', number],
    ],
  }),
  webhookEndpointDisabled: ({ url, since }) => ({
    subject: `Endpoint webhook disattivato: ${url}`,
    heading: 'Endpoint webhook disattivato',
    paragraphs: [
      period(`Recur non è riuscito a consegnare eventi a ${url} dal ${since}, quindi ha smesso di inviarglieli`),
      'Correggi l’endpoint, poi riattivalo nella dashboard (Developers → Webhooks). Gli eventi successivi gli verranno inviati; puoi reinviare le consegne non riuscite dal suo registro delle consegne.',
    ],
    facts: [
      ['Endpoint', url],
      ['In errore dal', since],
    ],
    action: 'Apri l’endpoint',
  }),
  teamFooter: 'Ricevi questa email perché sei il proprietario di questo account Recur.',
};
