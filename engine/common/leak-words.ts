/**
 * A leak report in words ("Leaks ≈ 1.1 KB per run; 40 runs; confidence high"). Lives in common
 * because every front end says it the same way: the CLI, the renderer's leak panel, web mode.
 */
import type { LeakReport } from './leak.ts';
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
