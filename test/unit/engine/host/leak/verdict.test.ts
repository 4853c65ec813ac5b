import { describe, expect, it } from 'vitest';
import { computeVerdict, defaultWarmupIterations, describeVerdict } from '../../../../../engine/host/leak/verdict.ts';
import { series } from './synthetic-samples.ts';

const BASE = 600_000;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('defaultWarmupIterations', () => {
  it('is a fifth of the iterations, at least 2', () => {
    expect(defaultWarmupIterations(40)).toBe(8);
    expect(defaultWarmupIterations(100)).toBe(20);
    expect(defaultWarmupIterations(7)).toBe(2);
    expect(defaultWarmupIterations(3)).toBe(2);
  });
});

describe('computeVerdict: steady growth', () => {
  it.each(SEEDS)('finds 1 KB per run under 2 KB of noise (seed %i)', (seed) => {
    const v = computeVerdict(series({ heap: (i) => BASE + 1024 * i, noiseBytes: 2048, seed }));
    expect(v.verdict).toBe('leak');
    expect(v.slopeBytesPerIteration).toBeGreaterThan(1024 * 0.75);
    expect(v.slopeBytesPerIteration).toBeLessThan(1024 * 1.25);
    expect(v.confidence).not.toBe('low');
    expect(v.warmupIterations).toBe(8);
  });

  it.each(SEEDS)('finds 256 B per run under 512 B of noise (seed %i)', (seed) => {
    const v = computeVerdict(series({ heap: (i) => BASE + 256 * i, noiseBytes: 512, seed }));
    expect(v.verdict).toBe('leak');
    expect(Math.abs(v.slopeBytesPerIteration - 256)).toBeLessThan(80);
  });

  it('gives an exact, noise-free leak high confidence and says so in words', () => {
    const samples = series({ heap: (i) => BASE + 1126 * i });
    const v = computeVerdict(samples);
    expect(v).toMatchObject({ verdict: 'leak', confidence: 'high', slopeBytesPerIteration: 1126 });
    expect(v.reasons[0]).toMatch(/1\.1 KB per run/);
    expect(describeVerdict({ ...v, completed: 40 })).toBe('Leaks ≈ 1.1 KB per run; 40 runs; confidence high');
  });

  it('counts external (ArrayBuffer) growth with a flat heap', () => {
    const v = computeVerdict(series({ noiseBytes: 256, external: (i) => 4096 * i }));
    expect(v.verdict).toBe('leak');
    expect(v.slopeBytesPerIteration).toBeCloseTo(4096, -2);
  });

  // Changed with the explanation issue: six bursts in 40 runs are thin evidence (low confidence), so
  // the verdict asks for more runs instead of saying `leak`; twice the runs decide it.
  it('asks for more runs on a leak that grows in bursts (10 KB every 5th run), and catches it with them', () => {
    const thin = computeVerdict(series({ heap: (i) => BASE + 10_240 * Math.floor(i / 5) }));
    expect(thin.verdict).toBe('inconclusive');
    expect(thin.reasons.join(' ')).toMatch(/about \d+ more runs would decide/);
    const v = computeVerdict(series({ iterations: 80, heap: (i) => BASE + 10_240 * Math.floor(i / 5) }));
    expect(v.verdict).toBe('leak');
    expect(v.slopeBytesPerIteration).toBeGreaterThan(1500);
    expect(v.slopeBytesPerIteration).toBeLessThan(2600);
  });

  it('does not call growth below the floor a leak', () => {
    const v = computeVerdict(series({ heap: (i) => BASE + 16 * i }));
    expect(v.verdict).toBe('stable');
    expect(v.slopeBytesPerIteration).toBe(16);
    expect(v.reasons[0]).toMatch(/below the 64 B per run floor/);
  });
});

describe('computeVerdict: clean series', () => {
  it.each(SEEDS)('calls noise alone stable, never leak (seed %i)', (seed) => {
    const v = computeVerdict(series({ noiseBytes: 2048, seed }));
    expect(v.verdict).not.toBe('leak');
    expect(Math.abs(v.slopeBytesPerIteration)).toBeLessThan(300);
  });

  it('calls a perfectly flat heap stable with high confidence', () => {
    const v = computeVerdict(series());
    expect(v).toMatchObject({ verdict: 'stable', confidence: 'high', slopeBytesPerIteration: 0, handleSlopes: {} });
    expect(describeVerdict({ ...v, completed: 40 })).toBe('Stable; 40 runs; confidence high');
  });

  it('leaves a cache that fills during warm-up out of the fit', () => {
    const v = computeVerdict(series({ heap: (i) => BASE + 20_480 * Math.min(i, 5), noiseBytes: 256 }));
    expect(v.verdict).toBe('stable');
  });

  it.each(SEEDS)('calls a plateau after warm-up stable: 2 KB per run until run 20, then flat (seed %i)', (seed) => {
    const v = computeVerdict(series({ heap: (i) => BASE + 2048 * Math.min(i, 20), noiseBytes: 512, seed }));
    expect(v.verdict).toBe('stable');
    expect(v.reasons.join(' ')).toMatch(/levelled off|does not grow|one-off/);
  });

  it('calls a single step in the middle stable (one-off growth, not per run)', () => {
    const v = computeVerdict(series({ heap: (i) => BASE + (i >= 25 ? 20_480 : 0), noiseBytes: 64 }));
    expect(v.verdict).toBe('stable');
    expect(v.slopeBytesPerIteration).toBeLessThan(64);
    expect(v.reasons.join(' ')).toMatch(/levelled off|step/);
  });

  it('ignores the occasional internal-table jumps V8 shows (two late jumps of 3.2 and 1.4 KB)', () => {
    const wobble = (i: number) => (i % 3 === 0 ? 32 : 0);
    const v = computeVerdict(series({ heap: (i) => BASE + wobble(i) + (i >= 21 ? 3256 : 0) + (i >= 34 ? 1464 : 0) }));
    expect(v.verdict).toBe('stable');
    expect(v.confidence).toBe('medium');
  });

  it('calls a bounded sawtooth stable (V8 trims an internal buffer every few GCs)', () => {
    // Measured on a 10 MB heap of small objects: +816 B per GC for four or five runs, then a 3–4 KB drop.
    const v = computeVerdict(series({ heap: (i) => 10_000_000 + 816 * (i % 5) }));
    expect(v.verdict).toBe('stable');
  });

  it('does not read up-and-down toggles as recurring jumps', () => {
    const v = computeVerdict(series({ heap: (i) => BASE + (i % 6 === 0 ? 968 : 0) }));
    expect(v.verdict).toBe('stable');
  });

  it('wants more than the wander of a large heap before it says leak', () => {
    // 300 B per run over 10 runs is 3 KB: a trend, but within what a 10 MB heap does by itself.
    const v = computeVerdict(series({ iterations: 12, heap: (i) => 10_000_000 + 300 * i }));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons[0]).toMatch(/wanders by itself/);
    expect(computeVerdict(series({ iterations: 40, heap: (i) => 10_000_000 + 300 * i })).verdict).toBe('leak');
  });
});

describe('computeVerdict: patterns recorded from the real engine', () => {
  // A bounded LRU cache through the engine: a ≈ 1.2 KB buffer toggling in and out between GCs
  // and a few internal level shifts, ≈ 5 KB over the window (the trend alone says ≈ 180 B/run).
  const toggle = (i: number) => (((i * 7) % 11) < 4 ? 1176 : 0);
  const shifts = (i: number) => (i >= 19 ? 1200 : 0) + (i >= 21 ? 1248 : 0) + (i >= 32 ? 1464 : 0) + (i >= 38 ? 1160 : 0);

  it('calls toggles plus a few internal level shifts stable', () => {
    const v = computeVerdict(series({ heap: (i) => 800_000 + toggle(i) + shifts(i) }));
    expect(v.verdict).toBe('stable');
  });

  it('still finds 256 B per run under the same toggles and shifts', () => {
    const v = computeVerdict(series({ heap: (i) => 800_000 + 256 * i + toggle(i) + shifts(i) }));
    expect(v.verdict).toBe('leak');
  });
});

describe('computeVerdict: handles', () => {
  it('calls growing timer handles a leak on their own, with a flat heap', () => {
    const v = computeVerdict(series({ noiseBytes: 128, handles: (i) => ({ timer: i, callback: 12 }) }));
    expect(v.verdict).toBe('leak');
    expect(v.confidence).toBe('high');
    expect(v.handleSlopes).toEqual({ timer: 1 });
    expect(v.reasons.join(' ')).toMatch(/timer handles grow by 1 per run/);
    expect(describeVerdict({ ...v, completed: 40 })).toMatch(/^Leaks 1 timer handle per run/);
  });

  it('keeps constant handle counts stable', () => {
    const v = computeVerdict(series({ handles: () => ({ callback: 12, timer: 1 }) }));
    expect(v.verdict).toBe('stable');
    expect(v.handleSlopes).toEqual({});
  });

  it('does not call a handle count that rose during warm-up and then stayed a leak', () => {
    const v = computeVerdict(series({ handles: (i) => ({ timer: Math.min(i, 4) }) }));
    expect(v.verdict).toBe('stable');
  });
});

describe('computeVerdict: few samples, warm-up and limits', () => {
  it('is inconclusive with too few samples after warm-up', () => {
    const v = computeVerdict(series({ iterations: 4, heap: (i) => BASE + 100_000 * i }));
    expect(v).toMatchObject({ verdict: 'inconclusive', confidence: 'low' });
    expect(v.reasons[0]).toMatch(/only 2 runs after 2 warm-up/);
  });

  it('is inconclusive when the requested warm-up leaves too little', () => {
    const v = computeVerdict(series({ iterations: 10 }), { warmupIterations: 8 });
    expect(v.verdict).toBe('inconclusive');
    expect(v.warmupIterations).toBe(8);
  });

  it('honours an explicit warm-up of 0', () => {
    const v = computeVerdict(series({ heap: (i) => BASE + 1024 * i }), { warmupIterations: 0 });
    expect(v.warmupIterations).toBe(0);
    expect(v.verdict).toBe('leak');
  });

  it('calls a profile that hit the memory limit a leak even with few samples', () => {
    const v = computeVerdict(series({ iterations: 3, heap: (i) => BASE + 1e7 * i }), { hitMemoryLimit: true });
    expect(v.verdict).toBe('leak');
    expect(v.reasons[0]).toMatch(/memory limit/);
  });

  it('sorts samples by iteration before fitting', () => {
    const v = computeVerdict(series({ heap: (i) => BASE + 1024 * i }).reverse());
    expect(v.slopeBytesPerIteration).toBe(1024);
  });
});

describe('computeVerdict: no leak without the evidence for one', () => {
  it('calls a cache still filling at 12 runs inconclusive, says how many more runs would decide, and stable once it stopped', () => {
    // A bounded 10-entry cache of 4 KB entries: full after run 10.
    const cache = (i: number) => BASE + 4096 * Math.min(i, 10);
    for (let k = 5; k <= 40; k++) {
      const v = computeVerdict(series({ iterations: k, heap: cache }));
      expect(v.verdict, `k = ${k}`).not.toBe('leak');
    }
    const early = computeVerdict(series({ iterations: 12, heap: cache }));
    expect(early.verdict).toBe('inconclusive');
    expect(early.reasons.join(' ')).toMatch(/about \d+ more runs would decide/);
    expect(computeVerdict(series({ iterations: 40, heap: cache })).verdict).toBe('stable');
  });

  it('takes a snapshot diff that finds nothing from user code as evidence against a leak', () => {
    const samples = series({ heap: (i) => BASE + 1024 * i });
    const v = computeVerdict(samples, { snapshotEvidence: { userBytesPerIteration: 0, groups: 0 } });
    expect(v.verdict).toBe('inconclusive');
    expect(v.reasons.join(' ')).toMatch(/heap snapshots find nothing from user code/);
    expect(computeVerdict(samples, { snapshotEvidence: { userBytesPerIteration: 1024, groups: 1 } }).verdict).toBe('leak');
  });

  it('still calls a leak with 15 runs after warm-up a leak', () => {
    expect(computeVerdict(series({ iterations: 19, heap: (i) => BASE + 1024 * i })).verdict).toBe('leak');
  });
});
