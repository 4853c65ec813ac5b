import { describe, expect, it } from 'vitest';
import { explain, type ExplainTarget } from '../../../../../engine/host/leak/explainer.ts';
import type { CdpNotification, InspectorSession } from '../../../../../engine/host/inspector/session.ts';
import type { GuestContext } from '../../../../../engine/host/guest-context.ts';
import { FakeClock } from '../../../../support/fake-clock.ts';
import { snapshotJson } from './snapshot-builder.ts';

/** A session whose snapshots are `snapshot()` (or never come, when it returns undefined). */
function fakeSession(snapshot: () => string | undefined): { session: InspectorSession; sent: string[] } {
  const listeners = new Set<(n: CdpNotification) => void>();
  const sent: string[] = [];
  const session = {
    onNotification(listener: (n: CdpNotification) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(method: string) {
      sent.push(method);
      if (method === 'HeapProfiler.takeHeapSnapshot') {
        const text = snapshot();
        if (text === undefined) return new Promise(() => {});
        for (let i = 0; i < text.length; i += 100) for (const l of [...listeners]) l({ method: 'HeapProfiler.addHeapSnapshotChunk', params: { chunk: text.slice(i, i + 100) } });
      }
      if (method === 'HeapProfiler.stopSampling') return Promise.resolve({ profile: { head: { callFrame: { functionName: '', url: '', lineNumber: 0, columnNumber: 0 }, selfSize: 0, children: [] } } });
      return Promise.resolve({});
    },
  } as unknown as InspectorSession;
  return { session, sent };
}

function target(session: InspectorSession, clock: FakeClock, budget: { ms: number; bytes: number }): ExplainTarget {
  let runs = 0;
  return {
    session,
    context: { pendingWaits: async () => [] } as unknown as GuestContext,
    filename: 'main.js',
    wrapped: { insertions: [] },
    clock,
    iterate: async () => {
      runs++;
      return true;
    },
    iterationsBetween: 3,
    budget,
  };
}

const tiny = snapshotJson([{ type: 'synthetic', name: '', id: 1, size: 0, edges: [] }]);

describe('explain: limits', () => {
  it('reports a snapshot that outgrows its size budget instead of reading on', async () => {
    const clock = new FakeClock();
    const { session } = fakeSession(() => tiny);
    const explanation = await explain(target(session, clock, { ms: 5_000, bytes: 200 }));
    expect(explanation.incomplete).toMatch(/heap snapshot grew past its 200 B budget/);
    expect(explanation.groups).toEqual([]);
  });

  it('reports a snapshot that takes longer than its time budget, without waiting for it', async () => {
    const clock = new FakeClock();
    const { session } = fakeSession(() => undefined);
    let settled = false;
    const pending = explain(target(session, clock, { ms: 5_000, bytes: 1 << 20 })).finally(() => (settled = true));
    // The snapshot is asked for after a few replies; time then moves until the budget is spent.
    for (let step = 0; step < 40 && !settled; step++) await clock.advanceAsync(500, 500);
    const explanation = await pending;
    expect(clock.now()).toBeGreaterThanOrEqual(5_000);
    expect(explanation.incomplete).toMatch(/heap snapshot took longer than its 5 s budget/);
  });

  it('takes three snapshots around two rounds of iterations and sizes them', async () => {
    const clock = new FakeClock();
    const { session, sent } = fakeSession(() => tiny);
    const explanation = await explain(target(session, clock, { ms: 5_000, bytes: 1 << 20 }));
    expect(explanation.incomplete).toBeUndefined();
    expect(sent.filter((m) => m === 'HeapProfiler.takeHeapSnapshot')).toHaveLength(3);
    expect(explanation.snapshotBytes).toEqual([tiny.length, tiny.length, tiny.length]);
    expect(explanation.iterationsBetweenSnapshots).toBe(3);
  });
});
