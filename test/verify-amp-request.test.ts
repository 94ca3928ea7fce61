import type { AllowedOrigins } from '../server/amp/allowed-origins';
import { verifyAmpRequest } from '../server/amp/verify-amp-request';

const allowed: AllowedOrigins = {
  publisher: 'https://shop.example',
  listedCaches: new Set([
    'https://shop-example.cdn.ampproject.org',
    'https://shop-example.www.bing-amp.com',
  ]),
  extraCaches: new Set(['http://127.0.0.1:8081']),
};

const PUB = 'https://shop.example';
const GOOGLE = 'https://shop-example.cdn.ampproject.org';

describe('verifyAmpRequest', () => {
  it.each([
    [
      'origin page (AMP-Same-Origin, no Origin)',
      { origin: undefined, ampSameOrigin: 'true', sourceOrigin: PUB },
      'origin',
    ],
    [
      'origin page (AMP-Same-Origin and Origin)',
      { origin: PUB, ampSameOrigin: 'true', sourceOrigin: PUB },
      'origin',
    ],
    ['Google cache page', { origin: GOOGLE, ampSameOrigin: undefined, sourceOrigin: PUB }, 'cache'],
    [
      'Bing cache page',
      {
        origin: 'https://shop-example.www.bing-amp.com',
        ampSameOrigin: undefined,
        sourceOrigin: PUB,
      },
      'cache',
    ],
    [
      'local cache page (runtime sends its own origin)',
      {
        origin: 'http://127.0.0.1:8081',
        ampSameOrigin: undefined,
        sourceOrigin: 'http://127.0.0.1:8081',
      },
      'cache',
    ],
    [
      'own origin without AMP-Same-Origin',
      { origin: PUB, ampSameOrigin: undefined, sourceOrigin: PUB },
      'origin',
    ],
  ])('allows the %s', (_name, request, from) => {
    expect(verifyAmpRequest(request, allowed)).toMatchObject({ allowed: true, from });
  });

  it.each([
    [
      'an unknown Origin',
      { origin: 'https://evil.example', ampSameOrigin: undefined, sourceOrigin: PUB },
      403,
    ],
    [
      'another site’s Google cache',
      {
        origin: 'https://evil-example.cdn.ampproject.org',
        ampSameOrigin: undefined,
        sourceOrigin: PUB,
      },
      403,
    ],
    [
      'a Google cache with a foreign source origin',
      {
        origin: 'https://evil-example.cdn.ampproject.org',
        ampSameOrigin: undefined,
        sourceOrigin: 'https://evil.example',
      },
      403,
    ],
    [
      'a Google cache claiming the local cache as source',
      { origin: GOOGLE, ampSameOrigin: undefined, sourceOrigin: 'http://127.0.0.1:8081' },
      403,
    ],
    [
      'AMP-Same-Origin with a foreign Origin',
      { origin: 'https://evil.example', ampSameOrigin: 'true', sourceOrigin: PUB },
      403,
    ],
    [
      'AMP-Same-Origin with a foreign source origin',
      { origin: undefined, ampSameOrigin: 'true', sourceOrigin: 'https://evil.example' },
      403,
    ],
    [
      'the http twin of the publisher',
      { origin: 'http://shop.example', ampSameOrigin: undefined, sourceOrigin: PUB },
      403,
    ],
    [
      'neither Origin nor AMP-Same-Origin',
      { origin: undefined, ampSameOrigin: undefined, sourceOrigin: PUB },
      400,
    ],
    [
      'no __amp_source_origin',
      { origin: GOOGLE, ampSameOrigin: undefined, sourceOrigin: undefined },
      400,
    ],
    [
      'AMP-Same-Origin other than "true"',
      { origin: undefined, ampSameOrigin: 'yes', sourceOrigin: PUB },
      400,
    ],
  ])('refuses %s', (_name, request, status) => {
    const verdict = verifyAmpRequest(request, allowed);
    expect(verdict).toMatchObject({ allowed: false, status });
  });
});
