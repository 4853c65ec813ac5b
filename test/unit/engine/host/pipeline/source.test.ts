import { describe, expect, it } from 'vitest';
import { prepareSource, wrapCacheSize } from '../../../../../engine/host/pipeline/source.ts';

describe('prepareSource: the wrap cache', () => {
  it('gives the same wrapping for the same code again', () => {
    const first = prepareSource('return 1 + 1', 'javascript', false);
    const again = prepareSource('return 1 + 1', 'javascript', false);
    expect(first.ok && again.ok && first.wrapped === again.wrapped).toBe(true);
  });

  it('holds at most 4 Mi characters however many large scripts run, and keeps the recent ones', () => {
    // 40 distinct scripts of 200 Ki characters: 64 entries of this size would hold about 16 Mi.
    // One string literal each, so that parsing them is quick.
    const script = (i: number) => `// ${i}\nreturn '${'x'.repeat(200 * 1024)}'.length`;
    for (let i = 0; i < 40; i++) expect(prepareSource(script(i), 'javascript', false).ok).toBe(true);
    const size = wrapCacheSize();
    expect(size.chars).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(size.entries).toBeGreaterThan(0);
    const recent = prepareSource(script(39), 'javascript', false);
    const again = prepareSource(script(39), 'javascript', false);
    expect(recent.ok && again.ok && recent.wrapped === again.wrapped).toBe(true);
  });
});
