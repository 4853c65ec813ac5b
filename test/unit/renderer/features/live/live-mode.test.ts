import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../../engine/common/api.ts';
import { failedRunResult, type RunRequest, type RunResult } from '../../../../../engine/common/contract.ts';
import { IDE_RECORD, ideRecord, LIVE_DEBOUNCE_MS, LiveMode } from '../../../../../renderer/src/features/live/live-mode.ts';
import { FakeClock } from '../../../../support/fake-clock.ts';

function setup(stored: string[] = []) {
  const clock = new FakeClock();
  const requests: (RunRequest & { runId: string })[] = [];
  const cancelled: string[] = [];
  const answers = new Map<string, (r: RunResult) => void>();
  const data = new Map<string, string>([['isolab:live', JSON.stringify(stored)]]);
  const live = new LiveMode({
    run: (request) => {
      requests.push(request);
      return new Promise((resolve) => answers.set(request.runId, resolve));
    },
    cancel: (runId) => cancelled.push(runId),
    settings: () => ({ ...DEFAULT_SETTINGS, liveTimeoutMs: 700, cpuLimitMs: 5_000 }),
    language: () => 'javascript',
    storage: { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) },
    clock,
  });
  const answer = (runId: string, values = [{ line: 1, kind: 'expression' as const, preview: '1', count: 1 }]) => answers.get(runId)!({ ...failedRunResult(runId, 'x', 'y'), ok: true, error: undefined, values });
  return { clock, live, requests, cancelled, answer, data };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('LiveMode', () => {
  it('runs a live tab once typing pauses, with the live timeout, recording values and coverage', async () => {
    const { clock, live, requests, answer } = setup();
    live.toggle('a.js', '1');
    live.edited('a.js', '12');
    clock.advance(LIVE_DEBOUNCE_MS - 1);
    expect(requests).toHaveLength(0);
    live.edited('a.js', '123');
    clock.advance(LIVE_DEBOUNCE_MS - 1);
    expect(requests).toHaveLength(0);
    clock.advance(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ code: '123', filename: 'a.js', timeoutMs: 700, cpuLimitMs: 700, record: { values: true, coverage: true } });
    expect(requests[0]!.reuseContext).toBeUndefined();
    expect(live.store.get().running).toEqual(['a.js']);
    answer(requests[0]!.runId);
    await flush();
    expect(live.store.get().shown['a.js']).toMatchObject({ live: true, runId: requests[0]!.runId });
    expect(live.store.get().running).toEqual([]);
  });

  it('cancels the run in flight on a new edit and never shows its stale values', async () => {
    const { clock, live, requests, cancelled, answer } = setup(['a.js']);
    live.edited('a.js', 'x');
    clock.advance(LIVE_DEBOUNCE_MS);
    const first = requests[0]!.runId;
    live.edited('a.js', 'xy');
    expect(cancelled).toEqual([first]);
    answer(first);
    await flush();
    expect(live.store.get().shown['a.js']).toBeUndefined();
    clock.advance(LIVE_DEBOUNCE_MS);
    expect(requests[1]!.code).toBe('xy');
  });

  it('does nothing for tabs without Live, remembers Live per script, and stops when turned off', () => {
    const { clock, live, requests, cancelled, data } = setup();
    live.edited('b.js', '1');
    clock.advance(LIVE_DEBOUNCE_MS * 2);
    expect(requests).toHaveLength(0);
    live.toggle('b.js', '1');
    expect(JSON.parse(data.get('isolab:live')!)).toEqual(['b.js']);
    clock.advance(LIVE_DEBOUNCE_MS);
    live.toggle('b.js', '1');
    expect(cancelled).toEqual([requests[0]!.runId]);
    expect(JSON.parse(data.get('isolab:live')!)).toEqual([]);
    expect(setup(['c.js']).live.isOn('c.js')).toBe(true);
  });

  it('shows the values of an ordinary run, unless a live run is on its way', () => {
    const { live } = setup(['a.js']);
    const result = { ...failedRunResult('r1', 'x', 'y'), values: [] };
    live.ranScript('b.js', 'r1', result);
    expect(live.store.get().shown['b.js']).toMatchObject({ live: false, runId: 'r1' });
    live.edited('a.js', '1');
    live.ranScript('a.js', 'r2', result);
    expect(live.store.get().shown['a.js']).toBeUndefined();
  });
});

describe('ideRecord', () => {
  it('asks for values and coverage for a plain script, and for nothing for what may be a module script', () => {
    expect(ideRecord('const a = 1;\na + 1')).toEqual({ record: IDE_RECORD });
    expect(ideRecord("import { f } from './util.js';\nf()")).toEqual({});
    expect(ideRecord('export const x = 1;')).toEqual({});
    expect(ideRecord('const m = await import("./m.js");')).toEqual({});
    // A word inside another one is not the keyword.
    expect(ideRecord('const exporter = 1, important = 2;')).toEqual({ record: IDE_RECORD });
  });
});
