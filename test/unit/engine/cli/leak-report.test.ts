import { describe, expect, it } from 'vitest';
import { renderLeakReport, sparkline } from '../../../../engine/cli/leak-report.ts';
import type { LeakReport, LeakSample } from '../../../../engine/common/leak.ts';

function samples(count: number, heap: (i: number) => number, handles: (i: number) => Record<string, number> = () => ({})): LeakSample[] {
  return Array.from({ length: count }, (_, k) => ({
    iteration: k + 1,
    heapUsedBytes: heap(k + 1),
    externalBytes: 0,
    handles: handles(k + 1),
    ms: 0.25,
    gcMs: 1,
  }));
}

function report(overrides: Partial<LeakReport> = {}): LeakReport {
  const list = overrides.samples ?? samples(40, (i) => 600_000 + 1126 * i);
  return {
    runId: 'run-1',
    verdict: 'leak',
    slopeBytesPerIteration: 1126,
    confidence: 'high',
    reasons: ['heap + external grows ≈ 1.1 KB per run over runs 9–40'],
    handleSlopes: {},
    iterations: 40,
    completed: list.length,
    warmupIterations: 8,
    samples: list,
    totalMs: 812,
    ...overrides,
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (line: string) => [...line.replace(ANSI, '')].length;

describe('sparkline', () => {
  it('maps the range onto eight levels', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 80)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5], 80)).toBe('▁▁▁');
    expect(sparkline([], 80)).toBe('');
  });

  it('buckets long series into the width, keeping peaks', () => {
    const line = sparkline([...Array.from({ length: 99 }, () => 0), 100], 10);
    expect([...line]).toHaveLength(10);
    expect(line.endsWith('█')).toBe(true);
    expect(line.startsWith('▁')).toBe(true);
  });
});

describe('renderLeakReport', () => {
  it('prints a row per sample, a rising sparkline and the verdict in words', () => {
    const text = renderLeakReport(report(), { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Leak profile: 40 of 40 runs, warm-up 8, 812 ms');
    expect(text).toMatch(/run\s+heap after GC\s+Δ heap\s+external\s+handles\s+ms/);
    expect(lines.filter((l) => /^\s+\d+\s+\d+\.\d KB/.test(l))).toHaveLength(40);
    expect(text).toMatch(/^\s+2\s+588\.1 KB\s+\+1\.1 KB\s+0 B\s+–\s+0\.25$/m);
    const spark = lines.find((l) => l.startsWith('heap after GC '))!;
    expect(spark).toContain('▁');
    expect(spark).toContain('█');
    expect(spark).toMatch(/587 KB → 630 KB$/);
    expect(text).toContain('Leaks ≈ 1.1 KB per run; 40 runs; confidence high');
    expect(text).toContain('  · heap + external grows ≈ 1.1 KB per run over runs 9–40');
    expect(text).not.toMatch(ANSI);
  });

  it('shows outstanding handles by kind', () => {
    const text = renderLeakReport(
      report({ samples: samples(10, () => 600_000, (i) => ({ timer: i, callback: 12 })), handleSlopes: { timer: 1 }, warmupIterations: 2 }),
      { color: false },
    );
    expect(text).toMatch(/^\s+7\s.*callback 12, timer 7/m);
    expect(text).toContain('Leaks 1 timer handle per run');
  });

  it('keeps every line within the width, wrapping long reasons', () => {
    const long = report({ reasons: ['x '.repeat(100).trim()], samples: samples(40, (i) => 600_000 + 1126 * i, () => ({ timer: 1, callback: 12, bridge: 4, listener: 9 })) });
    for (const width of [40, 60, 100]) {
      const lines = renderLeakReport(long, { color: true, width }).split('\n');
      for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(width);
    }
    expect(renderLeakReport(long, { color: false, width: 60 }).split('\n').filter((l) => /^\s+x x/.test(l)).length).toBeGreaterThan(2);
  });

  it('colours the verdict by outcome only when asked', () => {
    expect(renderLeakReport(report(), { color: true })).toContain('\u001b[31m');
    expect(renderLeakReport(report({ verdict: 'stable' }), { color: true })).toContain('\u001b[32m');
    expect(renderLeakReport(report({ verdict: 'inconclusive' }), { color: true })).toContain('\u001b[33m');
  });

  it('elides the middle of long profiles', () => {
    const text = renderLeakReport(report({ samples: samples(200, (i) => 600_000 + 64 * i), iterations: 200 }), { color: false });
    expect(text).toContain('… 161 more runs …');
    expect(text).toMatch(/^\s+200\s/m);
    expect(text).toMatch(/^\s+1\s/m);
  });

  it('says why a profile stopped early', () => {
    const text = renderLeakReport(
      report({ samples: samples(12, (i) => 1e6 * i), completed: 12, stoppedBy: { type: 'MemoryLimitError', message: 'isolate hit 128 MB' } }),
      { color: false, width: 120 },
    );
    expect(text).toContain('Leak profile: 12 of 40 runs');
    expect(text).toContain('(stopped after 12 of 40 runs: MemoryLimitError)');
    expect(text).toContain('stopped early: MemoryLimitError: isolate hit 128 MB');
  });

  it('copes with a profile without samples', () => {
    const text = renderLeakReport(report({ samples: [], completed: 0, verdict: 'inconclusive', confidence: 'low', reasons: [] }), { color: false });
    expect(text).toContain('(no samples)');
    expect(text).toContain('Inconclusive; 0 runs; confidence low');
  });
});
