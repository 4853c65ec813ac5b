import { describe, expect, it } from 'vitest';
import { Caller, Callers } from '../../../../engine/app/caller.ts';

describe('Caller', () => {
  it('keeps the runs a page started until they end, and cancels the rest when asked', () => {
    const cancelled: string[] = [];
    const caller = new Caller((runId) => cancelled.push(runId));
    caller.runStarted('a');
    caller.runStarted('b');
    caller.runEnded('a');
    expect(caller.runIds).toEqual(['b']);
    caller.cancelRuns();
    expect(cancelled).toEqual(['b']);
    expect(caller.runIds).toEqual([]);
    caller.cancelRuns();
    expect(cancelled).toEqual(['b']);
  });
});

describe('Callers', () => {
  it('gives each page one caller, and a page that went away comes back as a new one', () => {
    const cancelled: string[] = [];
    const callers = new Callers<number>((runId) => cancelled.push(runId));
    const first = callers.of(1);
    expect(callers.of(1)).toBe(first);
    expect(callers.of(2)).not.toBe(first);
    first.runStarted('r1');
    callers.of(2).runStarted('r2');
    callers.end(1);
    expect(cancelled).toEqual(['r1']);
    expect(callers.find(1)).toBeUndefined();
    expect(callers.of(1)).not.toBe(first);
    expect(callers.size).toBe(2);
    callers.end(99);
    expect(cancelled).toEqual(['r1']);
  });
});
