import { describe, expect, it } from 'vitest';
import { Jobs } from '../../../../../engine/host/pipeline/job.ts';
import { FakeClock } from '../../../../support/fake-clock.ts';

describe('Job', () => {
  it('leaves the queue when interrupted while queued, with CancelledError', () => {
    const clock = new FakeClock();
    const job = new Jobs(clock).open('a');
    job.interrupt('cancel');
    expect(job.queueSignal.aborted).toBe(true);
    expect((job.queueSignal.reason as Error).name).toBe('CancelledError');
    expect(job.interrupted).toEqual({ kind: 'cancel', at: clock.now() });
  });

  it('keeps the first interrupt and its time', () => {
    const clock = new FakeClock();
    const job = new Jobs(clock).open('a');
    job.interrupt('timeout');
    clock.advance(5);
    job.interrupt('cancel');
    expect(job.interrupted).toEqual({ kind: 'timeout', at: 1_000 });
  });

  it('stops executing code on interrupt, and refuses to start after one', () => {
    const clock = new FakeClock();
    const jobs = new Jobs(clock);
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
    const job = new Jobs(new FakeClock()).open('a');
    let stopped = 0;
    job.executing(() => stopped++);
    job.settled();
    job.interrupt('cancel');
    expect(stopped).toBe(0);
  });

  it('cancels by id only while the job is open', () => {
    const jobs = new Jobs(new FakeClock());
    const job = jobs.open('a');
    expect(jobs.cancel('nope')).toBe(false);
    expect(jobs.cancel('a')).toBe(true);
    jobs.close(job);
    expect(jobs.cancel('a')).toBe(false);
    expect(jobs.size).toBe(0);
  });
});
