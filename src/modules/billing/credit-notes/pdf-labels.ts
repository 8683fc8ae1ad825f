/**
 * The words a credit note's PDF adds to an invoice's (invoices/pdf-labels.ts), per language;
 * any other language gets English, as invoices do.
 */
import { localeLanguage } from '../invoices/pdf-labels.ts';
import type { CreditNoteReason } from './models.ts';

export interface CreditNotePdfLabels {
  creditNote: string;
  creditNoteNumber: string;
  reason: string;
  reasons: Record<CreditNoteReason, string>;
  totalCredited: string;
  /** The part that came off what the invoice still asked for. */
  offInvoice: string;
  refunded: string;
  creditedToBalance: string;
  outOfBand: string;
  /** Stamped on a void credit note. */
  void: string;
}

const en: CreditNotePdfLabels = {
  creditNote: 'Credit note',
  creditNoteNumber: 'Credit note number',
  reason: 'Reason',
  reasons: { duplicate: 'Duplicate charge', fraudulent: 'Fraudulent charge', order_change: 'Order change', product_unsatisfactory: 'Product unsatisfactory' },
  totalCredited: 'Total credited',
  offInvoice: 'Taken off the invoice',
  refunded: 'Refunded to the payment method',
  creditedToBalance: 'Credited to the account balance',
  outOfBand: 'Credited separately',
  void: 'VOID',
};

const id: CreditNotePdfLabels = {
  creditNote: 'Nota kredit',
  creditNoteNumber: 'Nomor nota kredit',
  reason: 'Alasan',
  reasons: { duplicate: 'Tagihan ganda', fraudulent: 'Tagihan curang', order_change: 'Perubahan pesanan', product_unsatisfactory: 'Produk tidak memuaskan' },
  totalCredited: 'Total kredit',
  offInvoice: 'Dikurangkan dari faktur',
  refunded: 'Dikembalikan ke metode pembayaran',
  creditedToBalance: 'Dikreditkan ke saldo akun',
  outOfBand: 'Dikreditkan secara terpisah',
  void: 'DIBATALKAN',
};

const da: CreditNotePdfLabels = {
  creditNote: 'Kreditnota',
  creditNoteNumber: 'Kreditnotanummer',
  reason: 'Årsag',
  reasons: { duplicate: 'Dobbelt opkrævning', fraudulent: 'Svigagtig opkrævning', order_change: 'Ændret ordre', product_unsatisfactory: 'Utilfredsstillende produkt' },
  totalCredited: 'Krediteret i alt',
  offInvoice: 'Fratrukket fakturaen',
  refunded: 'Refunderet til betalingsmetoden',
  creditedToBalance: 'Krediteret kontosaldoen',
  outOfBand: 'Krediteret separat',
  void: 'ANNULLERET',
};

const fr: CreditNotePdfLabels = {
  creditNote: 'Avoir',
  creditNoteNumber: 'Numéro d’avoir',
  reason: 'Motif',
  reasons: { duplicate: 'Facturation en double', fraudulent: 'Facturation frauduleuse', order_change: 'Modification de commande', product_unsatisfactory: 'Produit insatisfaisant' },
  totalCredited: 'Total crédité',
  offInvoice: 'Déduit de la facture',
  refunded: 'Remboursé sur le moyen de paiement',
  creditedToBalance: 'Crédité sur le solde du compte',
  outOfBand: 'Crédité séparément',
  void: 'ANNULÉ',
};

const it: CreditNotePdfLabels = {
  creditNote: 'Nota di credito',
  creditNoteNumber: 'Numero nota di credito',
  reason: 'Motivo',
  reasons: { duplicate: 'Addebito duplicato', fraudulent: 'Addebito fraudolento', order_change: 'Modifica dell’ordine', product_unsatisfactory: 'Prodotto insoddisfacente' },
  totalCredited: 'Totale accreditato',
  offInvoice: 'Detratto dalla fattura',
  refunded: 'Rimborsato sul metodo di pagamento',
  creditedToBalance: 'Accreditato sul saldo del conto',
  outOfBand: 'Accreditato separatamente',
  void: 'ANNULLATA',
};

const byLanguage: Readonly<Record<string, CreditNotePdfLabels>> = Object.freeze({ en, id, da, fr, it });

/**
 * The labels for the language the invoice's words were picked in: `labelsLocale` is the
 * formatter's locale, which is already "en" for a language without labels.
 */
export function creditNoteLabels(labelsLocale: string): CreditNotePdfLabels {
  const language = localeLanguage(labelsLocale);
  return Object.hasOwn(byLanguage, language) ? (byLanguage[language] as CreditNotePdfLabels) : en;
}
