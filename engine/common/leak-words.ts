/**
 * A leak report in words ("Leaks ≈ 1.1 KB per run; 40 runs; confidence high"). Lives in common
 * because every front end says it the same way: the CLI, the renderer's leak panel, web mode.
 */
import type { LeakExplanation, LeakGroup, LeakReport, RetainerStep } from './leak.ts';
import { formatBytes } from './units.ts';

// Still exported from here: the engine host's verdict reasons import it from this module.
export { formatBytes } from './units.ts';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function perRun(count: number): string {
  const rounded = Math.round(count * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

export type VerdictSummary = Pick<LeakReport, 'verdict' | 'slopeBytesPerIteration' | 'confidence' | 'handleSlopes'> &
  Partial<Pick<LeakReport, 'completed' | 'iterations' | 'stoppedBy'>> & { samples?: readonly unknown[] };

/** The verdict alone, as a headline: "Leaks ≈ 1.1 KB per run", "Stable", "Inconclusive". */
export function verdictHeadline(report: Pick<VerdictSummary, 'verdict' | 'slopeBytesPerIteration'> & Partial<Pick<VerdictSummary, 'handleSlopes'>>): string {
  if (report.verdict === 'stable') return 'Stable';
  if (report.verdict === 'inconclusive') return 'Inconclusive';
  const growingHandles = Object.entries(report.handleSlopes ?? {})
    .filter(([, slope]) => slope > 0)
    .map(([kind, slope]) => `${perRun(slope)} ${kind} handle${slope === 1 ? '' : 's'}`);
  const bytes = `≈ ${formatBytes(report.slopeBytesPerIteration)}`;
  return growingHandles.length > 0 ? `Leaks ${growingHandles.join(' and ')} per run (heap ${bytes} per run)` : `Leaks ${bytes} per run`;
}

/** The verdict sentence: headline, runs, confidence, and why it stopped early if it did. */
export function describeVerdict(report: VerdictSummary): string {
  const runs = report.completed ?? report.samples?.length ?? report.iterations ?? 0;
  let line = [verdictHeadline(report), plural(runs, 'run'), `confidence ${report.confidence}`].join('; ');
  if (report.stoppedBy) {
    const planned = report.iterations !== undefined && report.iterations !== runs ? ` of ${report.iterations}` : '';
    line += ` (stopped after ${runs}${planned} runs: ${report.stoppedBy.type})`;
  }
  return line;
}

/** The first step of a retainer path that starts in the engine rather than at a global. */
export const ENGINE_HELD_STEP = 'held by the engine (a timer, a callback or the profiled function)';

/** A timer group's one-step path: "setInterval at line 3, 1 per run, never cleared". */
export function timerGroupPath(name: string, line: number | undefined, perIteration: number): string {
  return `${name}${line !== undefined ? ` at line ${line}` : ''}, ${perRun(perIteration)} per run, never cleared`;
}

/** Why an explanation stopped: a snapshot over its time or size budget. */
export function explanationLimitText(what: 'time' | 'size', limit: number): string {
  return what === 'time'
    ? `a heap snapshot took longer than its ${limit / 1000} s budget; the heap is too large to explain`
    : `a heap snapshot grew past its ${formatBytes(limit)} budget; the heap is too large to explain`;
}

/** A group as a headline: "closure onMessage (line 9): 1 per run, ≈ 1.0 KB per run". */
export function describeLeakGroup(group: Pick<LeakGroup, 'kind' | 'name' | 'line' | 'countPerIteration' | 'bytesPerIteration'>): string {
  const what =
    group.kind === 'closure'
      ? `closure ${group.name === '(anonymous)' ? '(anonymous)' : group.name}${group.line !== undefined ? ` (line ${group.line})` : ''}`
      : group.kind === 'timer' || group.kind === 'interval'
        ? `${group.name}${group.line !== undefined ? ` (line ${group.line})` : ''}`
        : group.kind === 'string'
          ? 'strings'
          : group.name;
  const bytes = group.bytesPerIteration > 0 ? `, ≈ ${formatBytes(group.bytesPerIteration)} per run` : '';
  return `${what}: ${perRun(group.countPerIteration)} per run${bytes}`;
}

/** A retainer path in one line: "globalThis.handlers (Map) → [3] (closure, line 9) → payload (Array)". */
export function describeRetainerPath(path: readonly Pick<RetainerStep, 'label'>[]): string {
  return path.map((step) => step.label).join(' → ');
}

/** The explanation in lines of text (the CLI prints it under the verdict). */
export function describeExplanation(explanation: LeakExplanation): string[] {
  const lines: string[] = [];
  if (explanation.incomplete) lines.push(`Explanation incomplete: ${explanation.incomplete}`);
  if (explanation.groups.length === 0 && !explanation.incomplete) {
    lines.push(`Nothing from user code survived between snapshots ${explanation.iterationsBetweenSnapshots} runs apart.`);
  }
  for (const group of explanation.groups) {
    lines.push(describeLeakGroup(group));
    lines.push(`    held by ${describeRetainerPath(group.retainerPath)}`);
  }
  const sites = explanation.allocationSites.slice(0, 5).map((s) => `${s.functionName === '(top level)' ? 'top-level code' : `${s.functionName || 'function'} (line ${s.line})`} ${formatBytes(s.bytes)}`);
  if (sites.length > 0) lines.push(`Allocations still alive, by function: ${sites.join(', ')}`);
  const snapshots = explanation.snapshotBytes.map((b) => formatBytes(b)).join(', ');
  lines.push(`(3 heap snapshots ${explanation.iterationsBetweenSnapshots} runs apart${snapshots ? `: ${snapshots}` : ''}; ${Math.round(explanation.ms)} ms)`);
  return lines;
}
