/**
 * An in-process stand-in for EngineClient, for front-end tests that must not depend on engine
 * timing. `code` drives it: "hang" waits for cancel or the deadline (TimeoutError), "throw" fails,
 * anything else succeeds with `{ code }` as its value. `log:<text>` also emits one log event.
 */
import type { Engine, EngineNotice, RunOptions } from '../../engine/client/api.ts';
import type { EngineStatus, RunRequest, RunResult } from '../../engine/common/contract.ts';
import type { LeakReport, LeakRequest } from '../../engine/common/leak.ts';
import type { RunEvent } from '../../engine/common/protocol.ts';

export function resultFor(runId: string, partial: Partial<RunResult>): RunResult {
  return {
    runId,
    ok: true,
    logs: [],
    logsTruncated: false,
    timing: { queuedMs: 0, compileMs: 0, executionMs: 0, cpuMs: 0, totalMs: 0 },
    heap: { usedBytes: 1, totalBytes: 2, limitBytes: 3, externalBytes: 0 },
    ...partial,
  };
}

export class FakeEngine implements Engine {
  readonly runs: { request: RunRequest; runId: string }[] = [];
  readonly leaks: { request: LeakRequest; runId: string }[] = [];
  readonly cancelled: string[] = [];
  /** Chrome DevTools Protocol messages sent to runs, in order. */
  readonly inspected: { runId: string; message: string }[] = [];
  restarts = 0;
  private readonly pending = new Map<string, (result: RunResult) => void>();
  private readonly noticeListeners = new Set<(notice: EngineNotice) => void>();
  private readonly eventListeners = new Set<(event: RunEvent) => void>();
  private next = 0;
  closed = false;

  async run(request: RunRequest, options: RunOptions = {}): Promise<RunResult> {
    const runId = options.runId ?? `fake-${++this.next}`;
    this.runs.push({ request, runId });
    if (request.code.startsWith('log:')) {
      const event: RunEvent = { type: 'log', runId, entry: { level: 'log', text: request.code.slice(4), timeMs: 0 } };
      options.onEvent?.(event);
      for (const listener of this.eventListeners) listener(event);
    }
    if (request.code === 'throw') {
      return resultFor(runId, { ok: false, error: { type: 'Error', message: 'boom' } });
    }
    if (request.code === 'hang') {
      return new Promise<RunResult>((resolve) => {
        const timer = setTimeout(() => {
          this.pending.delete(runId);
          resolve(resultFor(runId, { ok: false, error: { type: 'TimeoutError', message: `timed out after ${request.timeoutMs} ms` } }));
        }, request.timeoutMs ?? 10_000);
        this.pending.set(runId, (result) => {
          clearTimeout(timer);
          this.pending.delete(runId);
          resolve(result);
        });
      });
    }
    return resultFor(runId, { value: { code: request.code, call: request.call ? request.call.name : null } });
  }

  async leak(request: LeakRequest, options: RunOptions = {}): Promise<LeakReport> {
    this.leaks.push({ request, runId: options.runId ?? `fake-${this.next + 1}` });
    const runId = options.runId ?? `fake-${++this.next}`;
    return {
      runId,
      verdict: 'stable',
      slopeBytesPerIteration: 0,
      confidence: 'high',
      reasons: [],
      handleSlopes: {},
      iterations: request.iterations ?? 40,
      completed: request.iterations ?? 40,
      warmupIterations: 0,
      samples: [],
      totalMs: 1,
    };
  }

  inspect(runId: string, message: string): boolean {
    this.inspected.push({ runId, message });
    return this.pending.has(runId);
  }

  cancel(runId: string): boolean {
    this.cancelled.push(runId);
    const finish = this.pending.get(runId);
    finish?.(resultFor(runId, { ok: false, error: { type: 'CancelledError', message: 'cancelled' } }));
    return finish !== undefined;
  }

  async status(): Promise<EngineStatus> {
    return {
      state: 'ready',
      interrupts: { timeouts: 0, cpuLimits: 0, cancels: this.cancelled.length, memoryLimits: 0, hostRestarts: this.restarts, latencyMs: { count: 0, p50: 0, p99: 0, max: 0 } },
      hostPid: 4242,
      versions: { node: '24.0.0', v8: '13', isolatedVm: '7.0.1' },
    };
  }

  onNotice(listener: (notice: EngineNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Pushes a run event to the listeners, as the engine host's stream would. */
  emit(event: RunEvent): void {
    for (const listener of this.eventListeners) listener(event);
  }

  /** Pretends the host died: runs in flight end with EngineCrashedError, then a new host is up. */
  crash(reason = 'killed by SIGKILL'): void {
    for (const [runId, finish] of this.pending) finish(resultFor(runId, { ok: false, error: { type: 'EngineCrashedError', message: reason } }));
    this.restarts++;
    for (const listener of this.noticeListeners) listener({ type: 'hostExited', pid: 4242, reason, restarting: true });
    for (const listener of this.noticeListeners) listener({ type: 'hostStarted', pid: 4243 });
  }

  get listenerCounts(): { notices: number; events: number } {
    return { notices: this.noticeListeners.size, events: this.eventListeners.size };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
