/**
 * Explains a leak profile in the isolate it ran in (a dedicated one, with V8's inspector on):
 * three heap snapshots `iterationsBetween` runs apart, V8 collecting all garbage before each, the
 * `(S2 \ S1) ∩ S3` diff (heap-diff.ts), V8's sampling heap profiler over the same runs for the
 * user lines whose allocations stayed alive, and the guest's pending timers before and after for
 * handles that were never released. Every snapshot runs under a time and size budget; one over
 * it ends the explanation with a note instead of hanging the profile.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { GUEST_FILENAME } from '../../common/guest-abi.ts';
import type { AllocationSite, LeakExplanation, LeakGroup } from '../../common/leak.ts';
import { explanationLimitText, timerGroupPath } from '../../common/leak-words.ts';
import type { Clock } from '../../common/clock.ts';
import type { GuestContext } from '../guest-context.ts';
import { InspectorSession } from '../inspector/session.ts';
import { mapColumn, positionFromStack, type WrappedSource } from '../wrap.ts';
import { diffSnapshots, snapshotIds, type SourceMapping } from './heap-diff.ts';
import { SnapshotParser, type HeapGraph, type ParseMode } from './snapshot-parser.ts';

export const SNAPSHOT_TIME_BUDGET_MS = 5_000;
export const SNAPSHOT_SIZE_BUDGET_BYTES = 256 * 1024 * 1024;
/** Bytes between two samples of the sampling heap profiler: small, the profiled heaps are small. */
const SAMPLING_INTERVAL_BYTES = 256;
const TOP_GROUPS = 8;
const PENDING_WAITS_MS = 1_000;

export interface ExplainTarget {
  session: InspectorSession;
  context: GuestContext;
  filename: string;
  wrapped: Pick<WrappedSource, 'insertions'>;
  clock: Clock;
  /** Runs one more iteration of the profile; false when it failed (the explanation stops). */
  iterate: () => Promise<boolean>;
  iterationsBetween: number;
  budget?: { ms: number; bytes: number };
  /** Also write the last snapshot, as V8 sent it, to this `.heapsnapshot` file. */
  saveSnapshotTo?: string;
}

class BudgetExceeded extends Error {}

interface SnapshotResult<M extends ParseMode> {
  graph: M extends 'ids' ? Set<number> : HeapGraph;
  chars: number;
}

async function snapshot<M extends ParseMode>(t: ExplainTarget, mode: M, save?: WriteStream): Promise<SnapshotResult<M>> {
  const budget = t.budget ?? { ms: SNAPSHOT_TIME_BUDGET_MS, bytes: SNAPSHOT_SIZE_BUDGET_BYTES };
  const parser = new SnapshotParser(mode);
  let over = false;
  const off = t.session.onNotification((n) => {
    if (n.method !== 'HeapProfiler.addHeapSnapshotChunk' || over) return;
    const chunk = n.params.chunk as string;
    if (parser.chars + chunk.length > budget.bytes) over = true;
    else {
      parser.write(chunk);
      save?.write(chunk);
    }
  });
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  try {
    const taken = t.session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    // Past its budget the snapshot is left to finish (V8 cannot stop one); its reply may then be a rejection when the session closes.
    taken.catch(() => {});
    const late = new Promise<'late'>((resolve) => (timer = t.clock.setTimeout(() => resolve('late'), budget.ms)));
    if ((await Promise.race([taken, late])) === 'late') throw new BudgetExceeded(explanationLimitText('time', budget.ms));
    if (over) throw new BudgetExceeded(explanationLimitText('size', budget.bytes));
  } finally {
    t.clock.clearTimeout(timer);
    off();
  }
  const graph = parser.finish();
  return { graph: (mode === 'ids' ? snapshotIds(graph) : graph) as SnapshotResult<M>['graph'], chars: parser.chars };
}

/** Script ids by url: Debugger.enable announces every script already compiled. */
async function scriptIds(session: InspectorSession): Promise<Map<string, number[]>> {
  const urls = new Map<string, number[]>();
  const off = session.onNotification((n) => {
    if (n.method !== 'Debugger.scriptParsed') return;
    const url = n.params.url as string;
    urls.set(url, [...(urls.get(url) ?? []), Number(n.params.scriptId)]);
  });
  await session.send('Debugger.enable');
  off();
  await session.send('Debugger.disable');
  return urls;
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/**
 * Live sampled bytes by the innermost user function on their allocation stack. V8's sampling heap
 * profiler keeps only samples whose objects are still alive when it stops, and knows functions,
 * not lines: a site is a function's first line (the user's top-level code is one function).
 */
function allocationSites(head: ProfileNode, t: ExplainTarget): AllocationSite[] {
  const sites = new Map<string, AllocationSite>();
  const visit = (node: ProfileNode, user: ProfileNode | undefined) => {
    const own = node.callFrame.url === t.filename ? node : user;
    if (own && node.selfSize > 0) {
      // V8 names a function by where it starts; the wrapper around the user's code starts before line 1.
      const topLevel = own.callFrame.lineNumber < 0;
      const line = topLevel ? 1 : own.callFrame.lineNumber + 1;
      const column = topLevel ? 1 : mapColumn(t.wrapped, line, own.callFrame.columnNumber + 1);
      const functionName = topLevel ? '(top level)' : own.callFrame.functionName;
      const key = `${line}:${column}`;
      const site = sites.get(key) ?? { line, column, bytes: 0, ...(functionName ? { functionName } : {}) };
      site.bytes += node.selfSize;
      sites.set(key, site);
    }
    for (const child of node.children) visit(child, own);
  };
  visit(head, undefined);
  return [...sites.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Pending timers by kind and creation line. */
async function timersByLine(t: ExplainTarget): Promise<Map<string, { kind: 'timer' | 'interval'; line?: number; column?: number; count: number }>> {
  const out = new Map<string, { kind: 'timer' | 'interval'; line?: number; column?: number; count: number }>();
  for (const wait of await t.context.pendingWaits(PENDING_WAITS_MS)) {
    const at = positionFromStack(wait.stack, t.filename, t.wrapped);
    const key = `${wait.kind}:${at?.line ?? ''}`;
    const entry = out.get(key) ?? { kind: wait.kind, ...(at ?? {}), count: 0 };
    entry.count++;
    out.set(key, entry);
  }
  return out;
}

function timerGroups(before: Awaited<ReturnType<typeof timersByLine>>, after: Awaited<ReturnType<typeof timersByLine>>, runs: number): LeakGroup[] {
  const groups: LeakGroup[] = [];
  for (const [key, entry] of after) {
    const grew = entry.count - (before.get(key)?.count ?? 0);
    if (grew <= 0) continue;
    const name = entry.kind === 'interval' ? 'setInterval' : 'setTimeout';
    const perRun = grew / runs;
    groups.push({
      kind: entry.kind,
      name,
      ...(entry.line !== undefined ? { line: entry.line, column: entry.column } : {}),
      countPerIteration: perRun,
      bytesPerIteration: 0,
      retainerPath: [{ label: timerGroupPath(name, entry.line, perRun), ...(entry.line !== undefined ? { line: entry.line, column: entry.column } : {}) }],
      allocationSites: entry.line !== undefined ? [{ line: entry.line, column: entry.column ?? 1, bytes: 0 }] : [],
    });
  }
  return groups.sort((a, b) => b.countPerIteration - a.countPerIteration);
}

export async function explain(t: ExplainTarget): Promise<LeakExplanation> {
  const started = t.clock.now();
  const k = t.iterationsBetween;
  const sizes: number[] = [];
  const partial = (incomplete: string): LeakExplanation => ({
    groups: [],
    allocationSites: [],
    iterationsBetweenSnapshots: k,
    survivingBytesPerIteration: 0,
    userBytesPerIteration: 0,
    snapshotBytes: sizes,
    ms: t.clock.now() - started,
    incomplete,
  });
  const save = t.saveSnapshotTo ? createWriteStream(t.saveSnapshotTo) : undefined;
  try {
    const urls = await scriptIds(t.session);
    await t.session.send('HeapProfiler.enable');
    const timersBefore = await timersByLine(t);
    const s1 = await snapshot(t, 'ids');
    sizes.push(s1.chars);
    await t.session.send('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL_BYTES });
    for (let i = 0; i < k; i++) if (!(await t.iterate())) return partial('an iteration failed during the explanation');
    const s2 = await snapshot(t, 'ids');
    sizes.push(s2.chars);
    for (let i = 0; i < k; i++) if (!(await t.iterate())) return partial('an iteration failed during the explanation');
    const s3 = await snapshot(t, 'graph', save);
    sizes.push(s3.chars);
    const { profile } = await t.session.send<{ profile: { head: ProfileNode } }>('HeapProfiler.stopSampling');
    const timersAfter = await timersByLine(t);
    const mapping: SourceMapping = {
      userScriptId: urls.get(t.filename)?.at(-1),
      guestScriptIds: new Set(urls.get(GUEST_FILENAME) ?? []),
      position: (line, column) => ({ line: line + 1, column: mapColumn(t.wrapped, line + 1, column + 1) }),
    };
    const diff = diffSnapshots(s1.graph, s2.graph, s3.graph, mapping);
    const sites = allocationSites(profile.head, t);
    const heapGroups: LeakGroup[] = diff.groups.slice(0, TOP_GROUPS).map((g) => ({
      kind: g.kind,
      name: g.name,
      ...(g.line !== undefined ? { line: g.line, column: g.column } : {}),
      countPerIteration: g.count / k,
      bytesPerIteration: g.bytes / k,
      retainerPath: g.retainerPath,
      // A closure is allocated where it is defined. For other objects the profiler's sites are by
      // function and cannot be told apart by kind: they are listed once, for the whole explanation.
      allocationSites: g.line !== undefined ? [{ line: g.line, column: g.column ?? 1, bytes: g.bytes / k }] : [],
    }));
    return {
      groups: [...timerGroups(timersBefore, timersAfter, 2 * k), ...heapGroups],
      allocationSites: sites,
      iterationsBetweenSnapshots: k,
      survivingBytesPerIteration: diff.survivingBytes / k,
      userBytesPerIteration: diff.userBytes / k,
      snapshotBytes: sizes,
      ms: t.clock.now() - started,
      ...(t.saveSnapshotTo ? { snapshotFile: t.saveSnapshotTo } : {}),
    };
  } catch (error) {
    return partial(error instanceof BudgetExceeded ? error.message : `the explanation failed: ${(error as Error).message}`);
  } finally {
    if (save) await new Promise<void>((resolve) => save.end(resolve));
    // Awaited: disposing a session with a command in flight crashes isolated-vm (SIGSEGV). After a
    // snapshot over its budget this waits for that snapshot to end.
    await t.session.send('HeapProfiler.disable').catch(() => {});
  }
}
