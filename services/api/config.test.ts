import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../platform/config.js';
import { loadApiConfig } from './config.js';

describe('api configuration: PARTITION_KEY', () => {
  it('places by user unless told otherwise', () => {
    assert.equal(loadApiConfig({}).PARTITION_KEY, 'user');
    assert.equal(loadApiConfig({ PARTITION_KEY: 'campaign' }).PARTITION_KEY, 'campaign');
  });

  it('refuses anything else, naming the variable', () => {
    assert.throws(
      () => loadApiConfig({ PARTITION_KEY: 'random' }),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('PARTITION_KEY: expected user or campaign')),
    );
  });
});
