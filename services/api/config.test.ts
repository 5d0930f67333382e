import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../platform/config.js';
import { loadApiConfig } from './config.js';

describe('api configuration', () => {
  it('requires ADMIN_TOKEN unless the admin surface is opened explicitly', () => {
    assert.throws(() => loadApiConfig({}), (err: unknown) => err instanceof ConfigError && /ADMIN_TOKEN: required/.test(err.message));
    assert.equal(loadApiConfig({ ADMIN_AUTH: 'disabled' }).ADMIN_AUTH, 'disabled');
    assert.equal(loadApiConfig({ ADMIN_TOKEN: 'x'.repeat(16) }).ADMIN_TOKEN, 'x'.repeat(16));
    assert.throws(() => loadApiConfig({ ADMIN_TOKEN: 'short' }), /ADMIN_TOKEN: must be at least 16 characters/);
    assert.throws(() => loadApiConfig({ ADMIN_AUTH: 'off' }), /ADMIN_AUTH: expected token or disabled/);
  });

  it('binds to loopback by default and validates HOST', () => {
    assert.equal(loadApiConfig({ ADMIN_AUTH: 'disabled' }).HOST, '127.0.0.1');
    assert.equal(loadApiConfig({ ADMIN_AUTH: 'disabled', HOST: '0.0.0.0' }).HOST, '0.0.0.0');
    assert.throws(() => loadApiConfig({ ADMIN_AUTH: 'disabled', HOST: 'a b' }), /HOST: expected an IP address or host name/);
  });

  it('accepts fractional rates and refuses zero', () => {
    assert.equal(loadApiConfig({ ADMIN_AUTH: 'disabled', RATE_LIMIT_USER_PER_SEC: '0.5' }).RATE_LIMIT_USER_PER_SEC, 0.5);
    assert.throws(() => loadApiConfig({ ADMIN_AUTH: 'disabled', RATE_LIMIT_ADDRESS_PER_SEC: '0' }), /RATE_LIMIT_ADDRESS_PER_SEC/);
  });
});

describe('api configuration: PARTITION_KEY', () => {
  it('places by user unless told otherwise', () => {
    assert.equal(loadApiConfig({ ADMIN_AUTH: 'disabled' }).PARTITION_KEY, 'user');
    assert.equal(loadApiConfig({ ADMIN_AUTH: 'disabled', PARTITION_KEY: 'campaign' }).PARTITION_KEY, 'campaign');
  });

  it('refuses anything else, naming the variable', () => {
    assert.throws(
      () => loadApiConfig({ ADMIN_AUTH: 'disabled', PARTITION_KEY: 'random' }),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('PARTITION_KEY: expected user or campaign')),
    );
  });
});
