// Step 4's gate for origin links that act when opened (applying a cart change): the
// signature, then the expiry, then single use — all before anything changes.
import type { Response } from 'express';
import { paths } from '../paths';
import type { LinkRefusal } from './flow-events';
import type { NonceStore } from '../stores/nonce-store';
import type { Problem, ShowProblem } from '../amp/problem';
import type { LinkTicket, TicketCheck } from '../amp/signed-link';

/** What to tell the person when their link was altered, is too old, or the server is too busy. */
export interface LinkProblems {
  forged: Problem;
  expired: Problem;
  busy: Problem;
}

/** The three problems with their usual titles, all pointing the person to `link`. */
export function linkProblems(
  link: Problem['link'],
  messages: Record<keyof LinkProblems, string>,
): LinkProblems {
  return {
    forged: { title: 'That link is not valid', message: messages.forged, link },
    expired: { title: 'That link has expired', message: messages.expired, link },
    busy: { title: 'Please try again in a moment', message: messages.busy, link },
  };
}

/** What every origin-link handler needs for its gate. */
export interface AdmitLinkDeps {
  /** The record of links already used. */
  nonces: NonceStore;
  showProblem: ShowProblem;
  now?: () => number;
}

/** 'admitted' when the link may act now; otherwise why not, and the response is on its way. */
export async function admitLink(
  res: Response,
  check: TicketCheck,
  ticket: LinkTicket,
  deps: AdmitLinkDeps,
  problems: LinkProblems,
): Promise<'admitted' | LinkRefusal> {
  if (check === 'forged') {
    deps.showProblem(res, 400, problems.forged);
    return 'forged';
  }
  if (check === 'expired') {
    deps.showProblem(res, 410, problems.expired);
    return 'expired';
  }
  const use = await deps.nonces.consume(ticket.nonce, ticket.exp * 1000);
  if (use === 'replayed') {
    // Already used (a reload, the back button, a shared link): just show the cart.
    res.redirect(303, paths.cart);
    return 'replayed';
  }
  if (use === 'busy') {
    deps.showProblem(res, 503, problems.busy);
    return 'busy';
  }
  return 'admitted';
}
