/** Counts of interrupted runs and how long each interrupt took to turn into an outcome. */
import type { HostInterruptStats } from '../common/contract.ts';

/** `debuggerIdle`: paused in the debugger past its idle limit (counted with the timeouts). */
export type InterruptKind = 'timeout' | 'cpu' | 'cancel' | 'memory' | 'debuggerIdle';

/** Latencies kept for the percentiles (the most recent ones). */
const WINDOW = 2_000;

export class InterruptRecorder {
  readonly #counts: Record<Exclude<InterruptKind, 'debuggerIdle'>, number> = { timeout: 0, cpu: 0, cancel: 0, memory: 0 };
  #latencies: number[] = [];
  #count = 0;

  record(kind: InterruptKind, latencyMs?: number): void {
    this.#counts[kind === 'debuggerIdle' ? 'timeout' : kind]++;
    if (latencyMs !== undefined && Number.isFinite(latencyMs)) {
      this.#count++;
      this.#latencies.push(Math.max(0, latencyMs));
      if (this.#latencies.length > WINDOW) this.#latencies.shift();
    }
  }

  snapshot(): HostInterruptStats {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const pick = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    return {
      timeouts: this.#counts.timeout,
      cpuLimits: this.#counts.cpu,
      cancels: this.#counts.cancel,
      memoryLimits: this.#counts.memory,
      latencyMs: { count: this.#count, p50: pick(0.5), p99: pick(0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0 },
    };
  }
}
