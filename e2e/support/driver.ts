// The small interface every scenario drives a browser through. Each engine implements it with its
// own client (Playwright for Chromium, puppeteer-core over WebDriver BiDi for Firefox, a classic
// WebDriver client for WebKit); scenarios never see which.
import type { CookiePolicy, Engine } from './engines';

export interface Driver {
  readonly engine: Engine;
  /** Navigates the top window and waits for the page's load event. */
  goto(url: string): Promise<void>;
  /** The top window's current URL. */
  url(): Promise<string>;
  reload(): Promise<void>;
  /**
   * The browser's Back and Forward buttons; follow with `landOn` to wait for the page. Not every
   * client can go Back to a page on another site (see `BACK_ACROSS_SITES`).
   */
  back(): Promise<void>;
  forward(): Promise<void>;
  /**
   * Runs `fn` (the source of a self-contained function of one JSON argument) in the page and
   * returns its JSON result, awaiting it if it is a promise.
   */
  run<T>(fn: string, arg?: unknown): Promise<T>;
  /** Clicks, as a person would, the first element matching a CSS selector. */
  click(selector: string): Promise<void>;
  /** The cookies the browser would send to the current page's URL. */
  cookies(): Promise<{ name: string; value: string }[]>;
  /** A PNG of the page (the whole page where the engine can, else the viewport). */
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

/** What a browser needs from the run: its cookie setting, and the proxy to the AMP CDN. */
export interface LaunchOptions {
  policy: CookiePolicy;
  /** `http://127.0.0.1:PORT`: the only way off loopback, and only to the AMP CDN. */
  proxyUrl: string;
}
