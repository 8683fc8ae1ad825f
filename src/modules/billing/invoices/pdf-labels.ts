/**
 * The words printed on an invoice PDF, per language. Picked by the locale's language subtag
 * ("fr-FR" → fr); any other language gets English.
 */
export interface InvoicePdfLabels {
  invoice: string;
  invoiceNumber: string;
  dateOfIssue: string;
  dateDue: string;
  paidOn: string;
  billTo: string;
  description: string;
  qty: string;
  amount: string;
  subtotal: string;
  discount: string;
  tax: string;
  /** After an inclusive tax's name: "VAT 25% (incl.)". */
  inclusive: string;
  total: string;
  appliedBalance: string;
  amountDue: string;
  amountPaid: string;
  draft: string;
  void: string;
  page: (page: number, pages: number) => string;
}

const en: InvoicePdfLabels = {
  invoice: 'Invoice',
  invoiceNumber: 'Invoice number',
  dateOfIssue: 'Date of issue',
  dateDue: 'Date due',
  paidOn: 'Paid on',
  billTo: 'Bill to',
  description: 'Description',
  qty: 'Qty',
  amount: 'Amount',
  subtotal: 'Subtotal',
  discount: 'Discount',
  tax: 'Tax',
  inclusive: 'incl.',
  total: 'Total',
  appliedBalance: 'Applied balance',
  amountDue: 'Amount due',
  amountPaid: 'Amount paid',
  draft: 'DRAFT',
  void: 'VOID',
  page: (page, pages) => `Page ${page} of ${pages}`,
};

const id: InvoicePdfLabels = {
  invoice: 'Faktur',
  invoiceNumber: 'Nomor faktur',
  dateOfIssue: 'Tanggal terbit',
  dateDue: 'Jatuh tempo',
  paidOn: 'Dibayar pada',
  billTo: 'Tagihan kepada',
  description: 'Deskripsi',
  qty: 'Kuantitas',
  amount: 'Jumlah',
  subtotal: 'Subtotal',
  discount: 'Diskon',
  tax: 'Pajak',
  inclusive: 'termasuk',
  total: 'Total',
  appliedBalance: 'Saldo yang digunakan',
  amountDue: 'Jumlah terutang',
  amountPaid: 'Jumlah dibayar',
  draft: 'DRAF',
  void: 'DIBATALKAN',
  page: (page, pages) => `Halaman ${page} dari ${pages}`,
};

const da: InvoicePdfLabels = {
  invoice: 'Faktura',
  invoiceNumber: 'Fakturanummer',
  dateOfIssue: 'Udstedelsesdato',
  dateDue: 'Forfaldsdato',
  paidOn: 'Betalt den',
  billTo: 'Faktureres til',
  description: 'Beskrivelse',
  qty: 'Antal',
  amount: 'Beløb',
  subtotal: 'Subtotal',
  discount: 'Rabat',
  tax: 'Skat',
  inclusive: 'inkl.',
  total: 'I alt',
  appliedBalance: 'Anvendt saldo',
  amountDue: 'Skyldigt beløb',
  amountPaid: 'Betalt beløb',
  draft: 'KLADDE',
  void: 'ANNULLERET',
  page: (page, pages) => `Side ${page} af ${pages}`,
};

const fr: InvoicePdfLabels = {
  invoice: 'Facture',
  invoiceNumber: 'Numéro de facture',
  dateOfIssue: 'Date d’émission',
  dateDue: 'Date d’échéance',
  paidOn: 'Payée le',
  billTo: 'Facturer à',
  description: 'Description',
  qty: 'Qté',
  amount: 'Montant',
  subtotal: 'Sous-total',
  discount: 'Remise',
  tax: 'Taxe',
  inclusive: 'incluse',
  total: 'Total',
  appliedBalance: 'Solde appliqué',
  amountDue: 'Montant dû',
  amountPaid: 'Montant payé',
  draft: 'BROUILLON',
  void: 'ANNULÉE',
  page: (page, pages) => `Page ${page} sur ${pages}`,
};

const it: InvoicePdfLabels = {
  invoice: 'Fattura',
  invoiceNumber: 'Numero fattura',
  dateOfIssue: 'Data di emissione',
  dateDue: 'Data di scadenza',
  paidOn: 'Pagata il',
  billTo: 'Fatturare a',
  description: 'Descrizione',
  qty: 'Qtà',
  amount: 'Importo',
  subtotal: 'Subtotale',
  discount: 'Sconto',
  tax: 'Imposta',
  inclusive: 'incl.',
  total: 'Totale',
  appliedBalance: 'Saldo applicato',
  amountDue: 'Importo dovuto',
  amountPaid: 'Importo pagato',
  draft: 'BOZZA',
  void: 'ANNULLATA',
  page: (page, pages) => `Pagina ${page} di ${pages}`,
};

export const ENGLISH_LABELS = en;

const byLanguage: Readonly<Record<string, InvoicePdfLabels>> = Object.freeze({ en, id, da, fr, it });

/** The labels for `locale`'s language subtag ("fr-FR" → fr), or null if there are none. */
export function labelsForLocale(locale: string): InvoicePdfLabels | null {
  const language = localeLanguage(locale);
  return Object.hasOwn(byLanguage, language) ? (byLanguage[language] ?? null) : null;
}

/** "fr-FR" → "fr"; tolerant of "fr_FR", which is not BCP 47 but turns up. */
export function localeLanguage(locale: string): string {
  return locale.split(/[-_]/)[0]?.toLowerCase() ?? '';
}
