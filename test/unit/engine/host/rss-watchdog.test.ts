import { describe, expect, it } from 'vitest';
import { startRssWatchdog } from '../../../../engine/host/rss-watchdog.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const MB = 1024 * 1024;

function setup() {
  const clock = new FakeClock();
  let rss = 100 * MB;
  const pool = { acceptingWork: true, recycled: 0, recycleIdle() { this.recycled++; return 1; } };
  const reasons: string[] = [];
  startRssWatchdog({ clock, budgetBytes: 200 * MB, intervalMs: 50, rss: () => rss, pool, onHardLimit: (r) => reasons.push(r) });
  return { clock, pool, reasons, setRss: (mb: number) => (rss = mb * MB) };
}

describe('RSS watchdog', () => {
  it('refuses work and recycles idle isolates once past the budget, and accepts again below it', () => {
    const { clock, pool, setRss } = setup();
    setRss(250);
    clock.advance(50);
    expect(pool.acceptingWork).toBe(false);
    expect(pool.recycled).toBe(1);
    clock.advance(50);
    expect(pool.recycled).toBe(1);
    setRss(150);
    clock.advance(50);
    expect(pool.acceptingWork).toBe(true);
  });

  it('hands over the reason once past 1.5× the budget, and stops watching', () => {
    const { clock, reasons, setRss } = setup();
    setRss(301);
    clock.advance(50);
    expect(reasons).toEqual(['went past its memory limit (RSS 301 MB > 300 MB)']);
    clock.advance(500);
    expect(reasons).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });
});
