// Builds each page's full document template at start-up: layout, partials, page body and the
// custom CSS become one string, so the AMP optimizer can see (and server-side render) the whole
// document once instead of once per request.
import fs from 'node:fs';
import { minify } from 'csso';
import path from 'node:path';
import type { OpeningAndClosingTags } from 'mustache';

/** `[% %]`, not `{{ }}`: pages also carry amp-mustache templates that must reach the browser. */
export const TAGS: OpeningAndClosingTags = ['[%', '%]'];

export const PAGES = [
  'home',
  'product',
  'cart',
  'message',
  'checkout',
  'order',
  'confirm-order',
  'contact',
] as const;
export type PageName = (typeof PAGES)[number];

/** AMP allows 75 KB of custom CSS per page; our own budget is 15 KB. */
export const CSS_BUDGET_BYTES = 15 * 1024;

const INCLUDE = /\[%>\s*([\w-]+)\s*%\]/g;
const MAX_INCLUDE_DEPTH = 8;

/**
 * Expands every `[%> name%]` include textually. Special names: `page` is the page's body
 * (views/pages/NAME.html), `page-head` its optional head additions (views/pages/NAME.head.html,
 * e.g. the extension scripts it needs), `styles` the custom CSS (`css`, from readCustomCss: read
 * and minified once for all pages); anything else is a partial.
 */
export function assembleDocument(viewsDir: string, page: PageName, css: string): string {
  const resolve = (name: string): string => {
    switch (name) {
      case 'page':
        return readView(viewsDir, 'pages', `${page}.html`);
      case 'page-head': {
        const file = path.join(viewsDir, 'pages', `${page}.head.html`);
        return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      }
      case 'styles':
        return css;
      default:
        return readView(viewsDir, 'partials', `${name}.html`);
    }
  };
  return expand(readView(viewsDir, 'layout.html'), resolve, 0);
}

/** Reads views/styles.css and refuses to start if it breaks AMP's CSS rules or our budget. */
export function readCustomCss(viewsDir: string): string {
  const file = path.join(viewsDir, 'styles.css');
  // Pages ship the minified CSS (comments and indentation stay in the source for readers); the
  // budget applies to what ships. `restructure: false` keeps the cascade exactly as written.
  const css = minify(fs.readFileSync(file, 'utf8'), { restructure: false }).css;
  const bytes = Buffer.byteLength(css, 'utf8');
  if (bytes > CSS_BUDGET_BYTES) {
    throw new Error(
      `${file} minifies to ${bytes} bytes; the custom CSS budget is ${CSS_BUDGET_BYTES} bytes (AMP's hard limit is 75 KB).`,
    );
  }
  if (css.includes('!important')) throw new Error(`${file}: AMP does not allow !important.`);
  if (css.includes('i-amphtml-')) throw new Error(`${file}: AMP reserves i-amphtml- names.`);
  return css;
}

function expand(template: string, resolve: (name: string) => string, depth: number): string {
  if (depth > MAX_INCLUDE_DEPTH) throw new Error('View includes nest too deep (a cycle?).');
  return template.replace(INCLUDE, (_tag, name: string) =>
    expand(resolve(name), resolve, depth + 1),
  );
}

function readView(viewsDir: string, ...segments: string[]): string {
  const file = path.join(viewsDir, ...segments);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Missing view ${file}: ${(err as Error).message}`, { cause: err });
  }
}
