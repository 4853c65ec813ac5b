/**
 * A run's wall-clock budget. It counts only while running: `pause()` (a debugger stopped at a
 * breakpoint) stops the count and `resume()` continues it, so a paused run can sit far past its
 * timeout and still finish. When the budget is spent, `onExpire` fires once, `marginMs` late, so
 * that isolated-vm's own (cheaper) timeout wins for synchronous loops.
 */
import type { Clock, TimerHandle } from '../../common/clock.ts';

export class Deadline {
  readonly #clock: Clock;
  readonly #budgetMs: number;
  readonly #marginMs: number;
  readonly #onExpire: () => void;
  #startedAt: number;
  /** Time spent running before the current stretch (sum of earlier stretches). */
  #spentMs = 0;
  #pausedAt: number | undefined;
  #pausedMs = 0;
  #timer: TimerHandle | undefined;
  #done = false;

  constructor(clock: Clock, budgetMs: number, onExpire: () => void, marginMs = 0) {
    this.#clock = clock;
    this.#budgetMs = budgetMs;
    this.#marginMs = marginMs;
    this.#onExpire = onExpire;
    this.#startedAt = clock.now();
    this.#arm();
  }

  /** Milliseconds of budget left (0 when spent). */
  remaining(): number {
    return Math.max(0, this.#budgetMs - this.spent());
  }

  /** Running time so far (paused stretches excluded). */
  spent(): number {
    return this.#spentMs + (this.#pausedAt === undefined ? this.#clock.now() - this.#startedAt : 0);
  }

  /** Total time spent paused. */
  pausedMs(): number {
    return this.#pausedMs + (this.#pausedAt === undefined ? 0 : this.#clock.now() - this.#pausedAt);
  }

  get paused(): boolean {
    return this.#pausedAt !== undefined;
  }

  pause(): void {
    if (this.#done || this.#pausedAt !== undefined) return;
    this.#spentMs = this.spent();
    this.#pausedAt = this.#clock.now();
    this.#clock.clearTimeout(this.#timer);
  }

  resume(): void {
    if (this.#done || this.#pausedAt === undefined) return;
    this.#pausedMs += this.#clock.now() - this.#pausedAt;
    this.#pausedAt = undefined;
    this.#startedAt = this.#clock.now();
    this.#arm();
  }

  /** Stops counting for good (the run settled). */
  cancel(): void {
    this.#done = true;
    this.#clock.clearTimeout(this.#timer);
  }

  #arm(): void {
    this.#timer = this.#clock.setTimeout(() => {
      if (this.#done || this.#pausedAt !== undefined) return;
      this.#done = true;
      this.#onExpire();
    }, this.remaining() + this.#marginMs);
  }
}
