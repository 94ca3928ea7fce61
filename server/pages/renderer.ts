// The page rendering pipeline. At start-up, once per page: assemble the document template,
// optimize it (server-side rendering of AMP layouts, boilerplate removal) and parse it. Per
// request only Mustache.render runs, on the already optimized template.
import Mustache from 'mustache';
import { createOfflineOptimizer } from './optimizer';
import { assembleDocument, PAGES, TAGS, type PageName } from './templates';
import type { PageViews } from './view-models';

export type { PageName } from './templates';

export interface PageRenderer {
  render<P extends PageName>(page: P, view: PageViews[P]): string;
}

export async function createPageRenderer(viewsDir: string): Promise<PageRenderer> {
  const optimize = createOfflineOptimizer();
  const templates = new Map<PageName, string>();
  // One page after the other: the optimizer's log collection is per call.
  for (const page of PAGES) {
    const template = await optimize(assembleDocument(viewsDir, page));
    checkOptimized(page, template);
    Mustache.parse(template, TAGS);
    templates.set(page, template);
  }

  return {
    render(page, view) {
      const template = templates.get(page);
      if (template === undefined) throw new Error(`Unknown page ${page}`);
      return Mustache.render(template, { ...view, page }, {}, { tags: TAGS, escape: escapeHtml });
    },
  };
}

/** Server-side rendering is the point of running the optimizer; make sure it happened. */
function checkOptimized(page: PageName, template: string): void {
  if (!/<html[^>]*\si-amphtml-no-boilerplate/.test(template)) {
    throw new Error(`The AMP optimizer could not remove the boilerplate of the ${page} page.`);
  }
}

// Mustache's default escaping also rewrites `/` and `=`, which makes every URL in the markup
// unreadable; these five characters are all that text and quoted attributes need.
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}
