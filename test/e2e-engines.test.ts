// Which engines a browser-test run uses (E2E_BROWSERS), and what each is expected to do with the
// shop's cookie on a cache page.
import { cookieSentFromCache } from '../e2e/support/cookie-behaviour';
import { ENGINES, selectedEngines } from '../e2e/support/engines';

describe('E2E_BROWSERS', () => {
  it('runs every engine when unset or empty', () => {
    // Unset means the variable itself is absent (this run may have it set, e.g. CI's second run).
    const given = process.env.E2E_BROWSERS;
    delete process.env.E2E_BROWSERS;
    try {
      expect(selectedEngines()).toEqual(['chromium', 'firefox', 'webkit']);
    } finally {
      if (given !== undefined) process.env.E2E_BROWSERS = given;
    }
    expect(selectedEngines(' ')).toEqual(['chromium', 'firefox', 'webkit']);
  });

  it('takes one engine or a comma list, in any case and order, without repeats', () => {
    expect(selectedEngines('firefox')).toEqual(['firefox']);
    expect(selectedEngines('WebKit, chromium,webkit')).toEqual(['chromium', 'webkit']);
  });

  it('names what it does not know, and what it knows', () => {
    expect(() => selectedEngines('chrome,webkit')).toThrow(
      'E2E_BROWSERS names chrome: use a comma list of chromium, firefox, webkit.',
    );
  });
});

describe('the cookie on a cache page, per engine', () => {
  it.each(ENGINES)('%s sends it when allowed and never when blocked', (engine) => {
    expect(cookieSentFromCache(engine, 'allow-third-party')).toBe(true);
    expect(cookieSentFromCache(engine, 'block-third-party')).toBe(false);
    expect(cookieSentFromCache(engine, 'block-all')).toBe(false);
  });

  it('at the default setting, only WebKit (ITP off) sends it', () => {
    expect(ENGINES.filter((engine) => cookieSentFromCache(engine, 'default'))).toEqual(['webkit']);
  });
});
