// The contact form over HTTP: from the origin and from caches, with or without a cookie (it needs
// none), validation, the AMP CORS gate and the log line. The message box itself is tested with the
// other stores (memory-stores.test.ts).
import request from 'supertest';
import type { Shop } from '../server/app';
import { parseContactMessage } from '../server/contact/contact-message';
import { expectValidAmp } from './helpers/amp-validator';
import { MESSAGE } from './helpers/contact-message';
import { ampPost, GOOGLE_CACHE, LOCAL_CACHE, ORIGIN, testShop, visitOrigin } from './helpers/shop';

let shop: Shop;
beforeAll(async () => {
  shop = await testShop();
});

const lastMessage = async () => (await shop.messages.list()).at(-1);

describe('POST /api/contact', () => {
  it.each([
    ['origin', ORIGIN],
    ['google-cache', GOOGLE_CACHE],
    ['local-cache', LOCAL_CACHE],
  ] as const)(
    '%s page without any cookie: thanks the sender, keeps the message, sets no cookie',
    async (from, corsOrigin) => {
      const sessions = shop.memory!.sessions.size;
      const res = await ampPost(shop, '/api/contact', { from, fields: MESSAGE }).expect(200);
      expect(res.body).toEqual({
        message: 'Thank you, Ana Lima. We got your message and will answer by email soon.',
      });
      expect(res.headers['access-control-allow-origin']).toBe(corsOrigin);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['amp-redirect-to']).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(shop.memory!.sessions.size).toBe(sessions);
      expect(await lastMessage()).toMatchObject({ ...MESSAGE, id: expect.any(String) });
    },
  );

  it('works the same with a cookie (third-party cookies allowed), and ignores it', async () => {
    const { cookie } = await visitOrigin(shop);
    const res = await ampPost(shop, '/api/contact', {
      from: 'google-cache',
      cookie,
      fields: MESSAGE,
    }).expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('logs one line per message: an id and a length, no name, email or message', async () => {
    // Spying on the shop's logger also sees the request log (its children inherit the spy).
    const info = jest.spyOn(shop.logger, 'info');
    try {
      await ampPost(shop, '/api/contact', { from: 'origin', fields: MESSAGE }).expect(200);
      const calls = info.mock.calls as unknown as [Record<string, unknown>, string?][];
      const lines = calls.filter(([fields]) => fields.event === 'contact-message');
      expect(lines).toEqual([
        [
          {
            event: 'contact-message',
            messageId: (await lastMessage())?.id,
            length: MESSAGE.message.length,
          },
          'contact message received',
        ],
      ]);
      const logged = JSON.stringify(lines);
      for (const value of ['Ana', 'example.com', 'Superclips']) expect(logged).not.toContain(value);
    } finally {
      info.mockRestore();
    }
  });

  it('takes a long message in any script (multipart and urlencoded)', async () => {
    const long = { ...MESSAGE, message: '和紙のクリップ'.repeat(285) }; // 1,995 characters, ~6 KB
    await ampPost(shop, '/api/contact', { from: 'origin', fields: long }).expect(200);
    await ampPost(shop, '/api/contact', {
      from: 'origin',
      fields: long,
      encoding: 'urlencoded',
    }).expect(200);
    expect((await lastMessage())?.message).toBe(long.message);
  });

  it.each([
    ['no message', { name: 'Ana', email: 'ana@example.com' }, 'Your message is missing.'],
    ['a blank message', { ...MESSAGE, message: ' \n ' }, 'Please enter your message.'],
    [
      'a message over 2,000 characters',
      { ...MESSAGE, message: 'x'.repeat(2001) },
      'Your message can be at most 2000 characters long.',
    ],
    [
      'a bad email address',
      { ...MESSAGE, email: 'ana at example' },
      'Your email address does not look right: it should look like ana@example.com.',
    ],
    [
      'a control character',
      { ...MESSAGE, message: 'hi\u0007' },
      'Your message contains characters we cannot accept.',
    ],
    [
      'an unknown field',
      { ...MESSAGE, phone: '123' },
      'The form sent a field we do not know: phone.',
    ],
  ])(
    'refuses %s with a sentence naming the field, keeping nothing',
    async (_name, fields, error) => {
      const count = (await shop.messages.list()).length;
      const res = await ampPost(shop, '/api/contact', { from: 'local-cache', fields }).expect(400);
      expect(res.body).toEqual({ error });
      expect(res.headers['access-control-allow-origin']).toBe(LOCAL_CACHE);
      expect(await shop.messages.list()).toHaveLength(count);
    },
  );

  it('refuses a body over the size limit', async () => {
    const res = await ampPost(shop, '/api/contact', {
      from: 'origin',
      fields: { ...MESSAGE, message: 'x'.repeat(40 * 1024) },
    }).expect(400);
    expect(res.body.error).toEqual(expect.any(String));
  });

  it.each([
    ['an unknown site', { Origin: 'https://evil.example' }, 403],
    ['no Origin and no AMP-Same-Origin', {}, 400],
  ])('refuses %s before reading the form', async (_name, headers, status) => {
    const count = (await shop.messages.list()).length;
    const res = await request(shop.app)
      .post(`/api/contact?__amp_source_origin=${encodeURIComponent(ORIGIN)}`)
      .set(headers)
      .field(MESSAGE)
      .expect(status);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await shop.messages.list()).toHaveLength(count);
  });
});

describe('the contact page', () => {
  it('is valid AMP, and linked from the header', async () => {
    const res = await request(shop.app).get('/contact').expect(200);
    expect(res.text).toContain('action-xhr="/api/contact"');
    expect(res.text).toContain('<a class="nav-link" href="/contact">Contact</a>');
    await expectValidAmp(res.text, 'contact page');
  }, 60_000);
});

describe('parseContactMessage (pure)', () => {
  it('trims, and keeps line breaks in the message only', () => {
    expect(parseContactMessage({ name: ' Ana ', email: ' a@b.co ', message: ' a\n\tb ' })).toEqual({
      ok: true,
      value: { name: 'Ana', email: 'a@b.co', message: 'a\n\tb' },
    });
    expect(parseContactMessage({ ...MESSAGE, name: 'A\nB' })).toEqual({
      ok: false,
      error: 'Your name contains characters we cannot accept.',
    });
  });
});
