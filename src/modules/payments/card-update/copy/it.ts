import { period } from '../../../notifications/templates/copy.ts';
import type { PageCopy } from '../copy.ts';

/** Italian. */
export const it: PageCopy = {
  title: 'Aggiorna la tua carta',
  cardIntro: (business) => `Inserisci la carta con cui vuoi pagare ${business} da ora in poi.`,
  invoiceIntro: ({ business, number, amount }) =>
    `${number ? `Il tuo pagamento di ${amount} a ${business} per la fattura ${number} non è andato a buon fine.` : `Il tuo pagamento di ${amount} a ${business} non è andato a buon fine.`} Inserisci una carta e la addebiteremo subito.`,
  invoiceNumber: 'Numero fattura',
  amountDue: 'Importo dovuto',
  currentCard: 'Carta registrata',
  cardLabel: 'Carta',
  sandboxHint: 'Modalità test: inserisci un numero di carta di test come 4242 4242 4242 4242, oppure un metodo di pagamento di test come pm_card_visa. Nessuna carta reale viene addebitata.',
  sandboxBanner: 'Modalità test',
  submitPay: 'Salva la carta e paga',
  submitSave: 'Salva la carta',
  paid: ({ number, amount }) => (number ? `Grazie! La fattura ${number} è pagata (${amount}).` : `Grazie! Hai pagato ${amount}.`),
  saved: 'La tua nuova carta è stata salvata. I prossimi pagamenti verranno addebitati su questa carta.',
  paymentFailed: (message) => `La tua carta è stata salvata, ma il pagamento non è andato a buon fine: ${message} Prova con un’altra carta.`,
  refused: (message) => `Questa carta non è stata accettata: ${message} Prova con un’altra carta.`,
  unknownCard: 'Non siamo riusciti a leggere questa carta. Controlla i dati inseriti e riprova.',
  alreadyPaid: (number) => `${number ? `La fattura ${number} è già stata pagata.` : 'Questa fattura è già stata pagata.'} Non devi fare altro.`,
  noLongerDue: (number) => (number ? `La fattura ${number} non deve più essere pagata.` : 'Questa fattura non deve più essere pagata.'),
  unavailable: (business) => period(`Non è ancora possibile aggiornare la carta da questa pagina. Contatta ${business}`),
  expiredTitle: 'Questo link è scaduto',
  expired: (business) => `Per la tua sicurezza, i link per aggiornare la carta valgono solo per un tempo limitato. Cerca un’email più recente di ${business} oppure chiedi loro un nuovo link.`,
  invalidTitle: 'Questo link non è valido',
  invalid: 'Controlla di aver aperto il link completo dall’email. Se continua a non funzionare, chiedine uno nuovo.',
};
