import { period, type EmailCopy } from './copy.ts';

// French puts a no-break space before "!" (\u00a0). Names are never elided ("de la part de",
// "chez"), so a business called Acme does not need "d’Acme".
export const fr: EmailCopy = {
  colon: '\u00a0: ',
  greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
  closing: 'Cordialement,',
  footer: (business) => period(`Vous recevez cet e-mail parce que vous êtes client chez ${business}`),
  receipt: ({ business, number, amount, date }) => ({
    subject: number ? `Votre reçu de la part de ${business} (${number})` : `Votre reçu de la part de ${business}`,
    heading: 'Paiement reçu',
    paragraphs: [`${period(`Nous avons bien reçu votre paiement de ${amount}`)} Merci\u00a0!`],
    facts: [
      ['Montant payé', amount],
      ['Date du paiement', date],
      ['Numéro de facture', number],
    ],
  }),
  invoice: ({ business, number, amount, due }) => ({
    subject: `Nouvelle facture ${number} de la part de ${business}`,
    heading: `Facture ${number}`,
    paragraphs: [
      period(`${business} vous a envoyé la facture ${number} d’un montant de ${amount}`),
      due ? `Merci de la régler au plus tard le ${due}.` : 'Elle est payable à réception.',
      'La facture est jointe au format PDF.',
    ],
    facts: [
      ['Montant dû', amount],
      ['Date d’échéance', due],
      ['Numéro de facture', number],
    ],
  }),
  paymentFailed: ({ business, number, amount, nextAttempt, reason }) => ({
    subject: `Échec de votre paiement à ${business}`,
    heading: 'Le paiement a échoué',
    paragraphs: [
      number
        ? `Nous n’avons pas pu débiter ${amount} de votre carte pour la facture ${number}.`
        : `Nous n’avons pas pu débiter ${amount} de votre carte.`,
      nextAttempt
        ? `Nous réessaierons le ${nextAttempt}. Pour que votre abonnement ne soit pas interrompu, veuillez mettre à jour votre carte d’ici là.`
        : 'Veuillez mettre à jour votre carte afin que nous puissions encaisser le paiement.',
    ],
    facts: [
      ['Montant dû', amount],
      ['Numéro de facture', number],
      ['Prochaine tentative', nextAttempt],
      ['Motif du refus', reason],
    ],
    action: 'Mettre à jour votre carte',
  }),
  cardExpiring: ({ business, brand, last4, expiry }) => ({
    subject: `Votre carte se terminant par ${last4} expire bientôt`,
    heading: 'Votre carte arrive à expiration',
    paragraphs: [
      `La carte ${brand} se terminant par ${last4}, avec laquelle vous payez ${business}, expire fin ${expiry}.`,
      'Veuillez ajouter une nouvelle carte pour que votre abonnement ne soit pas interrompu.',
    ],
    facts: [
      ['Carte', `${brand} •••• ${last4}`],
      ['Expiration', expiry],
    ],
    action: 'Mettre à jour votre carte',
  }),
  refund: ({ business, number, amount }) => ({
    subject: `Votre remboursement de la part de ${business}`,
    heading: 'Remboursement effectué',
    paragraphs: [
      number ? `${business} vous a remboursé ${amount} au titre de la facture ${number}.` : period(`${business} vous a remboursé ${amount}`),
      'Le remboursement peut mettre quelques jours ouvrés à apparaître sur votre relevé.',
    ],
    facts: [
      ['Montant remboursé', amount],
      ['Numéro de facture', number],
    ],
  }),
  webhookEndpointDisabled: ({ url, since }) => ({
    subject: `Endpoint de webhook désactivé : ${url}`,
    heading: 'Endpoint de webhook désactivé',
    paragraphs: [
      period(`Recur n’a pas pu livrer d’événements à ${url} depuis le ${since} et a donc cessé de lui en envoyer`),
      'Corrigez l’endpoint, puis réactivez-le dans le tableau de bord (Developers → Webhooks). Les événements suivants lui seront envoyés ; vous pouvez renvoyer les livraisons échouées depuis son journal.',
    ],
    facts: [
      ['Endpoint', url],
      ['En échec depuis le', since],
    ],
    action: 'Ouvrir l’endpoint',
  }),
  teamFooter: 'Vous recevez cet e-mail parce que vous êtes propriétaire de ce compte Recur.',
};
