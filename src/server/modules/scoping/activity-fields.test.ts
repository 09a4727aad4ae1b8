/** How an ingested event becomes a row of the account-activity index: the action and outcome words. */
import { describe, expect, it } from 'vitest';
import { activityOfEvent } from './activity-fields.js';

const row = (fields: Record<string, unknown>) =>
  activityOfEvent({
    id: 'e1',
    time: 1_000,
    source: 'api',
    fields: { user: 'A10000013', src_ip: '203.0.113.77', ...fields },
  });

describe('activityOfEvent', () => {
  it('reads the action from a plain `event` word, as the trading login events of the demo scenario write it', () => {
    expect(row({ event: 'login', outcome: 'success' })).toMatchObject({
      account_no: 'A10000013',
      ip: '203.0.113.77',
      action: 'login',
      outcome: 'success',
    });
  });

  it('prefers ECS event.action over the plain word, and an ECS `event` object is not a word', () => {
    expect(row({ event: { action: 'user-login', outcome: 'failure' } })).toMatchObject({
      action: 'login',
      outcome: 'failure',
    });
    expect(row({ action: 'order.submit', event: 'login' })?.action).toBe('order');
  });

  it('an event naming no action word is `other`', () => {
    expect(row({ outcome: 'success' })?.action).toBe('other');
  });
});
