// Turns a flow trace into the rows of the cart page's trace panel: which path the last change took
// and why, in the article's terms, with the server time of each hop and the browser's time between.
import type { FlowTrace, TraceStep } from '../flow/flow-trace';
import { paths } from '../paths';

export interface TraceRow {
  title: string;
  detail: string;
  timing?: string;
}

export interface TraceView {
  change: string;
  /** "Applied directly" or "Redirected to the origin". */
  path: string;
  rows: TraceRow[];
  total?: string;
}

export function traceView(trace: FlowTrace): TraceView {
  const rows: TraceRow[] = [];
  let previous: TraceStep | undefined;
  for (const step of trace.steps) {
    rows.push(describe(step, previous));
    previous = step;
  }
  const first = trace.steps[0];
  const last = trace.steps[trace.steps.length - 1];
  const redirected = first?.step === 'post' && first.outcome === 'redirected';
  return {
    change: trace.change,
    path: redirected ? 'Redirected to the origin' : 'Applied directly',
    rows,
    total: first && last && last !== first ? ms(last.at - first.at) : undefined,
  };
}

function describe(step: TraceStep, previous: TraceStep | undefined): TraceRow {
  const gap = previous ? ` · ${ms(step.at - previous.at)} since the last hop` : '';
  switch (step.step) {
    case 'post':
      return {
        title: `Form posted from a page served by ${step.servedBy === 'cache' ? 'an AMP cache' : 'the shop’s origin'}`,
        detail:
          `${step.pageOrigin} · session cookie ${step.cookie ? 'sent' : 'not sent'} · ` +
          `AMP-Same-Origin ${step.ampSameOrigin ? 'present' : 'absent'} → ` +
          (step.outcome === 'applied'
            ? 'the change was applied to your cart directly'
            : 'no way to find your cart, so the answer was AMP-Redirect-To'),
        timing: `server ${ms(step.serverMs)}`,
      };
    case 'apply':
      return {
        title: 'Apply path on the origin (a top-level visit: the cookie is first-party)',
        detail: `session cookie ${step.cookie ? 'read' : 'created'}, signature and expiry checked, change applied, 303 to a clean URL`,
        timing: `server ${ms(step.serverMs)}${gap}`,
      };
    case 'cookie-check':
      return {
        title: 'Cookie check',
        detail: 'your browser kept the new session cookie',
        timing: gap.slice(3) || undefined,
      };
    case 'cart':
      return {
        title: 'Clean cart URL',
        detail: `${paths.cart}, no query string`,
        timing: gap.slice(3) || undefined,
      };
  }
}

function ms(value: number): string {
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}
