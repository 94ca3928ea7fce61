// What a real AMP cache does to a page it serves (docs/amp-protocol.md, "Cache URLs"), as an AMP
// optimizer transformer: relative URLs made absolute to the origin (so the form still posts to the shop),
// links opened in the top window, a noindex meta, and — for the demo — a banner saying where the
// person is, in place of the origin's "view this page from the AMP cache" link.
import { NodeUtils } from '@ampproject/toolbox-optimizer';

export interface CachePageParams {
  /** The origin URL of the page being served (relative URLs resolve against it). */
  pageUrl: string;
}

type Node = NodeUtils.Node;

const URL_ATTRIBUTES = ['href', 'src', 'action', 'action-xhr', 'poster'];
/** URLs the AMP runtime fetches with XHR: form actions, and amp-list's `src`. */
const XHR_URLS: Record<string, string[]> = { form: ['action', 'action-xhr'], 'amp-list': ['src'] };
const ORIGIN_ONLY_CLASS = 'origin-only';

export const CACHE_BANNER_TEXT =
  'Served by the local AMP cache — the shop’s cookies are third-party here.';

export class CacheModifications {
  transform(tree: Node, params: { localCachePage?: CachePageParams }): void {
    const page = params.localCachePage;
    if (!page) throw new Error('CacheModifications needs the localCachePage parameter');
    elementsOf(tree)
      .filter((node) => hasClass(node, ORIGIN_ONLY_CLASS))
      .forEach(NodeUtils.remove);
    for (const node of elementsOf(tree)) {
      absolutizeUrls(node, page.pageUrl);
      // Links leave the cache's frame; a link within the page (a skip link) stays in it.
      if (node.tagName === 'a' && !node.attribs?.target && !isSkipLink(node))
        NodeUtils.setAttribute(node, 'target', '_top');
    }
    const head = NodeUtils.firstChildByTag(NodeUtils.firstChildByTag(tree, 'html'), 'head');
    const body = NodeUtils.firstChildByTag(NodeUtils.firstChildByTag(tree, 'html'), 'body');
    if (!head || !body) throw new Error('The origin page has no <head> or <body>');
    NodeUtils.appendChild(
      head,
      NodeUtils.createElement('meta', { name: 'robots', content: 'noindex' }),
    );
    NodeUtils.insertBefore(body, banner(page.pageUrl), afterSkipLinks(body));
  }
}

/**
 * Where the banner goes: first in the body, but after the page's skip links ("Skip to content"),
 * which must stay the first thing a keyboard reaches.
 */
function afterSkipLinks(body: Node): Node | null {
  let node = body.firstChild ?? null;
  while (node && (!node.tagName || isSkipLink(node))) node = node.nextSibling ?? null;
  return node;
}

/** A link to a part of the same page ("Skip to content"). */
function isSkipLink(node: Node): boolean {
  return node.tagName === 'a' && (node.attribs?.href ?? '').startsWith('#');
}

/** A landmark of its own, so every part of the page sits in one. */
function banner(pageUrl: string): Node {
  const note = NodeUtils.createElement('aside', {
    class: 'cache-banner',
    'aria-label': 'AMP cache',
  });
  const text = NodeUtils.createElement('span', {});
  NodeUtils.insertText(text, `${CACHE_BANNER_TEXT} `);
  const link = NodeUtils.createElement('a', { href: pageUrl, target: '_top' });
  NodeUtils.insertText(link, 'Open this page on the shop’s own site');
  NodeUtils.appendChild(note, text);
  NodeUtils.appendChild(note, link);
  return note;
}

function absolutizeUrls(node: Node, base: string): void {
  for (const name of URL_ATTRIBUTES) {
    const value = node.attribs?.[name];
    if (value === undefined || !isRelative(value)) continue;
    const absolute = new URL(value, base).href;
    // The AMP validator refuses http: form actions and amp-list sources; a protocol-relative one
    // is valid, and on the http local cache it still means http://<origin>.
    const xhrOnHttp =
      (XHR_URLS[node.tagName ?? '']?.includes(name) ?? false) && absolute.startsWith('http:');
    NodeUtils.setAttribute(node, name, xhrOnHttp ? absolute.slice('http:'.length) : absolute);
  }
}

// Absolute (`https:`, `mailto:`), protocol-relative and fragment-only URLs stay as they are.
function isRelative(url: string): boolean {
  return (
    url !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//') && !url.startsWith('#')
  );
}

function hasClass(node: Node, name: string): boolean {
  return (node.attribs?.class ?? '').split(/\s+/).includes(name);
}

function elementsOf(tree: Node): Node[] {
  const elements: Node[] = [];
  for (let node = NodeUtils.nextNode(tree); node; node = NodeUtils.nextNode(node)) {
    if (node.attribs) elements.push(node);
  }
  return elements;
}
