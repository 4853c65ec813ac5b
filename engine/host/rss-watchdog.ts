/**
 * Watches the host's own RSS. Past the budget it refuses new work and recycles idle isolates;
 * back under it, work is accepted again. Past the hard limit (1.5× the budget) nothing can be
 * trusted to shrink in time: the host hands over the reason and ends itself.
 */
import type { Clock } from '../common/clock.ts';

export interface RssWatchdogOptions {
  clock: Clock;
  budgetBytes: number;
  intervalMs: number;
  rss: () => number;
  /** The pool's side: refuse or accept work, recycle idle isolates. */
  pool: { acceptingWork: boolean; recycleIdle(): number };
  onHardLimit: (reason: string) => void;
}

export const HARD_LIMIT_FACTOR = 1.5;

/** Starts watching; returns the function that stops it. */
export function startRssWatchdog(o: RssWatchdogOptions): () => void {
  const hardLimit = o.budgetBytes * HARD_LIMIT_FACTOR;
  const timer = o.clock.setInterval(() => {
    const rss = o.rss();
    if (rss > hardLimit) {
      o.clock.clearInterval(timer);
      o.pool.acceptingWork = false;
      o.onHardLimit(`went past its memory limit (RSS ${Math.round(rss / 1048576)} MB > ${Math.round(hardLimit / 1048576)} MB)`);
      return;
    }
    if (rss > o.budgetBytes) {
      if (o.pool.acceptingWork) o.pool.recycleIdle();
      o.pool.acceptingWork = false;
    } else {
      o.pool.acceptingWork = true;
    }
  }, o.intervalMs);
  return () => o.clock.clearInterval(timer);
}
