import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLog } from './log-check.js';

const log = { topic: 't', partition: 0, topicId: 'NEW', low: 0, high: 100 };

describe('checkLog', () => {
  it('goes on in the log the offset was stored for, anywhere between its start and end', () => {
    assert.deepEqual(checkLog({ next: 0, topicId: 'NEW' }, log), { ok: true });
    assert.deepEqual(checkLog({ next: 100, topicId: 'NEW' }, log), { ok: true });
    assert.deepEqual(checkLog({ next: 40, topicId: 'NEW' }, { ...log, low: 40 }), { ok: true });
  });

  it('a row recorded before topic ids goes on where the log can hold its offset', () => {
    assert.deepEqual(checkLog({ next: 60, topicId: null }, log), { ok: true });
  });

  it('refuses another topic id, naming both, even when the new log has grown past the offset', () => {
    const check = checkLog({ next: 50, topicId: 'OLD' }, log);
    assert.equal(!check.ok && check.kind, 'recreated');
    assert.match(!check.ok ? check.reason : '', /stored topic id OLD at offset 50, current topic id NEW \(log 0\.\.100\)/);
  });

  it('refuses a log that ends below the stored offset, with or without an id', () => {
    for (const topicId of [null, 'NEW']) {
      const check = checkLog({ next: 500, topicId }, log);
      assert.equal(!check.ok && check.kind, 'recreated');
      assert.match(!check.ok ? check.reason : '', /ends at 100, below the stored offset 500/);
    }
  });

  it('refuses a log that starts above the stored offset, counting the entries lost', () => {
    const check = checkLog({ next: 30, topicId: 'NEW' }, { ...log, low: 42 });
    assert.equal(!check.ok && check.kind, 'truncated');
    assert.match(!check.ok ? check.reason : '', /starts at 42, above the stored offset 30: 12 entries \(offsets 30\.\.41\) removed/);
    const one = checkLog({ next: 41, topicId: 'NEW' }, { ...log, low: 42 });
    assert.match(!one.ok ? one.reason : '', /: 1 entry \(offsets 41\.\.41\)/);
  });
});
