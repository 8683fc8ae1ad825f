import { period } from '../../../notifications/templates/copy.ts';
import type { PageCopy } from '../copy.ts';

/** Danish. */
export const da: PageCopy = {
  title: 'Opdater dit kort',
  cardIntro: (business) => `Indtast det kort, du fremover vil betale ${business} med.`,
  invoiceIntro: ({ business, number, amount }) =>
    `${number ? `Din betaling på ${amount} til ${business} for faktura ${number} gik ikke igennem.` : `Din betaling på ${amount} til ${business} gik ikke igennem.`} Indtast et kort, så trækker vi beløbet med det samme.`,
  invoiceNumber: 'Fakturanummer',
  amountDue: 'Skyldigt beløb',
  currentCard: 'Nuværende kort',
  cardLabel: 'Kort',
  sandboxHint: 'Testtilstand: indtast et testkortnummer som 4242 4242 4242 4242 eller en testbetalingsmetode som pm_card_visa. Der trækkes ikke penge på noget rigtigt kort.',
  sandboxBanner: 'Testtilstand',
  submitPay: 'Gem kort og betal',
  submitSave: 'Gem kort',
  paid: ({ number, amount }) => (number ? `Tak! Faktura ${number} er betalt (${amount}).` : `Tak! ${amount} er betalt.`),
  saved: 'Dit nye kort er gemt. Dine næste betalinger trækkes på det.',
  paymentFailed: (message) => `Dit kort er gemt, men betalingen gik ikke igennem: ${message} Prøv venligst et andet kort.`,
  refused: (message) => `Kortet blev ikke godkendt: ${message} Prøv venligst et andet kort.`,
  unknownCard: 'Vi kunne ikke læse kortet. Kontroller det, du har indtastet, og prøv igen.',
  alreadyPaid: (number) => `${number ? `Faktura ${number} er allerede betalt.` : 'Fakturaen er allerede betalt.'} Du skal ikke gøre mere.`,
  noLongerDue: (number) => (number ? `Faktura ${number} skal ikke længere betales.` : 'Fakturaen skal ikke længere betales.'),
  unavailable: (business) => period(`Kort kan endnu ikke opdateres på denne side. Kontakt venligst ${business}`),
  expiredTitle: 'Linket er udløbet',
  expired: (business) => `Af sikkerhedshensyn virker links til kortopdatering kun i begrænset tid. Find en nyere e-mail fra ${business}, eller bed dem om et nyt link.`,
  invalidTitle: 'Linket er ikke gyldigt',
  invalid: 'Kontroller, at du har åbnet hele linket fra e-mailen. Virker det stadig ikke, så bed om et nyt.',
};
