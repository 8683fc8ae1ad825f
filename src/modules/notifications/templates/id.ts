import { period, type EmailCopy } from './copy.ts';

/** Indonesian. */
export const id: EmailCopy = {
  colon: ': ',
  greeting: (name) => (name ? `Halo ${name},` : 'Halo,'),
  closing: 'Terima kasih,',
  footer: (business) => period(`Anda menerima email ini karena Anda adalah pelanggan ${business}`),
  receipt: ({ business, number, amount, date }) => ({
    subject: number ? `Tanda terima pembayaran dari ${business} (${number})` : `Tanda terima pembayaran dari ${business}`,
    heading: 'Pembayaran diterima',
    paragraphs: [`${period(`Kami telah menerima pembayaran Anda sebesar ${amount}`)} Terima kasih!`],
    facts: [
      ['Jumlah dibayar', amount],
      ['Tanggal pembayaran', date],
      ['Nomor faktur', number],
    ],
  }),
  invoice: ({ business, number, amount, due }) => ({
    subject: `Faktur baru ${number} dari ${business}`,
    heading: `Faktur ${number}`,
    paragraphs: [
      period(`${business} telah mengirimkan faktur ${number} kepada Anda sebesar ${amount}`),
      due ? `Mohon lakukan pembayaran paling lambat ${due}.` : 'Faktur ini harus dibayar saat diterima.',
      'Faktur terlampir dalam format PDF.',
    ],
    facts: [
      ['Jumlah terutang', amount],
      ['Jatuh tempo', due],
      ['Nomor faktur', number],
    ],
  }),
  paymentFailed: ({ business, number, amount, nextAttempt, reason }) => ({
    subject: `Pembayaran Anda kepada ${business} gagal`,
    heading: 'Pembayaran gagal',
    paragraphs: [
      number
        ? `Kami tidak dapat menagih ${amount} ke kartu Anda untuk faktur ${number}.`
        : `Kami tidak dapat menagih ${amount} ke kartu Anda.`,
      nextAttempt
        ? `Kami akan mencoba lagi pada ${nextAttempt}. Agar langganan Anda tetap berjalan, mohon perbarui kartu Anda sebelum tanggal tersebut.`
        : 'Mohon perbarui kartu Anda agar kami dapat menerima pembayaran.',
    ],
    facts: [
      ['Jumlah terutang', amount],
      ['Nomor faktur', number],
      ['Percobaan berikutnya', nextAttempt],
      ['Alasan', reason],
    ],
    action: 'Perbarui kartu Anda',
  }),
  cardExpiring: ({ business, brand, last4, expiry }) => ({
    subject: `Kartu Anda yang berakhiran ${last4} akan segera kedaluwarsa`,
    heading: 'Kartu Anda akan kedaluwarsa',
    paragraphs: [
      `Kartu ${brand} berakhiran ${last4} yang Anda gunakan untuk membayar ${business} akan kedaluwarsa pada akhir ${expiry}.`,
      'Mohon tambahkan kartu baru agar langganan Anda tetap berjalan.',
    ],
    facts: [
      ['Kartu', `${brand} •••• ${last4}`],
      ['Berlaku hingga', expiry],
    ],
    action: 'Perbarui kartu Anda',
  }),
  refund: ({ business, number, amount }) => ({
    subject: `Pengembalian dana dari ${business}`,
    heading: 'Dana telah dikembalikan',
    paragraphs: [
      number
        ? `${business} telah mengembalikan dana sebesar ${amount} kepada Anda untuk faktur ${number}.`
        : `${business} telah mengembalikan dana sebesar ${amount} kepada Anda.`,
      'Mungkin perlu beberapa hari kerja sampai dana tersebut muncul di rekening Anda.',
    ],
    facts: [
      ['Jumlah dikembalikan', amount],
      ['Nomor faktur', number],
    ],
  }),
  webhookEndpointDisabled: ({ url, since }) => ({
    subject: `Endpoint webhook dinonaktifkan: ${url}`,
    heading: 'Endpoint webhook dinonaktifkan',
    paragraphs: [
      period(`Recur tidak dapat mengirim event ke ${url} sejak ${since}, sehingga pengiriman ke endpoint tersebut dihentikan`),
      'Perbaiki endpoint tersebut, lalu aktifkan kembali di dasbor (Developers → Webhooks). Event berikutnya akan dikirim ke sana; pengiriman yang gagal dapat dikirim ulang dari log pengirimannya.',
    ],
    facts: [
      ['Endpoint', url],
      ['Gagal sejak', since],
    ],
    action: 'Buka endpoint',
  }),
  teamFooter: 'Anda menerima email ini karena Anda adalah pemilik akun Recur ini.',
};
