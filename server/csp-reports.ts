// Browsers report Content-Security-Policy violations here: `report-uri` posts one
// `application/csp-report` object, `report-to` (the Reporting API) a list of
// `application/reports+json` reports. Each violation becomes one log line with three facts —
// which directive, the blocked resource's origin (or a keyword such as `inline`), the page's path —
// and nothing else: no query strings, no addresses, no user agent. Anyone can post here, so the
// body is small, each client is rate-limited (rate-limits.ts), and the log takes at most
// MAX_LOGGED_PER_MINUTE lines a minute, then one line saying how many more there were.
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from './logger';

export interface CspViolation {
  directive: string;
  blocked: string;
  page: string;
  disposition: 'enforce' | 'report';
}

const MAX_BODY_BYTES = 16 * 1024;
/** The most violations read from one Reporting API post. */
const MAX_PER_POST = 20;
export const MAX_LOGGED_PER_MINUTE = 100;
const REPORT_TYPES = ['application/csp-report', 'application/reports+json', 'application/json'];
const NOT_A_REPORT = 'That is not a Content-Security-Policy report.';

// Browser keywords for what was blocked (CSP3 "blocked-uri" values that are not URLs).
const KEYWORDS = new Set([
  'inline',
  'eval',
  'wasm-eval',
  'trusted-types-policy',
  'trusted-types-sink',
]);

const text = z.string().max(4096);
// report-uri: {"csp-report": {"document-uri", "effective-directive", "blocked-uri", …}}
const legacyReport = z.object({
  'csp-report': z.object({
    'document-uri': text.optional(),
    'effective-directive': text.optional(),
    'violated-directive': text.optional(),
    'blocked-uri': text.optional(),
    disposition: text.optional(),
  }),
});
// report-to: [{"type": "csp-violation", "body": {"documentURL", "effectiveDirective", …}}, …]
const reportingApiReports = z
  .array(
    z.object({
      type: text,
      body: z
        .object({
          documentURL: text.optional(),
          effectiveDirective: text.optional(),
          blockedURL: text.optional(),
          disposition: text.optional(),
        })
        .optional(),
    }),
  )
  .max(100);

/** The violations a report body describes, reduced to what is safe to log; undefined if none. */
export function readCspReport(body: unknown): CspViolation[] | undefined {
  const legacy = legacyReport.safeParse(body);
  if (legacy.success) {
    const report = legacy.data['csp-report'];
    return [
      violation(
        report['effective-directive'] ?? report['violated-directive'],
        report['blocked-uri'],
        report['document-uri'],
        report.disposition,
      ),
    ];
  }
  const list = reportingApiReports.safeParse(body);
  if (!list.success) return undefined;
  const violations = list.data
    .filter((report) => report.type === 'csp-violation' && report.body)
    .slice(0, MAX_PER_POST)
    .map(({ body: report }) =>
      violation(
        report?.effectiveDirective,
        report?.blockedURL,
        report?.documentURL,
        report?.disposition,
      ),
    );
  return violations.length > 0 ? violations : undefined;
}

function violation(
  directive: string | undefined,
  blocked: string | undefined,
  page: string | undefined,
  disposition: string | undefined,
): CspViolation {
  // "script-src-elem" or, from older browsers, "script-src https://… 'self'": the name only.
  const name = (directive ?? '').trim().split(/\s+/)[0];
  return {
    directive: /^[a-z][a-z-]{0,39}$/.test(name) ? name : 'unknown',
    blocked: blockedOrigin(blocked),
    page: pathOf(page),
    disposition: disposition === 'report' ? 'report' : 'enforce',
  };
}

/** A keyword, a scheme (data:, blob:) or an origin: never a path or a query. */
function blockedOrigin(blocked: string | undefined): string {
  const value = (blocked ?? '').trim();
  if (KEYWORDS.has(value)) return value;
  if (!URL.canParse(value)) return 'unknown';
  const url = new URL(value);
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  return /^[a-z][a-z0-9+.-]{0,19}:$/.test(url.protocol) ? url.protocol : 'unknown';
}

function pathOf(page: string | undefined): string {
  if (!page || !URL.canParse(page)) return 'unknown';
  return new URL(page).pathname.slice(0, 200);
}

/** At most `perMinute` lines a minute; then, once the minute is over, how many were left out. */
export class BoundedReportLog {
  private windowStart = 0;
  private logged = 0;
  private skipped = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly perMinute = MAX_LOGGED_PER_MINUTE,
    private readonly now: () => number = Date.now,
  ) {}

  log(violation: CspViolation): void {
    const now = this.now();
    if (now - this.windowStart >= 60_000) {
      if (this.skipped > 0) {
        this.logger.warn(
          { event: 'csp-violation', skipped: this.skipped },
          'CSP reports not logged',
        );
      }
      this.windowStart = now;
      this.logged = 0;
      this.skipped = 0;
    }
    if (this.logged >= this.perMinute) {
      this.skipped++;
      return;
    }
    this.logged++;
    this.logger.warn({ event: 'csp-violation', ...violation }, 'Content-Security-Policy violation');
  }
}

/**
 * OPTIONS paths.cspReports: the Reporting API asks first when the page is on another origin (the
 * local AMP cache).
 */
export const cspReportPreflight: RequestHandler = (_req, res) => {
  res
    .status(204)
    .set({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'Content-Type',
      'Access-Control-Max-Age': '86400',
    })
    .end();
};

/** POST paths.cspReports: each violation to the log (at most so many a minute). */
export function cspReportApi(log: BoundedReportLog): RequestHandler {
  const readJson = express.json({ type: REPORT_TYPES, limit: MAX_BODY_BYTES, strict: false });
  return (req, res) => {
    res.set('Cache-Control', 'no-store');
    readJson(req, res, (error?: unknown) => {
      const violations = error ? undefined : readCspReport(req.body);
      if (!violations) {
        res.status(400).json({ error: NOT_A_REPORT });
        return;
      }
      for (const one of violations) log.log(one);
      res.status(204).end();
    });
  };
}
