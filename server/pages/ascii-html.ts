// Pages go out as pure ASCII, every other character written as a reference the browser decodes
// to the same text. Why: one non-Latin-1 character (a ⚡ or a ’) makes V8 store the whole page as
// two-byte characters, and UTF-8-encoding the 36 KB product page then took ~70 µs per request;
// an ASCII page is encoded by a plain copy ('latin1' gives the same bytes as UTF-8) in ~15 µs.

const NON_ASCII = /[\u{80}-\u{10FFFF}]/gu;
const NON_ASCII_UNITS = /[\u0080-\uFFFF]/g;
const ANY_NON_ASCII = /[\u0080-\uFFFF]/;
const MARKUP_OR_NON_ASCII = /[&<>"'\u{80}-\u{10FFFF}]/gu;
const NEEDS_ESCAPING = /[&<>"'\u0080-\uFFFF]/;

/** True when every character is ASCII (so 'latin1' encoding gives the UTF-8 bytes). */
export function isAscii(text: string): boolean {
  return !ANY_NON_ASCII.test(text);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes a value for HTML text or a quoted attribute: the five characters markup needs, and
 * anything beyond ASCII as a reference ("和紙" becomes "&#x548C;&#x7D19;", "’" "&rsquo;").
 * Mustache's own escaping also rewrites `/` and `=`, which makes every URL unreadable.
 */
export function escapeHtml(value: unknown): string {
  const text = String(value);
  // Most values (prices, URLs, SKUs) need nothing: a plain test is ~3× cheaper than a replace.
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text.replace(MARKUP_OR_NON_ASCII, (char) => ESCAPES[char] ?? charRef(char));
}

// A whole <style> or <script> element (raw text: references are not decoded inside), or one
// character beyond ASCII anywhere else. Tag names are matched in lower case, as the AMP optimizer
// writes them (an `i` flag would also fold "k" and "s" into the non-ASCII range).
const RAW_TEXT_OR_NON_ASCII = /<(style|script)\b([^>]*)>([\s\S]*?)<\/\1\s*>|[\u{80}-\u{10FFFF}]/gu;

/**
 * Rewrites an HTML document (a page template, at start-up) to ASCII, without changing what the
 * browser shows: text and attribute values get character references; CSS gets CSS escapes; JSON
 * gets \u escapes. The AMP attribute `⚡` on <html> becomes its ASCII spelling `amp` (attribute
 * names are not decoded). Other scripts are left as they are (the page then simply stays UTF-8).
 */
export function asciiDocument(html: string): string {
  return html
    .replace(/(<html\b[^>]*?\s)⚡(?=[\s>])/u, '$1amp')
    .replace(RAW_TEXT_OR_NON_ASCII, (match, tag?: string, attributes = '', content = '') => {
      if (tag === undefined) return charRef(match);
      const open = `<${tag}${attributes}>`;
      const close = match.slice(open.length + content.length);
      return open + escapeRawText(tag, attributes, content) + close;
    });
}

function escapeRawText(tag: string, attributes: string, content: string): string {
  if (tag === 'style') {
    // A CSS escape: backslash, the hex code point, and a space that ends it.
    return content.replace(NON_ASCII, (char) => `\\${hex(char)} `);
  }
  if (/\btype=["']?application\/(ld\+)?json\b/i.test(attributes)) {
    return content.replace(
      NON_ASCII_UNITS,
      (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  return content;
}

// The typographic characters our copy uses keep a readable name in the page source.
const NAMED: Record<string, string> = {
  '\u00A0': '&nbsp;',
  '·': '&middot;',
  '×': '&times;',
  '–': '&ndash;',
  '—': '&mdash;',
  '‘': '&lsquo;',
  '’': '&rsquo;',
  '“': '&ldquo;',
  '”': '&rdquo;',
  '…': '&hellip;',
  '→': '&rarr;',
};

function charRef(char: string): string {
  return NAMED[char] ?? `&#x${hex(char)};`;
}

function hex(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase();
}
