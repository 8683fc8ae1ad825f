/**
 * The other ends of what the killed workers send: a real SMTP server (test/helpers/smtp.ts)
 * for their mail, and an HTTP server for the webhook endpoint, which answers 200 to every
 * request and keeps what each carried. Both run in the test's process, so a worker killed
 * mid-send leaves them with what it had sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

export interface ReceivedWebhook {
  eventId: string;
  type: string;
  /** The Stripe-Signature header is the endpoint secret's signature of this body. */
  signed: boolean;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in the order they came. */
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

export interface Receivers {
  smtp: TestSmtpServer;
  webhooks: WebhookReceiver;
  close(): Promise<void>;
}

/**
 * How long the endpoint takes to answer, as a real one does (it has work to do): a kill just
 * after it received an event then finds the delivery still unrecorded, as it would in
 * production, rather than racing a local answer that takes a millisecond.
 */
const ANSWER_AFTER_MS = 50;

export async function startReceivers(webhookSecret: string): Promise<Receivers> {
  const [smtp, webhooks] = await Promise.all([startSmtpServer(), startWebhookReceiver(webhookSecret)]);
  return { smtp, webhooks, close: async () => void (await Promise.all([smtp.close(), webhooks.close()])) };
}

/** Stripe's scheme (`t=<seconds>,v1=<HMAC-SHA256 of "t.body">`), as constructEvent checks it, less its clock tolerance: phase 2's workers sign a day ahead. */
function signedBy(secret: string, header: string | undefined, body: string): boolean {
  const parts = new Map((header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A worker killed mid-request: nothing complete arrived, nothing to keep.
    request.on('error', () => undefined);
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: { id?: unknown; type?: unknown } = {};
      try {
        event = JSON.parse(body) as typeof event;
      } catch {
        // Kept with an empty id: the checks report it as a request for no event.
      }
      received.push({
        eventId: typeof event.id === 'string' ? event.id : '',
        type: typeof event.type === 'string' ? event.type : '',
        signed: signedBy(secret, request.headers['stripe-signature'] as string | undefined, body),
      });
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'), ANSWER_AFTER_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
