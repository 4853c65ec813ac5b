import { describe, expect, it } from 'vitest';
import { describeVerdict, formatBytes } from '../../../../engine/common/leak-words.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1126, '1.1 KB'],
    [10_240, '10 KB'],
    [102_400, '100 KB'],
    [1023.8 * 1024, '1.0 MB'],
    [10 * 1024 * 1024, '10 MB'],
    [-2048, '-2.0 KB'],
    [-0.3, '0 B'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

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
