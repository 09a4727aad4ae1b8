import { describe, expect, it } from 'vitest';
import { eventColumns } from './event-columns.js';

describe("an alert event's key columns", () => {
  it('reads account, IP and host where each log format puts them, and the rest in brief', () => {
    expect(
      eventColumns({
        EventType: 'login_failed',
        account: '31001200',
        IpAddress: '203.0.113.45',
        reason: 'bad password',
        time: '2026-11-28T02:00:00Z',
      }),
    ).toEqual({
      account: '31001200',
      ip: '203.0.113.45',
      host: '',
      details: 'EventType=login_failed reason=bad password',
    });
    expect(
      eventColumns({
        user: { name: 'zhang.wei' },
        host: { name: 'crm-app-01' },
        source: { ip: '10.12.4.31' },
        message: 'export  48210 rows',
      }),
    ).toEqual({
      account: 'zhang.wei',
      ip: '10.12.4.31',
      host: 'crm-app-01',
      details: 'export 48210 rows',
    });
  });

  it('shows a truncated event (kept as text) as its first characters', () => {
    const c = eventColumns(`{"message":"${'x'.repeat(500)}`);
    expect(c.account).toBe('');
    expect(c.details.length).toBe(160);
    expect(c.details.endsWith('…')).toBe(true);
  });
});
