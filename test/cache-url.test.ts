import { cacheUrlFor, parseCachePath } from '../server/local-cache/cache-url';

describe('local cache URLs', () => {
  it('writes cache URLs like a real cache, keeping the local port in the host', () => {
    expect(
      cacheUrlFor('http://localhost:8080', 'http://127.0.0.1:8081', '/products/superclip'),
    ).toBe('http://127.0.0.1:8081/c/localhost:8080/products/superclip');
    expect(
      cacheUrlFor('https://shop.example', 'https://shop-example.cdn.ampproject.org', '/?sort=name'),
    ).toBe('https://shop-example.cdn.ampproject.org/c/s/shop.example/?sort=name');
  });

  it('maps cache paths back to origin paths, query included', () => {
    expect(parseCachePath('/c/localhost:8080/products/superclip', 'http://localhost:8080')).toEqual(
      {
        ok: true,
        upstreamPath: '/products/superclip',
      },
    );
    expect(parseCachePath('/c/localhost:8080', 'http://localhost:8080')).toEqual({
      ok: true,
      upstreamPath: '/',
    });
    expect(
      parseCachePath('/c/s/shop.example/?category=Paper%20clips', 'https://shop.example'),
    ).toEqual({
      ok: true,
      upstreamPath: '/?category=Paper%20clips',
    });
  });

  it.each([
    ['/c/', 400],
    ['/c', 400],
    ['/x/localhost:8080/', 400],
    ['/c/evil.example/', 404],
    ['/c/localhost:9999/', 404],
    ['/c/s/localhost:8080/', 404],
    ['/c/localhost:8080/../../etc/passwd', 400],
    ['/c/localhost:8080/%2e%2e/secret', 400],
    ['/c/localhost:8080/a%2f..%2fb', 400],
    ['/c/localhost:8080/%E0%A4%A', 400],
    ['/c/localhost:8080/%', 400],
    ['/c/localhost:8080@evil.example/', 404],
  ])('refuses %s with %i', (path, status) => {
    expect(parseCachePath(path, 'http://localhost:8080')).toMatchObject({ ok: false, status });
  });
});

describe('parseCachePath messages', () => {
  it('says a malformed %-escape is one, not a dot segment', () => {
    expect(parseCachePath('/c/localhost:8080/%E0%A4%A', 'http://localhost:8080')).toEqual({
      ok: false,
      status: 400,
      message: 'This cache URL has a malformed %-escape.',
    });
    expect(parseCachePath('/c/localhost:8080/%2e%2e/x', 'http://localhost:8080')).toMatchObject({
      message: 'Cache URLs may not contain "." or ".." segments.',
    });
  });
});
