import { period } from '../../../notifications/templates/copy.ts';
import type { PageCopy } from '../copy.ts';

/** Indonesian. */
export const id: PageCopy = {
  title: 'Perbarui kartu Anda',
  cardIntro: (business) => `Masukkan kartu yang ingin Anda gunakan untuk membayar ${business} mulai sekarang.`,
  invoiceIntro: ({ business, number, amount }) =>
    `${number ? `Pembayaran Anda sebesar ${amount} kepada ${business} untuk faktur ${number} tidak berhasil.` : `Pembayaran Anda sebesar ${amount} kepada ${business} tidak berhasil.`} Masukkan kartu dan kami akan langsung menagihnya.`,
  invoiceNumber: 'Nomor faktur',
  amountDue: 'Jumlah terutang',
  currentCard: 'Kartu tersimpan',
  cardLabel: 'Kartu',
  sandboxHint: 'Mode uji: masukkan nomor kartu uji seperti 4242 4242 4242 4242, atau metode pembayaran uji seperti pm_card_visa. Tidak ada kartu sungguhan yang ditagih.',
  sandboxBanner: 'Mode uji',
  submitPay: 'Simpan kartu dan bayar',
  submitSave: 'Simpan kartu',
  paid: ({ number, amount }) => (number ? `Terima kasih! Faktur ${number} sudah dibayar (${amount}).` : `Terima kasih! ${amount} sudah dibayar.`),
  saved: 'Kartu baru Anda sudah disimpan. Pembayaran berikutnya akan ditagihkan ke kartu ini.',
  paymentFailed: (message) => `Kartu Anda sudah disimpan, tetapi pembayaran tidak berhasil: ${message} Silakan coba kartu lain.`,
  refused: (message) => `Kartu ini tidak diterima: ${message} Silakan coba kartu lain.`,
  unknownCard: 'Kami tidak dapat membaca kartu tersebut. Periksa kembali yang Anda masukkan, lalu coba lagi.',
  alreadyPaid: (number) => `${number ? `Faktur ${number} sudah dibayar.` : 'Faktur ini sudah dibayar.'} Tidak ada lagi yang perlu dilakukan.`,
  noLongerDue: (number) => (number ? `Faktur ${number} tidak perlu dibayar lagi.` : 'Faktur ini tidak perlu dibayar lagi.'),
  unavailable: (business) => period(`Kartu belum dapat diperbarui di halaman ini. Silakan hubungi ${business}`),
  expiredTitle: 'Tautan ini sudah kedaluwarsa',
  expired: (business) => `Demi keamanan Anda, tautan pembaruan kartu hanya berlaku untuk waktu terbatas. Cari email yang lebih baru dari ${business} atau minta tautan baru kepada mereka.`,
  invalidTitle: 'Tautan ini tidak valid',
  invalid: 'Pastikan Anda membuka tautan lengkap dari email. Jika masih tidak berhasil, mintalah tautan baru.',
};
