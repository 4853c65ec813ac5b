import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../../engine/common/contract.ts';
import type { RunEvent } from '../../../../engine/common/protocol.ts';
import { addToHistory, applyEvents, failedResult, finishRun, HISTORY_LENGTH, newSession } from '../../../../renderer/src/state/session.ts';

const base = () => newSession({ runId: 'r1', kind: 'run', script: 'a.js', label: 'a.js', startedAt: 0 });
const log = (runId: string, text: string): RunEvent => ({ type: 'log', runId, entry: { level: 'log', text, timeMs: 1 } });
const result = (runId: string, logs: string[] = []): RunResult => ({
  ...failedResult(runId, 'x', 'y', 1),
  ok: true,
  error: undefined,
  value: 1,
  logs: logs.map((text) => ({ level: 'log' as const, text, timeMs: 1 })),
});

describe('run sessions', () => {
  it('appends only its own run events and bumps the version', () => {
    const s = applyEvents(base(), [log('r1', 'a'), log('other', 'b'), { type: 'heap', runId: 'r1', sample: { usedBytes: 1, totalBytes: 2, limitBytes: 3, externalBytes: 0, timeMs: 5 } }]);
    expect(s.logs.map((l) => l.text)).toEqual(['a']);
    expect(s.heap).toHaveLength(1);
    expect(s.version).toBe(1);
    expect(applyEvents(s, [log('other', 'c')])).toBe(s);
  });

  it('takes the result as the authoritative log and ignores late events', () => {
    const streamed = applyEvents(base(), [log('r1', 'a')]);
    const done = finishRun(streamed, result('r1', ['a', 'b']));
    expect(done.running).toBe(false);
    expect(done.logs.map((l) => l.text)).toEqual(['a', 'b']);
    expect(applyEvents(done, [log('r1', 'late')]).logs).toHaveLength(2);
    // A second copy of the result (reply and runFinished event) changes nothing.
    expect(finishRun(done, result('r1', ['other']))).toBe(done);
  });

  it('keeps leak samples unique per iteration', () => {
    const sample = { iteration: 1, heapUsedBytes: 1, externalBytes: 0, handles: {}, ms: 1, gcMs: 1 };
    const s = applyEvents(newSession({ runId: 'l', kind: 'leak', script: 'a.js', label: 'a', startedAt: 0, leakIterations: 5 }), [
      { type: 'leakProgress', runId: 'l', sample, iterations: 5 },
      { type: 'leakProgress', runId: 'l', sample, iterations: 5 },
    ]);
    expect(s.leakSamples).toHaveLength(1);
    expect(s.leakIterations).toBe(5);
  });

  it('keeps a bounded, newest-first history without duplicates', () => {
    let history: ReturnType<typeof addToHistory> = [];
    for (let i = 0; i < HISTORY_LENGTH + 5; i++) {
      const s = finishRun(newSession({ runId: `r${i}`, kind: 'run', script: 'a.js', label: 'a.js', startedAt: 0 }), result(`r${i}`));
      history = addToHistory(history, s, i);
      history = addToHistory(history, s, i);
    }
    expect(history).toHaveLength(HISTORY_LENGTH);
    expect(history[0]!.runId).toBe(`r${HISTORY_LENGTH + 4}`);
  });
});

describe('a run restarted on a new engine host', () => {
  it('drops what was streamed before the restart and says why', () => {
    let s = newSession({ runId: 'r', kind: 'run', script: 'a.js', label: 'a.js', startedAt: 0 });
    s = applyEvents(s, [
      { type: 'log', runId: 'r', entry: { level: 'log', text: 'first try', timeMs: 1 } },
      { type: 'heap', runId: 'r', sample: { usedBytes: 1, totalBytes: 2, limitBytes: 3, externalBytes: 0, timeMs: 1 } },
    ]);
    s = applyEvents(s, [
      { type: 'restarted', runId: 'r', reason: 'its engine host was replaced because run x could not be interrupted' },
      { type: 'log', runId: 'r', entry: { level: 'log', text: 'second try', timeMs: 1 } },
    ]);
    expect(s.logs.map((l) => l.text)).toEqual(['Restarted: its engine host was replaced because run x could not be interrupted', 'second try']);
    expect(s.heap).toEqual([]);
  });
});
