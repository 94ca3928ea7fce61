// Configuration, read and validated once at start-up from the environment.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fromRoot } from './project-root';
import { z } from 'zod';

export interface Config {
  port: number;
  /** The shop's canonical origin: the only place AMP-Redirect-To ever points to. */
  publicOrigin: string;
  sessionSecret: string;
  /** True when no SESSION_SECRET was given and a random one was made for this process. */
  sessionSecretIsRandom: boolean;
  /** Cache origins accepted on top of the Google and Bing caches (the local cache is added). */
  extraCacheOrigins: string[];
  /** The local AMP cache served next to the shop, or undefined when CACHE=off. */
  localCache: { port: number; origin: string } | undefined;
  /** Express's `trust proxy`: behind a TLS-terminating proxy, X-Forwarded-Proto makes cookies Secure. */
  trustProxy: boolean | number | string;
  logLevel: LogLevel;
  /** Show each change's path through the flow on the cart page (FLOW_TRACE=off hides it). */
  flowTrace: boolean;
  production: boolean;
  /** Sessions, carts and nonces live in this Redis (shared by every instance); in memory when unset. */
  redisUrl: string | undefined;
  /**
   * Where GET /metrics is served: on a port of its own (METRICS_PORT), on the shop's port
   * (development, or METRICS_PORT equal to PORT), or nowhere (production without METRICS_PORT).
   */
  metricsPort: number | 'shop' | 'off';
  /** Per-client abuse limits (see rate-limits.ts); shared by every instance with REDIS_URL. */
  rateLimits: RateLimits;
  /** The catalog file (data/catalog.json unless CATALOG_FILE names another, e.g. a generated one). */
  catalogFile: string;
}

export interface RateLimits {
  /** The window each count covers, in milliseconds. */
  windowMs: number;
  /** Form posts (cart changes, checkout, "Place order", contact) per client per window. */
  posts: number;
  /** Apply and confirm links opened per client per window. */
  links: number;
  /** Content-Security-Policy reports per client per window. */
  reports: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const origin = z
  .string()
  .trim()
  .transform((value, ctx) => {
    try {
      const url = new URL(value);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value) {
        return url.origin;
      }
    } catch {
      // reported below
    }
    ctx.addIssue({
      code: 'custom',
      message: `must be an origin like https://shop.example (scheme, host and optional port only), got "${value}"`,
    });
    return z.NEVER;
  });

// Never echoed back: a Redis URL may carry a password.
const redisUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol), {
    message: 'must be a redis:// or rediss:// URL, like redis://localhost:6379',
  });

const perWindow = z.coerce
  .number({ error: 'must be a whole number from 1 to 1000000' })
  .int('must be a whole number from 1 to 1000000')
  .min(1, 'must be a whole number from 1 to 1000000')
  .max(1_000_000, 'must be a whole number from 1 to 1000000');

const env = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PUBLIC_ORIGIN: origin.optional(),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  CACHE: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  FLOW_TRACE: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('on'),
  CACHE_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  CACHE_ORIGIN: origin.optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, 'must be true, false, a hop count or addresses')
    .default('false')
    .transform((value) => {
      if (value === 'true' || value === 'false') return value === 'true';
      return /^\d+$/.test(value) ? Number(value) : value;
    }),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  EXTRA_CACHE_ORIGINS: z
    .string()
    .optional()
    .transform((list) =>
      (list ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin)),
  REDIS_URL: redisUrl.optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  RATE_LIMIT_WINDOW_SECONDS: perWindow.default(60),
  RATE_LIMIT_POSTS: perWindow.default(60),
  RATE_LIMIT_LINKS: perWindow.default(30),
  RATE_LIMIT_REPORTS: perWindow.default(30),
  CATALOG_FILE: z.string().trim().min(1).optional(),
});

export class ConfigError extends Error {}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`SESSION_SECRET=`) means "not set", as in most tools.
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = env.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  const production = values.NODE_ENV === 'production';
  if (production && !values.SESSION_SECRET) {
    throw new ConfigError('SESSION_SECRET is required when NODE_ENV=production.');
  }
  if (values.REDIS_URL && !values.SESSION_SECRET) {
    // Instances that share sessions must all sign cookies (and apply URLs) with one secret.
    throw new ConfigError(
      'SESSION_SECRET is required with REDIS_URL (the same on every instance).',
    );
  }
  // The local cache must be another SITE than the shop (ports alone do not make sites), so it
  // defaults to 127.0.0.1 while the shop defaults to localhost.
  const localCache =
    values.CACHE === 'on'
      ? {
          port: values.CACHE_PORT,
          origin: values.CACHE_ORIGIN ?? `http://127.0.0.1:${values.CACHE_PORT}`,
        }
      : undefined;
  return {
    port: values.PORT,
    publicOrigin: values.PUBLIC_ORIGIN ?? `http://localhost:${values.PORT}`,
    sessionSecret: values.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionSecretIsRandom: !values.SESSION_SECRET,
    extraCacheOrigins: [...values.EXTRA_CACHE_ORIGINS, ...(localCache ? [localCache.origin] : [])],
    localCache,
    trustProxy: values.TRUST_PROXY,
    logLevel: values.LOG_LEVEL,
    flowTrace: values.FLOW_TRACE === 'on',
    production,
    redisUrl: values.REDIS_URL,
    metricsPort: metricsPort(values.METRICS_PORT, values.PORT, production),
    rateLimits: {
      windowMs: values.RATE_LIMIT_WINDOW_SECONDS * 1000,
      posts: values.RATE_LIMIT_POSTS,
      links: values.RATE_LIMIT_LINKS,
      reports: values.RATE_LIMIT_REPORTS,
    },
    catalogFile: path.resolve(values.CATALOG_FILE ?? fromRoot('data', 'catalog.json')),
  };
}

// Metrics tell anyone who can read them how busy the shop is and how its flow fares: in production
// they stay off the public port unless METRICS_PORT says where.
function metricsPort(port: number | undefined, shopPort: number, production: boolean) {
  if (port === undefined) return production ? 'off' : 'shop';
  return port === shopPort ? 'shop' : port;
}
