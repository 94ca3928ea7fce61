/*
 * TEST DOUBLE of the AMP runtime's amp-list fetch and render. It is NOT the AMP runtime: the
 * browser tests serve it for amp-list-0.1.js (see ../support/amp-cdn.ts); AMP_RUNTIME_DIR serves
 * the real one instead.
 *
 * Imitates, for every amp-list[src] (amphtml extensions/amp-list/0.1/amp-list.js,
 * src/utils/xhr-utils.js; the request is the one amp-form makes, see amp-form-double.js):
 * - the request: GET `src` with `__amp_source_origin` in the query, `AMP-Same-Origin: true` only
 *   when `src` is on the page's own origin, `credentials: 'include'` when the element says so,
 *   `Accept: application/json`;
 * - the answer: `items` (default "items"; "." the whole JSON), `single-item`, each item rendered
 *   with the element's <template type="amp-mustache"> (variables, HTML-escaped; sections over
 *   lists, objects and true; inverted sections) into a `role="list"` container; the placeholder
 *   hidden once rendered, the fallback shown instead when the fetch fails;
 * - `on="submit-success:ID.refresh"` on a form: the list ID is fetched again after a success
 *   (amp-form-double.js dispatches `amp-test-double:submit-success` on the form).
 * Does NOT imitate: layout and resizing (no [overflow] handling), amp-bind bindings, load-more,
 * the `[src]` binding, diffing.
 */
/* global window, document, location, fetch, URL */
(() => {
  'use strict';
  if (window.__ampListTestDouble) return;
  window.__ampListTestDouble = true;

  const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // {{#name}}…{{/name}}, {{^name}}…{{/name}} and {{name}}: enough for the shop's templates.
  function render(template, data) {
    const section = /\{\{([#^])\s*([\w.]+)\s*\}\}([\s\S]*?)\{\{\/\s*\2\s*\}\}/;
    let out = template;
    for (let match = section.exec(out); match; match = section.exec(out)) {
      const [whole, kind, name, inner] = match;
      const value = data?.[name];
      const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
      let replacement = '';
      if (kind === '^') replacement = truthy ? '' : inner;
      else if (Array.isArray(value))
        replacement = value.map((item) => render(inner, item)).join('');
      else if (truthy)
        replacement = render(inner, typeof value === 'object' ? { ...data, ...value } : data);
      out = out.slice(0, match.index) + replacement + out.slice(match.index + whole.length);
    }
    return out.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name) =>
      data?.[name] == null ? '' : escapeHtml(data[name]),
    );
  }

  async function load(list) {
    const src = new URL(list.getAttribute('src'), document.baseURI);
    src.searchParams.set('__amp_source_origin', window.__ampSourceOrigin());
    const headers = { Accept: 'application/json' };
    if (src.origin === location.origin) headers['AMP-Same-Origin'] = 'true';
    const credentials = list.getAttribute('credentials') === 'include' ? 'include' : 'omit';
    const placeholder = list.querySelector(':scope > [placeholder]');
    const fallback = list.querySelector(':scope > [fallback]');
    list.classList.add('i-amphtml-element');
    try {
      const response = await fetch(src.href, { headers, credentials });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const json = await response.json();
      const path = list.getAttribute('items') ?? 'items';
      const found = path === '.' ? json : json?.[path];
      const items = list.hasAttribute('single-item') ? [found] : (found ?? []);
      const template = list.querySelector(':scope > template').innerHTML;
      list.querySelector(':scope > [role=list]')?.remove();
      const container = document.createElement('div');
      container.setAttribute('role', 'list');
      container.innerHTML = items.map((item) => render(template, item)).join('');
      list.appendChild(container);
      placeholder?.classList.add('amp-hidden');
      if (fallback) fallback.style.display = '';
    } catch (error) {
      console.error(`[amp-list test double] ${list.id || 'amp-list'}: ${error}`);
      placeholder?.classList.add('amp-hidden');
      if (fallback) fallback.style.display = 'block';
    }
  }

  // After a form's success: the lists its `on="submit-success:ID.refresh"` names load again.
  document.addEventListener('amp-test-double:submit-success', (event) => {
    const on = event.target.getAttribute('on') ?? '';
    const actions = /submit-success:([^;]*)/.exec(on)?.[1].split(',') ?? [];
    for (const action of actions) {
      const [, id] = /^\s*([\w-]+)\.refresh\s*$/.exec(action) ?? [];
      const list = id && document.getElementById(id);
      if (list?.tagName === 'AMP-LIST') load(list);
    }
  });

  // Async scripts all run before 'load': the form double has set window.__ampSourceOrigin.
  const start = () => document.querySelectorAll('amp-list[src]').forEach(load);
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start);
})();
