import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaseAction } from './lease-decision.js';

const t0 = new Date('2026-11-21T10:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

describe('leaseAction', () => {
  it('acquires a lease that does not exist yet, as the first transition', () => {
    assert.deepEqual(leaseAction(null, 'a', t0), { kind: 'acquire', transitions: 0 });
  });

  it('acquires a released lease (no holder), counting one more transition', () => {
    assert.deepEqual(leaseAction({ holderIdentity: '', leaseTransitions: 3, renewTime: t0, leaseDurationSeconds: 15 }, 'a', t0), { kind: 'acquire', transitions: 4 });
    assert.deepEqual(leaseAction({ holderIdentity: null }, 'a', t0), { kind: 'acquire', transitions: 0 });
  });

  it('renews its own lease, expired or not', () => {
    assert.deepEqual(leaseAction({ holderIdentity: 'a', renewTime: t0, leaseDurationSeconds: 15 }, 'a', at(5)), { kind: 'renew' });
    assert.deepEqual(leaseAction({ holderIdentity: 'a', renewTime: t0, leaseDurationSeconds: 15 }, 'a', at(60)), { kind: 'renew' });
  });

  it('waits while another holder renewed within the duration, and says until when', () => {
    assert.deepEqual(leaseAction({ holderIdentity: 'b', renewTime: t0, leaseDurationSeconds: 15 }, 'a', at(14.999)), { kind: 'wait', holder: 'b', expiresAt: at(15) });
  });

  it('takes over exactly at expiry and after', () => {
    const lease = { holderIdentity: 'b', renewTime: t0, leaseDurationSeconds: 15, leaseTransitions: 1 };
    assert.deepEqual(leaseAction(lease, 'a', at(15)), { kind: 'acquire', transitions: 2 });
    assert.deepEqual(leaseAction(lease, 'a', at(100)), { kind: 'acquire', transitions: 2 });
  });

  it('measures from acquireTime when the holder never renewed', () => {
    assert.equal(leaseAction({ holderIdentity: 'b', acquireTime: t0, leaseDurationSeconds: 10 }, 'a', at(9)).kind, 'wait');
    assert.equal(leaseAction({ holderIdentity: 'b', acquireTime: t0, leaseDurationSeconds: 10 }, 'a', at(10)).kind, 'acquire');
  });

  it('treats a held lease without any time or duration as expired', () => {
    assert.equal(leaseAction({ holderIdentity: 'b' }, 'a', t0).kind, 'acquire');
  });
});
