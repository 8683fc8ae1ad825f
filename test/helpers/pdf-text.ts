/**
 * Reading the text back out of an uncompressed PDF made by pdfkit (invoice and credit note
 * PDFs rendered with `compress: false`).
 */

/** WinAnsi bytes 0x80–0x9F (\0 where unassigned); the rest is Latin-1. */
const WIN_ANSI_C1 = '€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ';

/**
 * The text runs drawn, one per line of text. pdfkit writes each line as a `[...] TJ` array of
 * hex strings (WinAnsi bytes) with kerning numbers between them: `[<41> 70 <56> 0] TJ`.
 */
export function shownText(pdf: Buffer): string[] {
  const runs: string[] = [];
  for (const [, array = ''] of pdf.toString('latin1').matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    const hex = [...array.matchAll(/<([0-9a-fA-F]*)>/g)].map((match) => match[1]).join('');
    const bytes = Buffer.from(hex, 'hex');
    const chars = [...bytes].map((byte) => (byte >= 0x80 && byte <= 0x9f ? WIN_ANSI_C1[byte - 0x80] : String.fromCharCode(byte)));
    runs.push(chars.join('').trimEnd());
  }
  return runs;
}
