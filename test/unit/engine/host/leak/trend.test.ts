import { describe, expect, it } from 'vitest';
import { median, robustSpread, trend } from '../../../../../engine/host/leak/trend.ts';
import { splitJumps } from '../../../../../engine/host/leak/jumps.ts';

const line = (n: number, f: (x: number) => number) => Array.from({ length: n }, (_, i) => ({ x: i + 1, y: f(i + 1) }));

describe('median and robustSpread', () => {
  it('take the middle and the scaled median deviation', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(robustSpread([1, 1, 1, 1])).toBe(0);
    expect(robustSpread([0, 1, 2, 3, 100])).toBeCloseTo(1.4826, 4);
  });
});

describe('trend', () => {
  it('recovers an exact slope with a tight interval and strong evidence', () => {
    const t = trend(line(30, (x) => 5 + 100 * x));
    expect(t.slope).toBe(100);
    expect(t.low95).toBe(100);
    expect(t.high95).toBe(100);
    expect(t.z).toBeGreaterThan(6);
  });

  it('is not dragged by outliers the way least squares is', () => {
    const points = line(30, (x) => 10 * x);
    points[5]!.y += 1e6;
    points[20]!.y -= 1e6;
    expect(trend(points).slope).toBe(10);
  });

  it('reports no trend for a flat series and falling for a falling one', () => {
    expect(trend(line(20, () => 7))).toMatchObject({ slope: 0, z: 0 });
    expect(trend(line(20, (x) => -3 * x)).z).toBeLessThan(-4);
  });

  it('gives an unbounded interval when there are too few points to bound it', () => {
    const t = trend(line(3, (x) => x));
    expect(t.low95).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('splitJumps', () => {
  it('takes a one-off jump out of an otherwise steady series', () => {
    const split = splitJumps(line(20, (x) => 100 * x + (x >= 10 ? 50_000 : 0)));
    expect(split.typicalStep).toBe(100);
    expect(split.jumps).toEqual([{ x: 10, bytes: 50_000 }]);
    expect(trend(split.steady).slope).toBe(100);
    expect(split.steady[19]!.y).toBe(2000);
  });

  it('keeps drops: memory that was freed is not a jump to explain away', () => {
    const split = splitJumps(line(20, (x) => 100 * x - (x >= 10 ? 50_000 : 0)));
    expect(split.jumps).toEqual([]);
    expect(split.steady[19]!.y).toBe(2000 - 50_000);
  });

  it('leaves ordinary wobble alone', () => {
    const split = splitJumps(line(20, (x) => 1024 * x + (x % 2 === 0 ? 300 : -300)));
    expect(split.jumps).toEqual([]);
  });
});
