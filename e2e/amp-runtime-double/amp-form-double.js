/*
 * TEST DOUBLE of the AMP runtime's amp-form XHR submission. It is NOT the AMP runtime.
 *
 * The real runtime (https://cdn.ampproject.org/v0.js and its extensions) cannot be downloaded
 * here, so the browser tests serve this file for v0.js / v0.mjs and an empty script for
 * extensions. It runs in the real browser, so the browser's own cookie, CORS and navigation rules
 * apply to every request it makes. Set AMP_RUNTIME_DIR to run the same tests on the real runtime.
 *
 * Imitates, for every form[action-xhr] (amphtml extensions/amp-form/0.1/amp-form.js,
 * src/utils/xhr-utils.js, src/url.js; documented in ../shared/docs/amp-protocol.md §1.1–1.3 and
 * the "What the real AMP runtime sends" table of ../shared/docs/browser-testing.md):
 * - the request: multipart FormData (urlencoded if enctype says so), `__amp_source_origin` in the
 *   query, `AMP-Same-Origin: true` only when the action URL is on the page's own origin,
 *   `credentials: 'include'`, `Accept: application/json`; action-xhr must be https or localhost;
 * - the states: classes amp-form-submitting / -submit-success / -submit-error (and amp-form's CSS
 *   that shows only the current state), submits ignored while submitting, the [submit-success] /
 *   [submit-error] template rendered with the response JSON;
 * - AMP-Redirect-To: read with response.headers.get (so only when exposed cross-origin), after a
 *   success or an error response (never after a network/CORS failure); it must be absolute and
 *   https (or http on localhost, 127.0.0.1, *.localhost); then the TOP window navigates.
 * Does NOT imitate: amp-mustache beyond `{{name}}` (HTML-escaped; no sections, no `{{{raw}}}`),
 * amp-bind and `on=` actions (AMP.setState, AMP.navigateTo; amp-list-double.js handles
 * `submit-success:ID.refresh`), verify-xhr, custom validation,
 * amp-img or any other component, lifting the boilerplate's hiding of the body (our pages are
 * server-side rendered, and the tests check they are visible without it), viewers, AMP-to-AMP
 * navigation.
 */
/* global window, document, location, fetch, FormData, URL, URLSearchParams, CustomEvent */
(() => {
  'use strict';
  if (window.__ampFormTestDouble) return; // v0.js and v0.mjs may both run
  window.__ampFormTestDouble = true;

  const SOURCE_ORIGIN_PARAM = '__amp_source_origin';
  const STATES = ['initial', 'submitting', 'submit-success', 'submit-error'];
  // Like the runtime, a page may set AMP_CONFIG.cdnProxyRegex first; the default is Google's.
  const cdnProxyRegex = window.AMP_CONFIG?.cdnProxyRegex
    ? new RegExp(window.AMP_CONFIG.cdnProxyRegex)
    : /^https:\/\/([a-zA-Z0-9_-]+\.)?cdn\.ampproject\.org$/;
  const log = (message) => console.error(`[amp-form test double] ${message}`);

  const style = document.createElement('style');
  style.textContent =
    'form [submitting],form [submit-success],form [submit-error]{display:none}' +
    'form.amp-form-submitting [submitting],form.amp-form-submit-success [submit-success],' +
    'form.amp-form-submit-error [submit-error]{display:block}';
  document.head.appendChild(style);

  // getSourceOrigin: on a cache (decided by cdnProxyRegex alone) the publisher origin comes from
  // the path `/{c|v|a|ad}/[s/]<host>/…`; anywhere else, our local cache included, the page origin.
  function sourceOrigin() {
    if (!cdnProxyRegex.test(location.origin)) return location.origin;
    const match = /^\/(c|v|a|ad)\/(s\/)?([^/]+)/.exec(location.pathname);
    if (!match?.[3].includes('.')) throw new Error(`Expected a . in origin ${location.href}`);
    return (match[2] ? 'https://' : 'http://') + decodeURIComponent(match[3]);
  }

  // Shared with amp-list-double.js, which sends the same parameter.
  window.__ampSourceOrigin = sourceOrigin;

  const isSecure = ({ protocol, hostname: host }) =>
    protocol === 'https:' ||
    ['localhost', '127.0.0.1'].includes(host) ||
    host.endsWith('.localhost');

  function setState(form, state) {
    for (const name of STATES) form.classList.remove(`amp-form-${name}`);
    form.classList.add(`amp-form-${state}`);
    for (const old of form.querySelectorAll('[i-amphtml-rendered]')) old.remove();
  }

  const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // Fills the [submit-success] / [submit-error] container's <template> with the JSON.
  function render(form, state, data) {
    const container = form.querySelector(`[${state}]`);
    const template = container?.querySelector('template');
    if (!template) return;
    const rendered = document.createElement('div');
    rendered.setAttribute('i-amphtml-rendered', '');
    rendered.innerHTML = template.innerHTML.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name) =>
      data?.[name] == null ? '' : escapeHtml(data[name]),
    );
    container.appendChild(rendered);
  }

  // maybeHandleRedirect_: the header must be readable, target not _blank, absolute https/localhost.
  function maybeRedirect(form, response) {
    const value = response.headers.get('AMP-Redirect-To');
    if (!value) return;
    if (form.getAttribute('target') === '_blank') {
      log('Redirecting to target=_blank using AMP-Redirect-To is currently not supported');
    } else if (!/^https?:/i.test(value) || !isSecure(new URL(value))) {
      log(
        `The \`AMP-Redirect-To\` header value must be an absolute URL starting with https://. Found ${value}`,
      );
    } else {
      window.top.location.href = value;
    }
  }

  async function submit(form) {
    const attr = form.getAttribute('action-xhr');
    const action = new URL(attr, document.baseURI);
    if (!(isSecure(action) || attr.startsWith('//')) || cdnProxyRegex.test(action.origin)) {
      return log(`action-xhr must be https (or localhost) and not on the AMP CDN: ${attr}`);
    }
    if (action.searchParams.has(SOURCE_ORIGIN_PARAM)) {
      return log(`Source origin is not allowed in ${action.href}`);
    }
    const method = (form.getAttribute('method') || 'GET').toUpperCase();
    const fields = new FormData(form);
    const headers = { Accept: 'application/json' };
    let body;
    if (method === 'GET') {
      for (const [name, value] of fields) action.searchParams.append(name, value);
    } else if (form.getAttribute('enctype') === 'application/x-www-form-urlencoded') {
      body = new URLSearchParams(fields).toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded;charset=utf-8';
    } else {
      body = fields; // multipart: the browser writes the boundary
    }
    const param = `${SOURCE_ORIGIN_PARAM}=${encodeURIComponent(sourceOrigin())}`;
    const base = action.href.replace(/#.*$/, '');
    const url = `${base}${base.includes('?') ? '&' : '?'}${param}${action.hash}`;
    if (action.origin === (window.origin || location.origin)) headers['AMP-Same-Origin'] = 'true';

    setState(form, 'submitting');
    let response;
    try {
      response = await fetch(url, { method, body, headers, credentials: 'include' });
    } catch (error) {
      // Network or CORS failure: no response, so nothing to render and no redirect.
      log(`Form submission failed: ${error}`);
      setState(form, 'submit-error');
      return render(form, 'submit-error', null);
    }
    if (response.ok) {
      const json = await response.json().catch(() => undefined);
      if (json === undefined) {
        log('Failed to parse response JSON'); // the form stays "submitting", the redirect still runs
      } else {
        setState(form, 'submit-success');
        render(form, 'submit-success', json);
        // For amp-list-double.js: `on="submit-success:ID.refresh"`.
        form.dispatchEvent(new CustomEvent('amp-test-double:submit-success', { bubbles: true }));
      }
    } else {
      const json = await response.json().catch(() => null);
      setState(form, 'submit-error');
      render(form, 'submit-error', json);
    }
    maybeRedirect(form, response);
  }

  const markInitial = () =>
    document.querySelectorAll('form[action-xhr]').forEach((form) => setState(form, 'initial'));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', markInitial);
  else markInitial();

  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!form.matches?.('form[action-xhr]')) return;
      event.preventDefault();
      if (!form.classList.contains('amp-form-submitting')) submit(form);
    },
    true,
  );
})();
