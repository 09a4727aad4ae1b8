/** The status site's settings: the firm's name, the public base URL and the time zone, with their defaults. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('status site configuration', () => {
  it('defaults to the published name, TOCSIN_PUBLIC_URL/status and Asia/Shanghai', () => {
    const c = loadConfig({ TOCSIN_PUBLIC_URL: 'https://tocsin.example.com/' });
    expect(c.status).toEqual({
      name: { zh: 'Tocsin 证券', en: 'Tocsin Securities' },
      baseUrl: 'https://tocsin.example.com/status',
      timeZone: 'Asia/Shanghai',
    });
  });

  it('takes the firm name, a base URL of its own (no trailing slash) and an IANA zone', () => {
    const c = loadConfig({
      TOCSIN_STATUS_NAME_ZH: '东海证券',
      TOCSIN_STATUS_NAME_EN: 'Donghai Securities',
      TOCSIN_STATUS_BASE_URL: 'https://status.donghai-sec.example/',
      TOCSIN_STATUS_TIME_ZONE: 'Asia/Hong_Kong',
    });
    expect(c.status).toEqual({
      name: { zh: '东海证券', en: 'Donghai Securities' },
      baseUrl: 'https://status.donghai-sec.example',
      timeZone: 'Asia/Hong_Kong',
    });
  });

  it('refuses a time zone that is not one', () => {
    expect(() => loadConfig({ TOCSIN_STATUS_TIME_ZONE: 'Mars/Olympus' })).toThrow(ConfigError);
    expect(() => loadConfig({ TOCSIN_STATUS_TIME_ZONE: 'Mars/Olympus' })).toThrow(/IANA time zone/);
  });
});
