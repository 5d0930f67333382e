import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Sequelize } from 'sequelize';
import { CampaignResourceStore, planStock } from './campaign-resource-store.js';

const locked = { totalStock: 100, currentStock: 60, successCount: 40 };

describe('planStock', () => {
  it('leaves an unchanged total alone', () => {
    assert.deepEqual(planStock(locked, 100), { kind: 'unchanged' });
  });

  it('raises and lowers stock down to the winners already decided', () => {
    assert.equal(planStock(locked, 150).kind, 'set');
    assert.equal(planStock(locked, 40).kind, 'set');
  });

  it('moves what is left by the change of the total, so winners stay counted', () => {
    assert.deepEqual(planStock(locked, 150), { kind: 'set', totalStock: 150, currentStock: 110 });
    assert.deepEqual(planStock(locked, 40), { kind: 'set', totalStock: 40, currentStock: 0 });
  });

  it('refuses stock below the winners, saying why', () => {
    assert.deepEqual(planStock(locked, 39), { kind: 'refused', refusal: { refused: true, message: 'totalStock 39 is below the 40 winners already decided; keeping 100' } });
    assert.deepEqual(planStock(locked, 1), { kind: 'refused', refusal: { refused: true, message: 'totalStock 1 is below the 40 winners already decided; keeping 100' } });
  });

  it('never sets stock below the winners, whatever the numbers', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.nat(1000), (total, winners, wanted) => {
        const plan = planStock({ totalStock: total, currentStock: Math.max(0, total - winners), successCount: winners }, wanted);
        if (plan.kind === 'set') {
          assert.ok(plan.totalStock >= winners);
          if (total >= winners) assert.equal(plan.currentStock, wanted - winners);
        }
        assert.equal(plan.kind === 'refused', wanted < winners && wanted !== total);
      }),
    );
  });
});

describe('CampaignResourceStore.ensureForUid', () => {
  it("stamps the new row's created_at with the caller's clock", async () => {
    const inserts: unknown[][] = [];
    let created = false;
    const row = { id: 7, name: 'spring', total_stock: 10, current_stock: 10, success_count: 0, sold_out_count: 0, duplicate_count: 0, pending: 0, starts_at: null, ends_at: null, resource_uid: 'uid-1' };
    const sequelize = {
      query: (sql: string, options: { replacements: unknown[] }) => {
        if (sql.trimStart().startsWith('INSERT')) {
          inserts.push(options.replacements);
          created = true;
          return Promise.resolve([]);
        }
        return Promise.resolve(created ? [row] : []);
      },
    } as unknown as Sequelize;
    const now = new Date('2031-02-03T04:05:06.000Z');
    const linked = await new CampaignResourceStore(sequelize).ensureForUid('uid-1', { name: 'spring', totalStock: 10, startsAt: null, endsAt: null }, now);
    assert.equal(linked.id, 7);
    assert.equal(inserts.length, 1);
    assert.deepEqual(inserts[0]?.[5], now);
  });
});
