/** Counts of interrupted runs and how long each interrupt took to deliver its error. */
import type { InterruptStats } from '../common/contract.ts';

export type InterruptKind = 'timeout' | 'cpu' | 'cancel' | 'memory';

const WINDOW = 2_000;

export class InterruptRecorder {
  timeouts = 0;
  cpuLimits = 0;
  cancels = 0;
  memoryLimits = 0;
  #latencies: number[] = [];
  #count = 0;

  record(kind: InterruptKind, latencyMs?: number): void {
    if (kind === 'timeout') this.timeouts++;
    else if (kind === 'cpu') this.cpuLimits++;
    else if (kind === 'cancel') this.cancels++;
    else this.memoryLimits++;
    if (latencyMs !== undefined && Number.isFinite(latencyMs)) {
      this.#count++;
      this.#latencies.push(Math.max(0, latencyMs));
      if (this.#latencies.length > WINDOW) this.#latencies.shift();
    }
  }

  snapshot(hostRestarts = 0): InterruptStats {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const pick = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    return {
      timeouts: this.timeouts,
      cpuLimits: this.cpuLimits,
      cancels: this.cancels,
      memoryLimits: this.memoryLimits,
      hostRestarts,
      latencyMs: { count: this.#count, p50: pick(0.5), p99: pick(0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0 },
    };
  }
}
