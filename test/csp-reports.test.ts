// The CSP report endpoint: both report formats browsers send, reduced to three facts per
// violation (no query strings, addresses or user agents), a bounded log, a per-client limit, and a
// plain 400 for anything that is not a report.
import pino from 'pino';
import request from 'supertest';
import type { Shop } from '../server/app';
import { BoundedReportLog, readCspReport } from '../server/csp-reports';
import { testShop } from './helpers/shop';

const LEGACY = {
  'csp-report': {
    'document-uri': 'http://localhost:8080/checkout/place?pending=abc&sig=def#top',
    referrer: 'https://www.google.com/search?q=ana+lima',
    'violated-directive': 'script-src-elem',
    'effective-directive': 'script-src-elem',
    'original-policy': "script-src 'none'",
    disposition: 'enforce',
    'blocked-uri': 'https://evil.example/steal.js?email=ana@example.com',
    'status-code': 200,
    'script-sample': 'alert(document.cookie)',
  },
};

const REPORTING_API = [
  {
    type: 'csp-violation',
    age: 10,
    url: 'http://127.0.0.1:8081/c/localhost:8080/cart?x=1',
    user_agent: 'Mozilla/5.0',
    body: {
      documentURL: 'http://127.0.0.1:8081/c/localhost:8080/cart?x=1',
      effectiveDirective: 'connect-src',
      blockedURL: 'https://tracker.example/pixel?id=42',
      disposition: 'report',
      sample: 'secret',
    },
  },
  { type: 'deprecation', body: { id: 'x' } },
  { type: 'csp-violation', body: { effectiveDirective: 'script-src-elem', blockedURL: 'inline' } },
];

describe('readCspReport (pure)', () => {
  it('keeps the directive, the blocked origin and the page path; nothing else', () => {
    expect(readCspReport(LEGACY)).toEqual([
      {
        directive: 'script-src-elem',
        blocked: 'https://evil.example',
        page: '/checkout/place',
        disposition: 'enforce',
      },
    ]);
    expect(readCspReport(REPORTING_API)).toEqual([
      {
        directive: 'connect-src',
        blocked: 'https://tracker.example',
        page: '/c/localhost:8080/cart',
        disposition: 'report',
      },
      { directive: 'script-src-elem', blocked: 'inline', page: 'unknown', disposition: 'enforce' },
    ]);
  });

  it('reduces odd values to "unknown" and data: or blob: to the scheme', () => {
    const [odd] = readCspReport({
      'csp-report': {
        'violated-directive': "script-src 'self' https://cdn.ampproject.org/v0.js",
        'blocked-uri': 'data:text/javascript,alert(1)',
        'document-uri': '<script>',
      },
    })!;
    expect(odd).toEqual({
      directive: 'script-src',
      blocked: 'data:',
      page: 'unknown',
      disposition: 'enforce',
    });
    const [junk] = readCspReport({
      'csp-report': { 'effective-directive': 'EVIL\n{}', 'blocked-uri': 'javascript-ish junk' },
    })!;
    expect(junk).toMatchObject({ directive: 'unknown', blocked: 'unknown' });
  });

  it.each([undefined, null, 42, 'csp', [], {}, { 'csp-report': 'x' }, [{ type: 'deprecation' }]])(
    'finds no report in %p',
    (body) => {
      expect(readCspReport(body)).toBeUndefined();
    },
  );
});

describe('BoundedReportLog', () => {
  it('logs at most N a minute, then says how many it left out', () => {
    const lines: Array<Record<string, unknown>> = [];
    let now = 1_000_000;
    const log = new BoundedReportLog(
      { warn: (fields: object) => lines.push({ ...fields }) } as never,
      3,
      () => now,
    );
    const violation = {
      directive: 'script-src',
      blocked: 'inline',
      page: '/',
      disposition: 'enforce',
    } as const;
    for (let i = 0; i < 5; i++) log.log(violation);
    expect(lines).toHaveLength(3);
    now += 60_000;
    log.log(violation);
    expect(lines.slice(3)).toEqual([
      { event: 'csp-violation', skipped: 2 },
      { event: 'csp-violation', ...violation },
    ]);
  });
});

describe('POST /csp-reports', () => {
  let shop: Shop;
  let logs: Array<Record<string, unknown>>;
  beforeEach(async () => {
    logs = [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => logs.push(JSON.parse(line)) },
    );
    shop = await testShop({ RATE_LIMIT_REPORTS: '5' }, { logger });
  });
  const violations = () => logs.filter((line) => line.event === 'csp-violation');

  it.each([
    ['application/csp-report', LEGACY, 1],
    ['application/reports+json', REPORTING_API, 2],
    ['application/json', LEGACY, 1],
  ])('accepts %s: 204, one log line per violation, no session', async (type, body, count) => {
    const res = await request(shop.app)
      .post('/csp-reports')
      .set('Content-Type', type)
      .send(JSON.stringify(body))
      .expect(204);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(violations()).toHaveLength(count);
    const logged = JSON.stringify(violations());
    for (const secret of ['ana', 'pending=', 'sig', 'alert', 'secret', 'Mozilla', 'id=42']) {
      expect(logged).not.toContain(secret);
    }
  });

  it.each([
    ['malformed JSON', 'application/csp-report', '{"csp-report": '],
    ['not a report', 'application/json', '{"hello": "world"}'],
    ['a form', 'application/x-www-form-urlencoded', 'csp-report=1'],
    [
      'too large',
      'application/csp-report',
      JSON.stringify({ 'csp-report': { x: 'y'.repeat(20_000) } }),
    ],
  ])('refuses %s with a plain 400', async (_name, type, body) => {
    const res = await request(shop.app)
      .post('/csp-reports')
      .set('Content-Type', type)
      .send(body)
      .expect(400);
    expect(res.body).toEqual({ error: 'That is not a Content-Security-Policy report.' });
    expect(violations()).toHaveLength(0);
  });

  it('answers the Reporting API’s preflight from another origin (the local cache)', async () => {
    const res = await request(shop.app)
      .options('/csp-reports')
      .set('Origin', 'http://127.0.0.1:8081')
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toBe('Content-Type');
  });

  it('limits each client: over the limit a 429 with Retry-After, and nothing logged', async () => {
    const send = () =>
      request(shop.app)
        .post('/csp-reports')
        .set('Content-Type', 'application/csp-report')
        .send(JSON.stringify(LEGACY));
    for (let i = 0; i < 5; i++) await send().expect(204);
    const res = await send().expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(violations()).toHaveLength(5);
  });
});
