/**
 * A Clock whose time moves only when a test says so. Timers fire in due order during advance();
 * nothing sleeps.
 */
import type { Clock, TimerHandle } from '../../engine/common/clock.ts';

interface FakeTimer {
  id: number;
  due: number;
  fn: () => void;
  everyMs?: number;
}

export class FakeClock implements Clock {
  #now: number;
  #next = 1;
  readonly #timers = new Map<number, FakeTimer>();

  constructor(start = 1_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.#add(fn, ms, Math.max(1, ms));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.#timers.delete((handle as { id: number }).id);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  /** Timers not yet fired (or cleared). */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that comes due, in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const next = [...this.#timers.values()].filter((t) => t.due <= end).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.#now = next.due;
      if (next.everyMs !== undefined) next.due += next.everyMs;
      else this.#timers.delete(next.id);
      next.fn();
    }
    this.#now = end;
  }

  /** Advances in steps, letting promises settle between them (for code that awaits between timers). */
  async advanceAsync(ms: number, stepMs = 1): Promise<void> {
    for (let t = 0; t < ms; t += stepMs) {
      this.advance(Math.min(stepMs, ms - t));
      await new Promise((r) => setImmediate(r));
    }
  }

  #add(fn: () => void, ms: number, everyMs?: number): TimerHandle {
    const timer: FakeTimer = { id: this.#next++, due: this.#now + Math.max(0, ms), fn, ...(everyMs !== undefined ? { everyMs } : {}) };
    this.#timers.set(timer.id, timer);
    return { id: timer.id } as unknown as TimerHandle;
  }
}
