import { describe, expect, it } from 'vitest';
import { claimActions } from './claim-actions.js';

const all = { manage: true, approve: true };

describe('claim actions', () => {
  it('offers what the status allows', () => {
    expect(claimActions('proposed', all)).toEqual(['assess', 'mediation']);
    expect(claimActions('under_assessment', all)).toEqual(['offer', 'decline', 'mediation']);
    expect(claimActions('offered', all)).toEqual(['offer', 'counter', 'accept', 'decline', 'mediation']);
    expect(claimActions('accepted', all)).toEqual(['offer', 'approve', 'mediation']);
    expect(claimActions('referred', all)).toEqual(['outcome']);
    expect(claimActions('paid', all)).toEqual([]);
  });

  it('offers only what the viewer may do', () => {
    expect(claimActions('accepted', { manage: false, approve: true })).toEqual(['approve']);
    expect(claimActions('accepted', { manage: true, approve: false })).toEqual(['offer', 'mediation']);
    expect(claimActions('referred', { manage: false, approve: true })).toEqual([]);
    expect(claimActions('offered', { manage: false, approve: false })).toEqual([]);
  });
});
