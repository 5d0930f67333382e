import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../platform/config.js';
import { loadOperatorConfig } from './config.js';

describe('operator configuration', () => {
  it('needs the namespace and takes defaults for the rest', () => {
    const c = loadOperatorConfig({ OPERATOR_NAMESPACE: 'campaign' });
    assert.equal(c.OPERATOR_LEASE_NAME, 'fcfs-campaign-operator');
    assert.equal(c.OPERATOR_STATUS_INTERVAL_MS, 500);
    assert.throws(() => loadOperatorConfig({}), /OPERATOR_NAMESPACE/);
  });
  it('refuses names Kubernetes would refuse', () => {
    assert.throws(() => loadOperatorConfig({ OPERATOR_NAMESPACE: 'Campaign_NS' }), ConfigError);
  });
  it('refuses a renew period that lets the lease expire between renewals', () => {
    assert.throws(() => loadOperatorConfig({ OPERATOR_NAMESPACE: 'c', OPERATOR_LEASE_DURATION_S: '4', OPERATOR_RENEW_PERIOD_MS: '3000' }), /OPERATOR_RENEW_PERIOD_MS/);
  });
});
