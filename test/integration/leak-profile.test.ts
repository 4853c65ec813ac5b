/** The leak profiler's driver through a real engine host: progress, function mode, limits, cancel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import type { LeakSample } from '../../engine/common/leak.ts';

let engine: EngineClient;
beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 2 } });
});
afterAll(async () => {
  await engine?.close();
});

describe('leak profiles', () => {
  it('emits one progress event per iteration and returns the timeline', async () => {
    const progress: LeakSample[] = [];
    const report = await engine.leak(
      { code: "globalThis.keep ??= []; keep.push(new Array(1024).fill(keep.length))", iterations: 20 },
      { onEvent: (e) => e.type === 'leakProgress' && progress.push(e.sample) },
    );
    expect(progress.map((s) => s.iteration)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(report.samples).toEqual(progress);
    expect(report.completed).toBe(20);
    expect(report.verdict).toBe('leak');
    expect(report.slopeBytesPerIteration).toBeGreaterThan(3_000);
    expect(report.samples.every((s) => s.gcMs >= 0 && s.ms >= 0)).toBe(true);
  });

  it('profiles a named function, running the script once', async () => {
    const report = await engine.leak({
      code: 'globalThis.loads = (globalThis.loads ?? 0) + 1;\nconst seen = [];\nfunction handle(n) { seen.push(new Array(n).fill(0)); return seen.length }',
      call: { name: 'handle', args: [256] },
      // 20, not 15: growth in bytes needs 15 runs after warm-up to be called a leak (verdict.ts).
      iterations: 20,
    });
    expect(report.stoppedBy).toBeUndefined();
    expect(report.verdict).toBe('leak');
  });

  it('keeps timers across iterations and counts them as handles', async () => {
    const report = await engine.leak({ code: 'setInterval(() => {}, 60_000)', iterations: 12 });
    expect(report.samples.at(-1)!.handles.timer).toBe(12);
    expect(report.verdict).toBe('leak');
    expect(report.handleSlopes.timer).toBeCloseTo(1, 5);
  });

  it('says leak when the profile runs into the memory limit, with the timeline so far', async () => {
    const report = await engine.leak({ code: 'globalThis.keep ??= []; keep.push(new Array(500_000).fill(Math.random()))', iterations: 200, memoryLimitMb: 32 });
    expect(report.stoppedBy?.type).toBe('MemoryLimitError');
    expect(report.verdict).toBe('leak');
    expect(report.completed).toBeGreaterThan(0);
    expect(report.completed).toBeLessThan(200);
    const after = await engine.run({ code: '"alive"' });
    expect(after.value).toBe('alive');
  });

  it('can be cancelled, keeping the samples so far', async () => {
    const runId = 'leak-cancel';
    const pending = engine.leak({ code: 'await new Promise((r) => setTimeout(r, 50))', iterations: 1000 }, { runId });
    await new Promise((r) => setTimeout(r, 400));
    expect(engine.cancel(runId)).toBe(true);
    const report = await pending;
    expect(report.stoppedBy?.type).toBe('CancelledError');
    expect(report.completed).toBeGreaterThan(0);
  });

  it('stops at a script error and reports where it happened', async () => {
    const report = await engine.leak({ code: 'globalThis.n = (globalThis.n ?? 0) + 1;\nif (n === 4) missing();', iterations: 10 });
    expect(report.stoppedBy).toMatchObject({ type: 'ReferenceError', line: 2 });
    expect(report.completed).toBe(3);
  });

  it('never lets the profiled code reach gc', async () => {
    const report = await engine.leak({ code: 'if (typeof gc !== "undefined") throw new Error("gc reachable")', iterations: 5 });
    expect(report.stoppedBy).toBeUndefined();
  });
});
