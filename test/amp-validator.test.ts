/**
 * Proves the offline AMP validator helper works, and can fail.
 *
 * Verdicts recorded with the engine from next@15.5.29 (see scripts/fetch-amp-validator.ts):
 * - Any non-AMP <script> is reported as a malformed 'amphtml engine script', not as "custom
 *   JavaScript": MANDATORY_ATTR_MISSING / INVALID_ATTR_VALUE in <head>, WRONG_PARENT_TAG in <body>.
 * - A plain <img> is VALID AMP nowadays (no error, no warning); <iframe> is not.
 * - <form> (GET or POST) needs the amp-form extension script (MISSING_REQUIRED_EXTENSION); a POST
 *   form must use action-xhr (a relative URL is fine, http: is not); target is optional.
 * - Optimizer output PASSES: @ampproject/toolbox-optimizer (run offline, with its bundled runtime
 *   data) produces `<html ⚡ i-amphtml-layout i-amphtml-no-boilerplate transformed="self;v=1">`,
 *   inlines `<style amp-runtime>`, drops the boilerplate, server-side-lays-out amp-img
 *   (i-amphtml-layout, i-amphtml-sizer) and adds module/nomodule scripts; the validator accepts
 *   all of it with no errors or warnings. It does check transformed documents by their own rules:
 *   removing the inlined runtime styles FAILS with MANDATORY_TAG_MISSING 'style[amp-runtime]'.
 */
import http from 'node:http';
import https from 'node:https';
import { expectValidAmp, validateAmp } from './helpers/amp-validator';

interface Optimizer {
  transformHtml(html: string, params: Record<string, string>): Promise<string>;
}
interface RuntimeData {
  ampRuntimeVersion: string;
  ampRuntimeStyles: string;
}
/* eslint-disable @typescript-eslint/no-require-imports -- these packages ship no typings */
const AmpOptimizer = require('@ampproject/toolbox-optimizer') as {
  create(config: object): Optimizer;
};
const runtimeData = require('@ampproject/toolbox-optimizer/lib/runtimeData.json') as RuntimeData;
/* eslint-enable @typescript-eslint/no-require-imports */

const BOILERPLATE = [
  '<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;',
  '-moz-animation:-amp-start 8s steps(1,end) 0s 1 normal both;',
  '-ms-animation:-amp-start 8s steps(1,end) 0s 1 normal both;',
  'animation:-amp-start 8s steps(1,end) 0s 1 normal both}',
  '@-webkit-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}',
  '@-moz-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}',
  '@-ms-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}',
  '@-o-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}',
  '@keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}</style>',
  '<noscript><style amp-boilerplate>',
  'body{-webkit-animation:none;-moz-animation:none;-ms-animation:none;animation:none}',
  '</style></noscript>',
].join('');

/** The canonical minimal AMP page, with optional extra markup. */
function ampPage({ charset = true, head = '', body = '<h1>Hello</h1>' } = {}): string {
  return `<!doctype html>
<html ⚡ lang="en">
  <head>
    ${charset ? '<meta charset="utf-8">' : ''}
    <script async src="https://cdn.ampproject.org/v0.js"></script>
    ${head}
    <title>Hello, AMPs</title>
    <link rel="canonical" href="https://example.com/">
    <meta name="viewport" content="width=device-width">
    ${BOILERPLATE}
  </head>
  <body>
    ${body}
  </body>
</html>
`;
}

const AMP_FORM_SCRIPT =
  '<script async custom-element="amp-form" src="https://cdn.ampproject.org/v0/amp-form-0.1.js"></script>';
const CART_FORM =
  '<form method="post" action-xhr="/api/cart/add" target="_top">' +
  '<input type="hidden" name="sku" value="clip-1"><button type="submit">Add</button></form>';

const networkCalls = [http, https].flatMap((mod) => [
  jest.spyOn(mod, 'request'),
  jest.spyOn(mod, 'get'),
]);

beforeAll(async () => {
  await validateAmp(ampPage()); // creates the validator instance while the spies watch
}, 120_000);

afterAll(() => networkCalls.forEach((spy) => spy.mockRestore()));

test('loads the validator from the local cache, without any HTTP request', () => {
  for (const spy of networkCalls) expect(spy).not.toHaveBeenCalled();
});

test('the minimal AMP boilerplate page passes', async () => {
  await expect(validateAmp(ampPage())).resolves.toEqual({
    status: 'PASS',
    errors: [],
    warnings: [],
  });
  await expect(expectValidAmp(ampPage(), 'minimal page')).resolves.toBeUndefined();
});

// [name, expected error code, document]
test.each([
  [
    'custom inline <script> in head',
    'MANDATORY_ATTR_MISSING',
    ampPage({ head: '<script>1</script>' }),
  ],
  [
    'custom <script src> in head',
    'INVALID_ATTR_VALUE',
    ampPage({ head: '<script src="/a.js"></script>' }),
  ],
  ['custom <script> in body', 'WRONG_PARENT_TAG', ampPage({ body: '<script>var a = 1;</script>' })],
  ['missing <meta charset>', 'MANDATORY_TAG_MISSING', ampPage({ charset: false })],
  ['missing boilerplate', 'TAG_REQUIRED_BY_MISSING', ampPage().replace(BOILERPLATE, '')],
  ['<iframe>', 'MANDATORY_TAG_ANCESTOR_WITH_HINT', ampPage({ body: '<iframe src="/x"></iframe>' })],
  ['onclick attribute', 'DISALLOWED_ATTR', ampPage({ body: '<button onclick="go()">Go</button>' })],
  ['<form> without amp-form', 'MISSING_REQUIRED_EXTENSION', ampPage({ body: CART_FORM })],
  [
    'POST <form action> (not action-xhr)',
    'DISALLOWED_ATTR',
    ampPage({ head: AMP_FORM_SCRIPT, body: CART_FORM.replace('action-xhr', 'action') }),
  ],
  [
    'http: action-xhr',
    'INVALID_URL_PROTOCOL',
    ampPage({ head: AMP_FORM_SCRIPT, body: CART_FORM.replace('/api', 'http://example.com/api') }),
  ],
])('%s fails with %s', async (_name, code, html) => {
  const result = await validateAmp(html);
  expect(result.status).toBe('FAIL');
  expect(result.errors).toEqual(expect.arrayContaining([expect.stringContaining(` ${code} `)]));
});

test('errors read as "line:col CODE message (specUrl)"', async () => {
  const { errors } = await validateAmp(ampPage({ charset: false }));
  expect(errors).toEqual([
    expect.stringMatching(
      /^\d+:\d+ MANDATORY_TAG_MISSING The mandatory tag 'meta charset=utf-8' is missing or incorrect\. \(https:\/\/amp\.dev\/\S+\)$/,
    ),
  ]);
});

test('expectValidAmp throws with the label, the errors and the offending source line', async () => {
  await expect(expectValidAmp(ampPage({ body: CART_FORM }), 'cart page')).rejects.toThrow(
    /^cart page is not valid AMP \(1 error\(s\)\):\n {2}\d+:\d+ MISSING_REQUIRED_EXTENSION .*\n {6}> <form method="post"/,
  );
});

test('a plain <img> passes (the validator allows it now)', async () => {
  await expectValidAmp(ampPage({ body: '<img src="/clip.png" alt="A clip">' }), '<img> page');
});

test('the cart <form> passes with the amp-form extension script', async () => {
  await expectValidAmp(ampPage({ head: AMP_FORM_SCRIPT, body: CART_FORM }), 'cart form page');
});

describe('AMP Optimizer (server-side-rendered, transformed) output', () => {
  const source = ampPage({
    head: `${AMP_FORM_SCRIPT}<style amp-custom>h1{color:#c00}</style>`,
    body:
      '<h1>Clips</h1><amp-img src="/clip.png" width="4" height="3" layout="responsive" alt="A clip">' +
      `</amp-img>${CART_FORM}`,
  });
  let transformed = '';

  beforeAll(async () => {
    const optimizer = AmpOptimizer.create({
      autoExtensionImport: false,
      cache: false,
      fetch: () => Promise.reject(new Error('offline')),
    });
    const { ampRuntimeVersion, ampRuntimeStyles } = runtimeData;
    transformed = await optimizer.transformHtml(source, { ampRuntimeVersion, ampRuntimeStyles });
  });

  test('is really transformed', () => {
    expect(transformed).toContain('transformed="self;v=1"');
    expect(transformed).toMatch(/<html ⚡ lang="en" i-amphtml-layout i-amphtml-no-boilerplate /);
    expect(transformed).toContain('i-amphtml-layout="responsive"');
    expect(transformed).toContain('<style amp-runtime ');
    expect(transformed).not.toContain('amp-boilerplate');
  });

  test('passes the validator, with no warnings', async () => {
    await expect(validateAmp(transformed)).resolves.toEqual({
      status: 'PASS',
      errors: [],
      warnings: [],
    });
  });

  test('is checked by the transformed-document rules (no inlined runtime CSS fails)', async () => {
    const broken = transformed.replace(/<style amp-runtime[^>]*>[^<]*<\/style>/, '');
    const result = await validateAmp(broken);
    expect(result.status).toBe('FAIL');
    expect(result.errors).toEqual([
      expect.stringContaining("MANDATORY_TAG_MISSING The mandatory tag 'style[amp-runtime]'"),
    ]);
  });
});
