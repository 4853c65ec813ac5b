import { describe, expect, it } from 'vitest';
import { diffCounts, HandleLedger } from '../../../../engine/host/ledger.ts';

describe('HandleLedger', () => {
  it('counts live handles by kind and releases idempotently', () => {
    const ledger = new HandleLedger();
    const a = ledger.register('timer');
    ledger.register('timer');
    ledger.register('callback');
    expect(ledger.counts()).toEqual({ timer: 2, callback: 1 });
    expect(ledger.release(a)).toBe(true);
    expect(ledger.release(a)).toBe(false);
    expect(ledger.counts()).toEqual({ timer: 1, callback: 1 });
    expect(ledger.releaseAll()).toEqual({ timer: 1, callback: 1 });
    expect(ledger.size).toBe(0);
  });
  it('diffs counts', () => {
    expect(diffCounts({ timer: 3, callback: 6 }, { timer: 1, callback: 6 })).toEqual({ timer: 2 });
  });
});
