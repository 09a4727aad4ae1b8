/** Rendering on change never holds requests up: the last set is served until the new one is swapped in whole. */
import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../shared/status-site.js';
import { statusSnapshot } from '../../test/helpers/status-snapshot.js';
import { createPublicSite } from './public-site.js';

const body = async (site: ReturnType<typeof createPublicSite>, path: string) =>
  (await site.current('/status')).get('en', path)!.variants.identity.body.toString();

describe('public site rendering', () => {
  it('serves the previous set while a render waits, then the new one; a failed render keeps the last good set', async () => {
    let next: Promise<StatusSnapshot> = Promise.resolve(statusSnapshot());
    const errors: unknown[] = [];
    const site = createPublicSite({
      site: { snapshot: () => next },
      prefixes: ['/status'],
      onError: (e) => errors.push(e),
    });
    expect(await body(site, '/')).toContain('Slow sign-in to the mobile trading app');

    let release!: (s: StatusSnapshot) => void;
    next = new Promise((r) => {
      release = r;
    });
    const changed = structuredClone(statusSnapshot());
    changed.announcements[0]!.title.en = 'Sign-in restored';
    const rendering = site.refresh();
    // Asked again meanwhile: coalesced into one more render after this one.
    void site.refresh();
    expect(await body(site, '/')).toContain('Slow sign-in to the mobile trading app');
    release(changed);
    await rendering;
    await site.settled();
    expect(await body(site, '/')).toContain('Sign-in restored');

    next = Promise.reject(new Error('store unreachable'));
    await site.refresh();
    expect(errors).toHaveLength(1);
    expect(await body(site, '/')).toContain('Sign-in restored');
  });

  it('keeps the compressed bytes of pages that did not change', async () => {
    const snap = statusSnapshot();
    let current = snap;
    const site = createPublicSite({ site: { snapshot: async () => current }, prefixes: ['/status'] });
    const first = await site.current('/status');
    current = structuredClone(snap);
    current.announcements[0]!.updates[0]!.body.en = '<p>New text</p>';
    await site.refresh();
    const second = await site.current('/status');
    // The research service page is untouched: same ETag, same brotli buffer (not compressed again).
    const a = first.get('en', '/services/research')!;
    const b = second.get('en', '/services/research')!;
    expect(b.etags).toEqual(a.etags);
    expect(b.variants.br.body).toBe(a.variants.br.body);
    expect(second.get('en', '/incidents/2026-0007')!.etags).not.toEqual(first.get('en', '/incidents/2026-0007')!.etags);
  });

  it('offers the email form only when mail can be sent; otherwise points to the feeds', async () => {
    const snap = statusSnapshot();
    const home = async (emailSubscriptions: boolean | undefined, lang: 'en' | 'zh-CN') => {
      const site = createPublicSite({
        site: { snapshot: async () => snap },
        prefixes: ['/status'],
        emailSubscriptions,
      });
      return (await site.current('/status')).get(lang, '/')!.variants.identity.body.toString('utf8');
    };
    expect(await home(undefined, 'en')).toContain('action="/status/subscribe');
    const en = await home(false, 'en');
    expect(en).not.toContain('/subscribe');
    expect(en).toContain('Follow the Atom or RSS feed');
    expect(await home(false, 'zh-CN')).toContain('Atom 或 RSS 源');
  });
});
