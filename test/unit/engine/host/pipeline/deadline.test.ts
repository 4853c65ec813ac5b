import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../../../engine/host/pipeline/deadline.ts';
import { FakeClock } from '../../../../support/fake-clock.ts';

describe('Deadline', () => {
  it('fires once, margin after the budget is spent', () => {
    const clock = new FakeClock();
    let fired = 0;
    new Deadline(clock, 100, () => fired++, 2);
    clock.advance(101);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
    clock.advance(1000);
    expect(fired).toBe(1);
  });

  it('does not count paused time, and says how long it was paused', () => {
    const clock = new FakeClock();
    let fired = 0;
    const d = new Deadline(clock, 100, () => fired++);
    clock.advance(60);
    d.pause();
    clock.advance(10_000);
    expect(fired).toBe(0);
    expect(d.remaining()).toBe(40);
    expect(d.pausedMs()).toBe(10_000);
    d.resume();
    clock.advance(39);
    expect(fired).toBe(0);
    expect(d.spent()).toBe(99);
    clock.advance(1);
    expect(fired).toBe(1);
  });

  it('never fires after cancel, and pause/resume are idempotent', () => {
    const clock = new FakeClock();
    let fired = 0;
    const d = new Deadline(clock, 50, () => fired++);
    d.pause();
    d.pause();
    clock.advance(5);
    d.resume();
    d.resume();
    expect(d.pausedMs()).toBe(5);
    d.cancel();
    clock.advance(1000);
    expect(fired).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
