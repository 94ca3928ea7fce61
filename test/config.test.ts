import { ConfigError, loadConfig } from '../server/config';

describe('loadConfig', () => {
  it('defaults to port 8080 on http://localhost with a random secret outside production', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      publicOrigin: 'http://localhost:8080',
      sessionSecretIsRandom: true,
      extraCacheOrigins: ['http://127.0.0.1:8081'],
      localCache: { port: 8081, origin: 'http://127.0.0.1:8081' },
      production: false,
    });
    expect(config.sessionSecret).toHaveLength(64);
  });

  it('reads PUBLIC_ORIGIN, SESSION_SECRET and EXTRA_CACHE_ORIGINS', () => {
    const config = loadConfig({
      PORT: '9000',
      PUBLIC_ORIGIN: 'https://shop.example',
      SESSION_SECRET: 'a-long-enough-secret',
      EXTRA_CACHE_ORIGINS: 'https://cache.example, https://other-cache.example',
      CACHE: 'off',
    });
    expect(config).toMatchObject({
      port: 9000,
      publicOrigin: 'https://shop.example',
      sessionSecret: 'a-long-enough-secret',
      sessionSecretIsRandom: false,
      extraCacheOrigins: ['https://cache.example', 'https://other-cache.example'],
      localCache: undefined,
    });
  });

  it('reads TRUST_PROXY as Express understands it, and LOG_LEVEL', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
  });

  it('reads REDIS_URL (memory stores when unset), never echoing it in an error', () => {
    const secret = { SESSION_SECRET: 'a-long-enough-secret' };
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ ...secret, REDIS_URL: 'redis://:pw@redis.internal:6379/2' }).redisUrl).toBe(
      'redis://:pw@redis.internal:6379/2',
    );
    expect(loadConfig({ ...secret, REDIS_URL: 'rediss://redis.example' }).redisUrl).toBe(
      'rediss://redis.example',
    );
    expect(() => loadConfig({ REDIS_URL: 'http://:secret-pw@redis' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: 'http://:secret-pw@redis' })).not.toThrow(/secret-pw/);
  });

  it('serves metrics on the shop port in development, off it in production unless METRICS_PORT', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'a-long-enough-secret' };
    expect(loadConfig({}).metricsPort).toBe('shop');
    expect(loadConfig(production).metricsPort).toBe('off');
    expect(loadConfig({ ...production, METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(loadConfig({ ...production, PORT: '8080', METRICS_PORT: '8080' }).metricsPort).toBe(
      'shop',
    );
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT/);
  });

  it('reads the abuse limits: a window, and posts, links and reports per client in it', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      windowMs: 60_000,
      posts: 60,
      links: 30,
      reports: 30,
    });
    const config = loadConfig({
      RATE_LIMIT_WINDOW_SECONDS: '600',
      RATE_LIMIT_POSTS: '100',
      RATE_LIMIT_LINKS: '20',
      RATE_LIMIT_REPORTS: '5',
    });
    expect(config.rateLimits).toEqual({ windowMs: 600_000, posts: 100, links: 20, reports: 5 });
  });

  it('treats an empty variable as not set', () => {
    expect(loadConfig({ SESSION_SECRET: '', PORT: '' })).toMatchObject({
      port: 8080,
      sessionSecretIsRandom: true,
    });
  });

  it('places the local cache on another site, configurable', () => {
    expect(loadConfig({ CACHE_PORT: '9001' }).localCache).toEqual({
      port: 9001,
      origin: 'http://127.0.0.1:9001',
    });
    const config = loadConfig({ CACHE_ORIGIN: 'http://shop-cache.localhost:8081' });
    expect(config.extraCacheOrigins).toEqual(['http://shop-cache.localhost:8081']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PUBLIC_ORIGIN: 'https://shop.example/path' }, 'PUBLIC_ORIGIN'],
    [{ PUBLIC_ORIGIN: 'ftp://shop.example' }, 'PUBLIC_ORIGIN'],
    [{ EXTRA_CACHE_ORIGINS: 'not a url' }, 'EXTRA_CACHE_ORIGINS'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ CACHE: 'maybe' }, 'CACHE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'yes please!' }, 'TRUST_PROXY'],
    [{ CACHE_ORIGIN: 'http://127.0.0.1:8081/c' }, 'CACHE_ORIGIN'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ REDIS_URL: 'redis://localhost:6379' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
    [{ RATE_LIMIT_POSTS: '0' }, 'RATE_LIMIT_POSTS'],
    [{ RATE_LIMIT_LINKS: '2.5' }, 'RATE_LIMIT_LINKS'],
    [{ RATE_LIMIT_REPORTS: 'lots' }, 'RATE_LIMIT_REPORTS'],
    [{ RATE_LIMIT_WINDOW_SECONDS: '-60' }, 'RATE_LIMIT_WINDOW_SECONDS'],
  ])('refuses %o, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});
