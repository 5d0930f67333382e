import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fail } from './openapi-declare.js';

describe('fail', () => {
  it('files the codes under the status the catalogue gives them', () => {
    assert.equal(fail('gone', ['CAMPAIGN_NOT_FOUND', 'PARTICIPATION_NOT_FOUND']).status, 404);
    assert.equal(fail('down', ['BROKER_UNAVAILABLE', 'DATABASE_UNAVAILABLE']).status, 503);
  });

  it('refuses codes that travel with different statuses', () => {
    assert.throws(() => fail('mixed', ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_ENDED']), /CAMPAIGN_ENDED travels with 409, not 404/);
  });
});
