/**
 * When to start the next engine host after one died: at once, unless hosts keep dying, then with
 * a doubling back-off (a host that crashes on start must not be respawned in a tight loop).
 */
import type { Clock } from '../common/clock.ts';

/** Crashes within this window count as "keep dying". */
const WINDOW_MS = 10_000;
/** Crashes in the window tolerated before backing off. */
const FREE_RESTARTS = 3;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

export class RestartPolicy {
  readonly #clock: Clock;
  #recent: number[] = [];
  /** Hosts replaced so far. */
  count = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Counts a replacement that was not a crash (a degraded host retired in good order). */
  replaced(): void {
    this.count++;
  }

  /** Records a crash; returns how long to wait before starting the next host, in ms. */
  crashed(): number {
    const now = this.#clock.now();
    this.count++;
    this.#recent = [...this.#recent.filter((t) => now - t < WINDOW_MS), now];
    const n = this.#recent.length;
    return n > FREE_RESTARTS ? Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (n - FREE_RESTARTS)) : 0;
  }
}
