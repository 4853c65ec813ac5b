/**
 * Time as a dependency. Deadlines, heartbeats, back-offs and samplers take a Clock so their logic
 * is tested by advancing a fake one (test/support/fake-clock.ts) instead of sleeping.
 */

/** An opaque timer handle; only the clock that made it can clear it. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

export interface Clock {
  /** Monotonic milliseconds (performance.now() on the system clock). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

type Unrefable = { unref?: () => unknown };

/** The real clock. Its timers are unref'd: a pending deadline never keeps a process alive. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms) as unknown as Unrefable;
    t.unref?.();
    return t as TimerHandle;
  },
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  setInterval(fn, ms) {
    const t = setInterval(fn, ms) as unknown as Unrefable;
    t.unref?.();
    return t as TimerHandle;
  },
  clearInterval: (handle) => clearInterval(handle as Parameters<typeof clearInterval>[0]),
};
