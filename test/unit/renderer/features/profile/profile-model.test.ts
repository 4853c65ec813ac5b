import { describe, expect, it } from 'vitest';
import type { CpuProfile } from '../../../../../engine/common/inspect.ts';
import { bottomUp, flameTree, lineSelfTimes, selfTimes } from '../../../../../renderer/src/features/profile/profile-model.ts';

const cf = (functionName: string, url = 'a.js', lineNumber = 0) => ({ functionName, scriptId: '1', url, lineNumber, columnNumber: 0 });

/** root → main (line 5) → fib (line 1) → fib; plus (program). Samples: fib×3 (one recursive), main×1, program×1. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: cf('(root)', '', -1), children: [2, 5] },
    { id: 2, callFrame: cf('main', 'a.js', 4), children: [3] },
    { id: 3, callFrame: cf('fib', 'a.js', 0), children: [4], positionTicks: [{ line: 2, ticks: 1 }] },
    { id: 4, callFrame: cf('fib', 'a.js', 0), positionTicks: [{ line: 2, ticks: 3 }, { line: 3, ticks: 1 }] },
    { id: 5, callFrame: cf('(program)', '', -1) },
  ],
  startTime: 0,
  endTime: 600,
  samples: [4, 4, 3, 2, 5],
  timeDeltas: [0, 100, 100, 100, 100],
};

describe('CPU profile model', () => {
  it('gives each sample the time until the next one', () => {
    expect(Object.fromEntries(selfTimes(profile))).toEqual({ 4: 200, 3: 100, 2: 100, 5: 0 });
  });

  it('falls back to hit counts spread over the duration without samples', () => {
    const noSamples: CpuProfile = { ...profile, samples: undefined, timeDeltas: undefined, nodes: profile.nodes.map((n) => ({ ...n, hitCount: n.id === 4 ? 3 : n.id === 2 ? 1 : 0 })) };
    expect(selfTimes(noSamples).get(4)).toBe(450);
  });

  it('builds the call tree with totals and user lines for the flame graph', () => {
    const tree = flameTree(profile, 'a.js');
    expect(tree).toMatchObject({ name: '(root)', value: 400, children: [{ name: 'main', value: 400, line: 5, children: [{ name: 'fib', line: 1, value: 300, children: [{ name: 'fib', value: 200 }] }] }] });
    expect(tree.children).toHaveLength(1); // (program) had no time.
  });

  it('lists functions bottom-up, counting a recursive function once in its total', () => {
    const rows = bottomUp(profile);
    expect(rows[0]).toEqual({ functionName: 'fib', url: 'a.js', line: 1, selfUs: 300, totalUs: 300 });
    expect(rows[1]).toEqual({ functionName: 'main', url: 'a.js', line: 5, selfUs: 100, totalUs: 400 });
  });

  it("spreads a function's self time over its lines by V8's position ticks", () => {
    expect(Object.fromEntries(lineSelfTimes(profile, 'a.js'))).toEqual({ 2: 100 + 150, 3: 50, 5: 100 });
  });
});
