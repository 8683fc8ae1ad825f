import { period } from '../../../notifications/templates/copy.ts';
import type { PageCopy } from '../copy.ts';

// As in the emails: a no-break space before "!" and ":" (\u00a0), names never elided.
export const fr: PageCopy = {
  title: 'Mettre à jour votre carte',
  cardIntro: (business) => period(`Saisissez la carte avec laquelle vous souhaitez désormais payer ${business}`),
  invoiceIntro: ({ business, number, amount }) =>
    `${number ? `Votre paiement de ${amount} à ${business} pour la facture ${number} n’a pas abouti.` : `Votre paiement de ${amount} à ${business} n’a pas abouti.`} Saisissez une carte et nous la débiterons immédiatement.`,
  invoiceNumber: 'Numéro de facture',
  amountDue: 'Montant dû',
  currentCard: 'Carte enregistrée',
  cardLabel: 'Carte',
  sandboxHint: 'Mode test\u00a0: saisissez un numéro de carte de test comme 4242 4242 4242 4242, ou un moyen de paiement de test comme pm_card_visa. Aucune vraie carte n’est débitée.',
  sandboxBanner: 'Mode test',
  submitPay: 'Enregistrer la carte et payer',
  submitSave: 'Enregistrer la carte',
  paid: ({ number, amount }) => (number ? `Merci\u00a0! La facture ${number} est payée (${amount}).` : `Merci\u00a0! ${amount} ont été payés.`),
  saved: 'Votre nouvelle carte est enregistrée. Vos prochains paiements seront débités sur celle-ci.',
  paymentFailed: (message) => `Votre carte est enregistrée, mais le paiement n’a pas abouti\u00a0: ${message} Veuillez essayer une autre carte.`,
  refused: (message) => `Cette carte n’a pas été acceptée\u00a0: ${message} Veuillez essayer une autre carte.`,
  unknownCard: 'Nous n’avons pas pu lire cette carte. Vérifiez votre saisie et réessayez.',
  alreadyPaid: (number) => `${number ? `La facture ${number} est déjà payée.` : 'Cette facture est déjà payée.'} Vous n’avez rien d’autre à faire.`,
  noLongerDue: (number) => (number ? `La facture ${number} n’est plus à payer.` : 'Cette facture n’est plus à payer.'),
  unavailable: (business) => period(`Les cartes ne peuvent pas encore être mises à jour sur cette page. Veuillez contacter ${business}`),
  expiredTitle: 'Ce lien a expiré',
  expired: (business) => `Pour votre sécurité, les liens de mise à jour de carte ne sont valables que pendant une durée limitée. Cherchez un e-mail plus récent de la part de ${business} ou demandez-leur un nouveau lien.`,
  invalidTitle: 'Ce lien n’est pas valide',
  invalid: 'Vérifiez que vous avez ouvert le lien complet depuis l’e-mail. Si cela ne fonctionne toujours pas, demandez-en un nouveau.',
};
