// A small Content-Security-Policy matcher for tests (the parts of CSP Level 3 the shop's policy
// uses): does this policy let a page at `pageUrl` use `url` for `directive`?

export type Policy = Map<string, string[]>;

export function parsePolicy(header: string): Policy {
  const policy: Policy = new Map();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

const FALLS_BACK = ['script-src', 'style-src', 'img-src', 'connect-src', 'font-src', 'worker-src'];

export function allows(policy: Policy, directive: string, url: string, pageUrl: string): boolean {
  const sources =
    policy.get(directive) ??
    (FALLS_BACK.includes(directive) ? policy.get('default-src') : undefined);
  if (!sources) return true;
  const target = new URL(url, pageUrl);
  const page = new URL(pageUrl);
  return sources.some((source) => matches(source, target, page));
}

function matches(source: string, target: URL, page: URL): boolean {
  if (source === "'self'") return target.origin === page.origin;
  if (source.startsWith("'")) return false; // 'none', 'unsafe-inline' … match no URL
  if (/^[a-z][a-z0-9+.-]*:$/.test(source)) return target.protocol === source;
  const expression = new URL(source);
  const schemeOk =
    target.protocol === expression.protocol ||
    (expression.protocol === 'http:' && target.protocol === 'https:');
  if (!schemeOk || target.host !== expression.host) return false;
  const path = expression.pathname;
  if (path === '/' && !source.endsWith('/')) return true; // no path in the source
  return path.endsWith('/') ? target.pathname.startsWith(path) : target.pathname === path;
}

/** Every URL an AMP page makes the browser load or send to, by CSP directive. */
export function pageResources(html: string): Array<{ directive: string; url: string }> {
  const found: Array<{ directive: string; url: string }> = [];
  const collect = (directive: string, pattern: RegExp) => {
    for (const match of html.matchAll(pattern)) found.push({ directive, url: match[1] });
  };
  collect('script-src', /<script\b[^>]*\bsrc="([^"]+)"/g);
  collect('img-src', /<(?:amp-img|img)\b[^>]*\bsrc="([^"]+)"/g);
  collect('connect-src', /<amp-list\b[^>]*\bsrc="([^"]+)"/g);
  collect('connect-src', /<form\b[^>]*\baction-xhr="([^"]+)"/g);
  collect('form-action', /<form\b[^>]*\baction-xhr="([^"]+)"/g);
  return found;
}

/** Scripts the browser would run that come from no URL: CSP without 'unsafe-inline' blocks them. */
export function inlineScripts(html: string): string[] {
  const scripts = html.match(/<script\b(?![^>]*\bsrc=)[^>]*>/g) ?? [];
  return scripts.filter((tag) => !/type="application\/(ld\+)?json"/.test(tag));
}
