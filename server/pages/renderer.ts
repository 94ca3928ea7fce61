// The page rendering pipeline. At start-up, once per page: assemble the document template,
// optimize it (server-side rendering of AMP layouts, boilerplate removal), rewrite it to ASCII
// and parse it. Per request only Mustache runs, on the parsed tokens, and the result is encoded.
import Mustache from 'mustache';
import { asciiDocument, escapeHtml, isAscii } from './ascii-html';
import { createOfflineOptimizer } from './optimizer';
import { assembleDocument, PAGES, readCustomCss, TAGS, type PageName } from './templates';
import type { PageViews } from './view-models';

export type { PageName } from './templates';

export interface PageRenderer {
  /** The page's HTML as UTF-8 bytes, ready for `res.send`. */
  render<P extends PageName>(page: P, view: PageViews[P]): Buffer;
}

interface CompiledPage {
  template: string;
  /** Mustache's parsed template (its published types disagree with its own renderTokens). */
  tokens: string[][];
  /** Every character it can produce is ASCII: 'latin1' then encodes it as a plain copy. */
  encoding: 'latin1' | 'utf8';
}

export async function createPageRenderer(viewsDir: string): Promise<PageRenderer> {
  const css = readCustomCss(viewsDir);
  // SeparateKeyframes moves @keyframes out of the head; without any it has nothing to do, and
  // leaving it out spares start-up loading its CSS minifier (~100 ms).
  const optimize = createOfflineOptimizer([], /keyframes/i.test(css) ? [] : ['SeparateKeyframes']);
  const pages = new Map<PageName, CompiledPage>();
  // One page after the other: the optimizer's log collection is per call.
  for (const page of PAGES) {
    const optimized = await optimize(assembleDocument(viewsDir, page, css));
    checkOptimized(page, optimized);
    pages.set(page, compile(asciiDocument(optimized)));
  }
  const writer = new Mustache.Writer();
  const options = { escape: escapeHtml };

  return {
    render(page, view) {
      const compiled = pages.get(page);
      if (compiled === undefined) throw new Error(`Unknown page ${page}`);
      // renderTokens, not Mustache.render: that one looks its parse cache up with the whole
      // 30 KB template as the key, on every call.
      const context = new Mustache.Context({ ...view, page });
      const html = writer.renderTokens(compiled.tokens, context, {}, compiled.template, options);
      return Buffer.from(html, compiled.encoding);
    },
  };
}

function compile(template: string): CompiledPage {
  const tokens = Mustache.parse(template, TAGS) as unknown as string[][];
  flattenText(tokens);
  // Escaped values come out ASCII (escapeHtml); unescaped ones or partials could bring anything.
  const ascii = isAscii(template) && !hasUnescapedOutput(tokens);
  return { template, tokens, encoding: ascii ? 'latin1' : 'utf8' };
}

/**
 * Mustache's parser builds each text token one character at a time (`text += char`), so a 10 KB
 * stretch of markup is a chain of 10,000 tiny strings. Each page rendered from them is then
 * walked leaf by leaf when it is encoded (~200 µs a page, measured). A flat copy of each text,
 * made once, makes encoding a plain copy (~10 µs).
 */
function flattenText(tokens: unknown[][]): void {
  for (const token of tokens) {
    if (token[0] === 'text') token[1] = Buffer.from(token[1] as string).toString();
    if (Array.isArray(token[4])) flattenText(token[4] as unknown[][]);
  }
}

/** `[%& x%]`, `[%{ x }%]` or a partial anywhere in the token tree. */
function hasUnescapedOutput(tokens: unknown[][]): boolean {
  return tokens.some(
    ([symbol, , , , children]) =>
      symbol === '&' ||
      symbol === '>' ||
      (Array.isArray(children) && hasUnescapedOutput(children as unknown[][])),
  );
}

/** Server-side rendering is the point of running the optimizer; make sure it happened. */
function checkOptimized(page: PageName, template: string): void {
  if (!/<html[^>]*\si-amphtml-no-boilerplate/.test(template)) {
    throw new Error(`The AMP optimizer could not remove the boilerplate of the ${page} page.`);
  }
}
