/**
 * The pipeline through the Runner, with real isolates and a fake clock for the host's own timers
 * (deadline, CPU checks): every outcome a run can have. Only isolated-vm's synchronous timeout
 * keeps real time (it lives inside isolated-vm).
 */
import '../../../../engine/host/v8-flags.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedRunRequest, RunResult } from '../../../../engine/common/contract.ts';
import { InterruptRecorder } from '../../../../engine/host/interrupt-stats.ts';
import { Jobs } from '../../../../engine/host/pipeline/job.ts';
import { Pool } from '../../../../engine/host/pool.ts';
import { Runner } from '../../../../engine/host/runner.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const clock = new FakeClock();
const jobs = new Jobs({ clock: clock, unhonouredAfterMs: 250 });
const interrupts = new InterruptRecorder();
const started: string[] = [];
let onStarted: (id: string) => void = () => {};
let pool: Pool;
let runner: Runner;

beforeAll(async () => {
  pool = Pool.create({ size: 1, maxQueue: 10, memoryLimitMb: 64, guest: { maxLogLines: 1000, maxLogBytes: 1 << 20, maxTimers: 100 }, maxRuns: 1000, maxErrors: 1000, onCatastrophicError: () => {} });
  await pool.ready();
  runner = new Runner({ pool, jobs, interrupts, clock, emit: () => {}, onStarted: (id) => (started.push(id), onStarted(id)), defaultMemoryLimitMb: 64 });
});
afterAll(() => pool.close());

const run = (id: string, request: Partial<ParsedRunRequest> & { code: string }) => runner.run(id, request as ParsedRunRequest, clock.now());

/** Resolves once the run's code is executing (its deadline timer is armed). */
async function executing(): Promise<void> {
  for (let i = 0; i < 2000 && clock.pending === 0; i++) await new Promise((r) => setTimeout(r, 1));
  await new Promise((r) => setTimeout(r, 5));
}

describe('the execution pipeline', () => {
  it('returns a value and the console lines', async () => {
    const r = await run('ok', { code: 'console.log("hi", 1); 6 * 7' });
    expect(r).toMatchObject({ ok: true, value: 42, logs: [{ level: 'log', text: 'hi 1' }], logsTruncated: false });
    expect(r.isolate).toEqual({ index: 0, contextReused: false });
  });

  it("reports the script's own error at its line", async () => {
    const r = await run('throws', { code: 'const a = 1;\nnull.x' });
    expect(r.error).toMatchObject({ type: 'TypeError', line: 2 });
  });

  it('reports a compile error at its line and column without running anything', async () => {
    const r = await run('syntax', { code: 'let x = 1;\nlet = = 2' });
    expect(r.error).toMatchObject({ type: 'SyntaxError', line: 2 });
    expect(r.timing.executionMs).toBe(0);
  });

  it('ends a synchronous loop at the deadline with TimeoutError (isolated-vm timeout)', async () => {
    const r = await run('sync', { code: 'for (;;) {}', timeoutMs: 30 });
    // The receipt says where it stopped: busy on line 1 (the loop), column 1.
    expect(r.error).toMatchObject({ type: 'TimeoutError', message: 'Run exceeded its 30 ms time limit', line: 1, column: 1 });
    expect(r.error?.stopped).toMatchObject({ state: 'busy', frames: [{ line: 1, column: 1 }] });
  });

  it('ends a never-settling promise at the host deadline (fake clock)', async () => {
    const pending = run('async', { code: 'await new Promise(() => {})', timeoutMs: 50 });
    await executing();
    clock.advance(51.5);
    const r = await pending;
    expect(r.error?.type).toBe('TimeoutError');
    expect((await run('after-async', { code: '1' })).value).toBe(1);
  });

  it('ends a loop past its CPU limit with CpuLimitError', async () => {
    const r = await run('cpu', { code: 'for (;;) {}', cpuLimitMs: 20, timeoutMs: 10_000 });
    expect(r.error).toMatchObject({ type: 'CpuLimitError', message: 'Run exceeded its 20 ms CPU limit', line: 1 });
    expect(r.error?.stopped?.state).toBe('busy');
  });

  it('ends a memory bomb with MemoryLimitError and replaces the isolate', async () => {
    const r = await run('memory', { code: 'const a = []; for (;;) a.push("x".repeat(10000) + Math.random())', memoryLimitMb: 16 });
    expect(r.error?.type).toBe('MemoryLimitError');
    expect(r.error?.message).toBe("Run exceeded the isolate's 16 MB memory limit");
    expect((await run('after-memory', { code: '2' })).value).toBe(2);
  });

  it('cancels a run while it waits in the queue, and one while it runs', async () => {
    const first = run('long', { code: 'await new Promise(() => {})' });
    await executing();
    const queued = run('queued', { code: '1' });
    await new Promise((r) => setTimeout(r, 5));
    expect(jobs.cancel('queued')).toBe(true);
    expect((await queued).error).toEqual({ type: 'CancelledError', message: 'Run was cancelled' });
    expect(started).not.toContain('queued');
    expect(jobs.cancel('long')).toBe(true);
    expect((await first).error?.type).toBe('CancelledError');
  });

  it('cancels a run while its context is being prepared, before any of its code runs', async () => {
    onStarted = (id) => {
      if (id === 'preparing') jobs.cancel(id);
    };
    // A new memory limit makes the slot rebuild its isolate: the cancel lands during that preparation.
    const r: RunResult = await run('preparing', { code: 'for (;;) {}', memoryLimitMb: 48 });
    onStarted = () => {};
    expect(r.error?.type).toBe('CancelledError');
    expect(r.timing.executionMs).toBeLessThan(20);
  });

  it('counts every interrupt with its latency', () => {
    const s = interrupts.snapshot();
    expect(s).toMatchObject({ timeouts: 2, cpuLimits: 1, memoryLimits: 1, cancels: 3 });
    expect(s.latencyMs.count).toBe(6);
  });
});
