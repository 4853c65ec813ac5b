import { describe, expect, it } from 'vitest';
import { Jobs } from '../../../../../engine/host/pipeline/job.ts';
import { FakeClock } from '../../../../support/fake-clock.ts';

describe('Job', () => {
  it('leaves the queue when interrupted while queued, with CancelledError', () => {
    const clock = new FakeClock();
    const job = new Jobs({ clock: clock, unhonouredAfterMs: 250 }).open('a');
    job.interrupt('cancel');
    expect(job.queueSignal.aborted).toBe(true);
    expect((job.queueSignal.reason as Error).name).toBe('CancelledError');
    expect(job.interrupted).toEqual({ kind: 'cancel', at: clock.now() });
  });

  it('keeps the first interrupt and its time', () => {
    const clock = new FakeClock();
    const job = new Jobs({ clock: clock, unhonouredAfterMs: 250 }).open('a');
    job.interrupt('timeout');
    clock.advance(5);
    job.interrupt('cancel');
    expect(job.interrupted).toEqual({ kind: 'timeout', at: 1_000 });
  });

  it('stops executing code on interrupt, and refuses to start after one', () => {
    const clock = new FakeClock();
    const jobs = new Jobs({ clock: clock, unhonouredAfterMs: 250 });
    const running = jobs.open('a');
    let stopped = 0;
    expect(running.executing(() => stopped++)).toBe(true);
    running.interrupt('cpu');
    expect(stopped).toBe(1);

    const late = jobs.open('b');
    late.interrupt('cancel');
    expect(late.executing(() => stopped++)).toBe(false);
    expect(stopped).toBe(1);
  });

  it('does not stop code that has settled', () => {
    const job = new Jobs({ clock: new FakeClock(), unhonouredAfterMs: 250 }).open('a');
    let stopped = 0;
    job.executing(() => stopped++);
    job.settled();
    job.interrupt('cancel');
    expect(stopped).toBe(0);
  });

  it('cancels by id only while the job is open', () => {
    const jobs = new Jobs({ clock: new FakeClock(), unhonouredAfterMs: 250 });
    const job = jobs.open('a');
    expect(jobs.cancel('nope')).toBe(false);
    expect(jobs.cancel('a')).toBe(true);
    jobs.close(job);
    expect(jobs.cancel('a')).toBe(false);
    expect(jobs.size).toBe(0);
  });
});

describe('code that does not stop', () => {
  it('is abandoned, and reported once, when a stop is not honoured in time', async () => {
    const clock = new FakeClock();
    const reported: string[] = [];
    const job = new Jobs({ clock, unhonouredAfterMs: 250, onUnhonoured: (j) => reported.push(j.id) }).open('stuck');
    let abandoned = false;
    void job.abandoned.then(() => (abandoned = true));
    job.executing(() => {});
    job.interrupt('timeout');
    clock.advance(249);
    await Promise.resolve();
    expect(abandoned).toBe(false);
    clock.advance(1);
    await Promise.resolve();
    expect(abandoned).toBe(true);
    expect(reported).toEqual(['stuck']);
    expect(job.interrupted).toMatchObject({ kind: 'timeout', unhonoured: true });
  });

  it('is not abandoned when it stops in time', async () => {
    const clock = new FakeClock();
    const reported: string[] = [];
    const job = new Jobs({ clock, unhonouredAfterMs: 250, onUnhonoured: (j) => reported.push(j.id) }).open('ok');
    job.executing(() => {});
    job.interrupt('cancel');
    clock.advance(10);
    job.settled();
    clock.advance(1000);
    expect(reported).toEqual([]);
    expect(job.interrupted?.unhonoured).toBeUndefined();
  });
});
