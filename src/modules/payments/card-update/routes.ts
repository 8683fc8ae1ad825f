/**
 * `GET /pay/card/<token>` and `POST` to the same URL: the page a payment-failed or
 * card-expiring email links to. Public (no login): the sealed token in the URL is the
 * capability (token.ts). Not an API route: HTML in, HTML out, never in the OpenAPI document.
 *
 * - Forged, altered or naming what is not there: 404. Expired (by the customer's clock, a test
 *   clock's in sandboxes): 410. Neither changes anything.
 * - Cross-site requests are refused: a POST must come from this page's origin (Origin, else
 *   Referer, when the browser sends them; the page's Referrer-Policy keeps them same-origin).
 * - A double submit is answered once: each rendering of the form carries a nonce, and the
 *   outcome is kept under it in the idempotency records, in the transaction that made it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../../db/database.ts';
import { randomBase62 } from '../../../lib/ids.ts';
import { parseForm } from '../../../lib/form.ts';
import type { SecretBox } from '../../../lib/secret-box.ts';
import type { RequestContext } from '../../../server/context.ts';
import { findStoredResponse, requestHash } from '../../../server/idempotency.ts';
import { flushPendingWrites, newPendingWrites } from '../../../server/unit-of-work.ts';
import { auditRow } from '../../audit/service.ts';
import type { Gateways } from '../gateways/registry.ts';
import { renderPage, type PageView } from './page.ts';
import { cardFormFor, loadTarget, submitCard, type CardUpdateTarget, type Outcome } from './service.ts';
import { linkExpired, openCardUpdateLink } from './token.ts';
import { expiredView, invalidView, outcomeStatus, targetView } from './view.ts';

export interface CardUpdatePageDeps {
  db: Kysely<Database>;
  gateways: Gateways;
  secrets: SecretBox;
  /** RECUR_PUBLIC_URL, whose origin a POST may come from (besides the request's own). */
  publicUrl: string | null;
}

export const CARD_UPDATE_PATH = '/pay/card/';

// Nothing on the page comes from elsewhere or runs; it cannot be framed (clickjacking), and
// the token in its URL never leaves in a Referer to another site.
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex',
};

const NONCE = /^[0-9A-Za-z]{24}$/;

/** Thrown inside the transaction when a concurrent submission of the same form committed first. */
class SubmittedMeanwhile extends Error {}

function send(reply: FastifyReply, status: number, view: PageView): FastifyReply {
  return reply.code(status).headers(HEADERS).send(renderPage(view));
}

/** The token: everything after /pay/card/ (a wildcard route: tokens are longer than the router's parameter limit). */
function tokenOf(request: FastifyRequest): string {
  return (request.params as Record<string, string>)['*'] ?? '';
}

/** A request context for the customer acting through their link (services need one, as the API's). */
function linkContext(request: FastifyRequest, deps: CardUpdatePageDeps, db: Executor, target: CardUpdateTarget, afterCommit: Array<() => void>): RequestContext {
  return {
    db,
    gateways: deps.gateways,
    secrets: deps.secrets,
    workspace: target.workspace,
    actor: { type: 'system', id: target.customer.id, label: 'customer via card-update link', role: 'customer_link' },
    requestId: request.id,
    idempotencyKey: null,
    ip: request.ip,
    pending: newPendingWrites(),
    afterCommit: (task) => afterCommit.push(task),
  };
}

/** Whether a POST comes from our own page, as far as the browser says where it comes from. */
function fromOurPage(request: FastifyRequest, publicUrl: string | null): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  const referer = request.headers.referer;
  let claimed: string | undefined = request.headers.origin;
  if (claimed === undefined && referer) {
    try {
      claimed = new URL(referer).origin;
    } catch {
      return false;
    }
  }
  // No Origin nor Referer: not a browser's cross-site form (browsers send Origin on POST).
  if (claimed === undefined) return true;
  const ours = new Set([`${request.protocol}://${request.host}`]);
  if (publicUrl) ours.add(new URL(publicUrl).origin);
  return ours.has(claimed);
}

function readForm(body: unknown): { card: string; nonce: string } | null {
  try {
    const form = parseForm(typeof body === 'string' ? body : '');
    const { card, nonce } = form;
    if (typeof card !== 'string' || typeof nonce !== 'string' || !NONCE.test(nonce) || card.length > 200) return null;
    return { card, nonce };
  } catch {
    return null;
  }
}

export function mountCardUpdatePage(app: FastifyInstance, deps: CardUpdatePageDeps): void {
  const { db } = deps;

  app.get(`${CARD_UPDATE_PATH}*`, async (request, reply) => {
    const link = openCardUpdateLink(deps.secrets, tokenOf(request));
    const target = link ? await loadTarget(db, link) : null;
    if (!target) return send(reply, 404, invalidView(request.headers['accept-language']));
    if (linkExpired(target.link, target.now)) return send(reply, 410, expiredView(target));
    const form = await cardFormFor(linkContext(request, deps, db, target, []));
    return send(reply, 200, targetView(target, { form, outcome: null, nonce: randomBase62(24) }));
  });

  app.post(`${CARD_UPDATE_PATH}*`, async (request, reply) => {
    const link = openCardUpdateLink(deps.secrets, tokenOf(request));
    if (!link) return send(reply, 404, invalidView(request.headers['accept-language']));
    if (!fromOurPage(request, deps.publicUrl)) return send(reply, 403, invalidView(request.headers['accept-language']));
    const submitted = readForm(request.body);
    const key = submitted ? `card_update:${submitted.nonce}` : '';
    const hash = requestHash('POST', CARD_UPDATE_PATH, { nonce: submitted?.nonce ?? '' });
    const afterCommit: Array<() => void> = [];

    // 404 and 410 come with no outcome: nothing was done.
    type Answer = { status: number; outcome: Outcome | null };
    let answer: Answer;
    try {
      answer = await db.transaction().execute(async (tx): Promise<Answer> => {
        const target = await loadTarget(tx, link, { lock: true });
        if (!target) return { status: 404, outcome: null };
        if (linkExpired(link, target.now)) return { status: 410, outcome: null };
        if (!submitted) return { status: 400, outcome: { kind: 'unknown_card' } };
        // The customer's row is locked: a first submission of this form has committed by now, or never will.
        const stored = await findStoredResponse(tx, link.workspaceId, key, hash);
        if (stored) return { status: stored.status, outcome: JSON.parse(stored.body) as Outcome };
        const ctx = linkContext(request, deps, tx, target, afterCommit);
        const outcome = await submitCard(ctx, target, submitted.card);
        const status = outcomeStatus(outcome);
        ctx.pending.audit.push(
          auditRow({
            account_id: target.workspace.accountId,
            workspace_id: target.workspace.id,
            actor_type: 'system',
            actor_id: target.customer.id,
            actor_label: ctx.actor.label,
            action: 'card_update.submitted',
            method: 'POST',
            // Never the token: it is the capability.
            path: CARD_UPDATE_PATH,
            object_id: target.invoice?.id ?? target.customer.id,
            status_code: status,
            ip: request.ip,
            request_id: request.id,
          }),
        );
        const idempotency = {
          workspace_id: target.workspace.id,
          key,
          request_hash: hash,
          method: 'POST',
          path: CARD_UPDATE_PATH,
          response_status: status,
          response_body: JSON.stringify(outcome),
        };
        if (!(await flushPendingWrites(tx, ctx.pending, { idempotency, commit: true }))) throw new SubmittedMeanwhile();
        return { status, outcome };
      });
    } catch (error) {
      if (!(error instanceof SubmittedMeanwhile)) throw error;
      const stored = await findStoredResponse(db, link.workspaceId, key, hash);
      if (!stored) throw error;
      answer = { status: stored.status, outcome: JSON.parse(stored.body) as Outcome };
    }
    for (const task of afterCommit) task();

    // Shown as things now stand (the invoice paid, or not), with a fresh form when another try makes sense.
    const target = await loadTarget(db, link);
    if (!target || answer.status === 404) return send(reply, 404, invalidView(request.headers['accept-language']));
    if (answer.status === 410) return send(reply, 410, expiredView(target));
    const form = await cardFormFor(linkContext(request, deps, db, target, []));
    return send(reply, answer.status, targetView(target, { form, outcome: answer.outcome, nonce: randomBase62(24) }));
  });
}
