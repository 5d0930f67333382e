import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('writes items arriving during a write together, in arrival order, and settles each after its write', async () => {
    const writes: number[][] = [];
    let release: (() => void) | undefined;
    const commit = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
    }, 100);
    const first = commit.add(1);
    const rest = [commit.add(2), commit.add(3), commit.add(4)];
    let settled = false;
    void Promise.all(rest).then(() => (settled = true));
    await Promise.resolve();
    assert.deepEqual(writes, [[1]]);
    assert.equal(settled, false, 'nothing settles before its write');
    release?.();
    await first;
    await Promise.all(rest);
    assert.deepEqual(writes, [[1], [2, 3, 4]]);
  });

  it('caps a write at maxBatch items', async () => {
    const writes: number[][] = [];
    let release: (() => void) | undefined;
    const commit = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
    }, 2);
    const all = [1, 2, 3, 4, 5].map((n) => commit.add(n));
    await Promise.resolve();
    release?.();
    await Promise.all(all);
    assert.deepEqual(writes, [[1], [2, 3], [4, 5]]);
  });

  it('rejects exactly the callers of a failed write and carries on with the next', async () => {
    let calls = 0;
    const commit = new GroupCommit<string>(async (items) => {
      calls += 1;
      await Promise.resolve();
      if (items.includes('bad')) throw new Error('refused');
    }, 10);
    const bad = commit.add('bad');
    const good = commit.add('good');
    await assert.rejects(bad, /refused/);
    await good;
    assert.equal(calls, 2);
  });
});
