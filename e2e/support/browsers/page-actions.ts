// The Driver methods Playwright's Page and puppeteer's Page answer alike (same names, same meaning).
import type { Driver } from '../driver';

interface PageLike {
  goto(url: string): Promise<unknown>;
  url(): string;
  reload(): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  click(selector: string): Promise<void>;
}

export function pageActions(
  page: PageLike,
): Pick<Driver, 'goto' | 'url' | 'reload' | 'run' | 'click'> {
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    url: async () => page.url(),
    reload: async () => {
      await page.reload();
    },
    run: <T>(fn: string, arg?: unknown) =>
      page.evaluate(`(${fn})(${JSON.stringify(arg ?? null)})`) as Promise<T>,
    click: (selector) => page.click(selector),
  };
}
