import { describe, expect, it } from 'vitest';
import { handleLedger, verdictText } from '../../../../../renderer/src/features/leaks/verdict.ts';

describe('leak verdict words', () => {
  it('says leaks with their size per run, or stable', () => {
    expect(verdictText({ verdict: 'leak', slopeBytesPerIteration: 1126 })).toBe('Leaks ≈ 1.1 KB per run');
    expect(verdictText({ verdict: 'stable', slopeBytesPerIteration: 3 })).toBe('Stable');
    expect(verdictText({ verdict: 'inconclusive', slopeBytesPerIteration: 0 })).toBe('Inconclusive');
  });

  it('lists every handle kind with its last count and slope', () => {
    const sample = (i: number, handles: Record<string, number>) => ({ iteration: i, heapUsedBytes: 0, externalBytes: 0, handles, ms: 0, gcMs: 0 });
    expect(handleLedger([sample(1, { timer: 1 }), sample(2, { timer: 2, callback: 1 })], { timer: 1 })).toEqual([
      { kind: 'callback', last: 1, slope: 0 },
      { kind: 'timer', last: 2, slope: 1 },
    ]);
  });
});
