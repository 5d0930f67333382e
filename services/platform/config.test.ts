import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, dbConfigShape, env, kafkaConfigShape, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({ ...dbConfigShape, ...kafkaConfigShape }, {});
    assert.equal(config.DB_PORT, 3306);
    assert.deepEqual(config.KAFKA_BROKERS, ['127.0.0.1:9092']);
    assert.equal(config.KAFKA_TOPIC, 'campaign-participation');
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig(dbConfigShape, { DB_PORT: '' }).DB_PORT, 3306);
  });

  it('names every bad variable and what it got', () => {
    assert.throws(
      () => loadConfig({ ...dbConfigShape, FLAG: env.bool(false) }, { DB_PORT: '70000', DB_NAME: 'x;drop', FLAG: 'maybe' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 3);
        assert.match(err.message, /DB_PORT: .*\(got "70000"\)/);
        assert.match(err.message, /DB_NAME: expected a database name/);
        assert.match(err.message, /FLAG: expected true or false/);
        return true;
      },
    );
  });

  it('parses lists and booleans', () => {
    const config = loadConfig({ KAFKA_BROKERS: kafkaConfigShape.KAFKA_BROKERS, ON: env.bool(false) }, { KAFKA_BROKERS: 'a:1, b:2,', ON: 'yes' });
    assert.deepEqual(config.KAFKA_BROKERS, ['a:1', 'b:2']);
    assert.equal(config.ON, true);
  });

  it('rejects an empty list', () => {
    assert.throws(() => loadConfig({ KAFKA_BROKERS: kafkaConfigShape.KAFKA_BROKERS }, { KAFKA_BROKERS: ' , ' }), /KAFKA_BROKERS/);
  });
});
