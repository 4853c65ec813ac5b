import { describe, expect, it } from 'vitest';
import { describeVerdict, formatBytes, verdictHeadline } from '../../../../engine/common/leak-words.ts';
import { formatBytes as unitsFormatBytes } from '../../../../engine/common/units.ts';

describe('describeVerdict', () => {
  const base = { slopeBytesPerIteration: 1126, confidence: 'high' as const, handleSlopes: {}, completed: 40 };

  it('says leak, stable and inconclusive in words', () => {
    expect(describeVerdict({ ...base, verdict: 'leak' })).toBe('Leaks ≈ 1.1 KB per run; 40 runs; confidence high');
    expect(describeVerdict({ ...base, verdict: 'stable' })).toBe('Stable; 40 runs; confidence high');
    expect(describeVerdict({ ...base, verdict: 'inconclusive', confidence: 'low', completed: 1 })).toBe('Inconclusive; 1 run; confidence low');
  });

  it('names growing handles first', () => {
    const text = describeVerdict({ ...base, verdict: 'leak', slopeBytesPerIteration: 80, handleSlopes: { timer: 1, callback: 2 } });
    expect(text).toBe('Leaks 1 timer handle and 2 callback handles per run (heap ≈ 80 B per run); 40 runs; confidence high');
  });

  it('says why a profile stopped early', () => {
    const text = describeVerdict({ ...base, verdict: 'leak', completed: 12, iterations: 40, stoppedBy: { type: 'MemoryLimitError', message: 'x' } });
    expect(text).toBe('Leaks ≈ 1.1 KB per run; 12 runs; confidence high (stopped after 12 of 40 runs: MemoryLimitError)');
  });
});

describe('verdictHeadline', () => {
  it('says leaks with their size per run, or stable, or inconclusive', () => {
    expect(verdictHeadline({ verdict: 'leak', slopeBytesPerIteration: 1126 })).toBe('Leaks ≈ 1.1 KB per run');
    expect(verdictHeadline({ verdict: 'stable', slopeBytesPerIteration: 3 })).toBe('Stable');
    expect(verdictHeadline({ verdict: 'inconclusive', slopeBytesPerIteration: 0 })).toBe('Inconclusive');
  });

  it('is the start of the verdict sentence, handles included', () => {
    const report = { verdict: 'leak' as const, slopeBytesPerIteration: 80, confidence: 'high' as const, handleSlopes: { timer: 1 }, completed: 40 };
    expect(describeVerdict(report).startsWith(`${verdictHeadline(report)}; 40 runs`)).toBe(true);
    expect(verdictHeadline(report)).toBe('Leaks 1 timer handle per run (heap ≈ 80 B per run)');
  });

  it('uses the one byte formatter of engine/common/units.ts', () => {
    expect(formatBytes).toBe(unitsFormatBytes);
  });
});
