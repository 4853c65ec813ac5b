import { describe, expect, it } from 'vitest';
import { handleLedger } from '../../../../../renderer/src/features/leaks/verdict.ts';

describe('leak handle ledger', () => {
  it('lists every handle kind with its last count and slope', () => {
    const sample = (i: number, handles: Record<string, number>) => ({ iteration: i, heapUsedBytes: 0, externalBytes: 0, handles, ms: 0, gcMs: 0 });
    expect(handleLedger([sample(1, { timer: 1 }), sample(2, { timer: 2, callback: 1 })], { timer: 1 })).toEqual([
      { kind: 'callback', last: 1, slope: 0 },
      { kind: 'timer', last: 2, slope: 1 },
    ]);
  });
});
