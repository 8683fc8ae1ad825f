/**
 * A real SMTP server in the test process (the `smtp-server` package) on a free port, keeping
 * every message it accepts; and just enough MIME reading to look at them (headers, encoded
 * words, base64 parts).
 */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  raw: string;
  /** Lowercase name → unfolded value (still MIME-encoded where the sender encoded it). */
  headers: Map<string, string>;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Refuses the next `times` messages to `address` with this SMTP reply (at RCPT TO). */
  refuse(address: string, times: number, responseCode: number, message: string): void;
  /** Runs when a message for `address` has been received, before the server answers it. */
  onMessage(address: string, listener: () => void): void;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const refusals = new Map<string, Array<{ responseCode: number; message: string }>>();
  const listeners = new Map<string, () => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals.get(address.address)?.shift();
      callback(refusal ? Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        received.push({ envelopeTo, raw, headers: parseHeaders(raw) });
        for (const address of envelopeTo) listeners.get(address)?.();
        callback(null);
      });
    },
  });
  // A client that drops its connection (a killed sender) is reported as the server's error,
  // which would crash the test process without a listener. It is the client's problem.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse(address, times, responseCode, message) {
      refusals.set(address, Array.from({ length: times }, () => ({ responseCode, message })));
    },
    onMessage(address, listener) {
      listeners.set(address, listener);
    },
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=) as text. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

/** The decoded bytes of each base64 part whose Content-Type starts with `contentType`. */
export function partsOfType(raw: string, contentType: string): Buffer[] {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  return parts
    .filter((part) => new RegExp(`^content-type:\\s*${contentType.replace('/', '\\/')}`, 'im').test(part))
    .map((part) => {
      const body = part.split(/\r?\n\r?\n/).slice(1).join('\n').split(/\r?\n--/)[0] ?? '';
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    });
}
