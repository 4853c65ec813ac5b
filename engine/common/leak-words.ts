/**
 * A leak report in words ("Leaks ≈ 1.1 KB per run; 40 runs; confidence high"). Lives in common
 * because every front end says it the same way: the CLI, the renderer's leak panel, web mode.
 */
import type { LeakReport } from './leak.ts';

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** Bytes for people: 1 KB = 1024 B; one decimal below 10 of a unit ("1.1 KB", "12 KB", "512 B"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  let text = unit === 0 ? String(Math.round(value)) : value < 9.95 ? value.toFixed(1) : String(Math.round(value));
  // 1023.7 KB must not print as "1024 KB".
  if (text === '1024' && unit < UNITS.length - 1) {
    unit++;
    text = '1.0';
  }
  return `${text === '0' ? '' : sign}${text} ${UNITS[unit]}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function perRun(count: number): string {
  const rounded = Math.round(count * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

export type VerdictSummary = Pick<LeakReport, 'verdict' | 'slopeBytesPerIteration' | 'confidence' | 'handleSlopes'> &
  Partial<Pick<LeakReport, 'completed' | 'iterations' | 'stoppedBy'>> & { samples?: readonly unknown[] };

export function describeVerdict(report: VerdictSummary): string {
  const runs = report.completed ?? report.samples?.length ?? report.iterations ?? 0;
  const parts: string[] = [];
  if (report.verdict === 'leak') {
    const growingHandles = Object.entries(report.handleSlopes)
      .filter(([, slope]) => slope > 0)
      .map(([kind, slope]) => `${perRun(slope)} ${kind} handle${slope === 1 ? '' : 's'}`);
    const bytes = `≈ ${formatBytes(report.slopeBytesPerIteration)}`;
    parts.push(growingHandles.length > 0 ? `Leaks ${growingHandles.join(' and ')} per run (heap ${bytes} per run)` : `Leaks ${bytes} per run`);
  } else if (report.verdict === 'stable') {
    parts.push('Stable');
  } else {
    parts.push('Inconclusive');
  }
  parts.push(plural(runs, 'run'));
  parts.push(`confidence ${report.confidence}`);
  let line = parts.join('; ');
  if (report.stoppedBy) {
    const planned = report.iterations !== undefined && report.iterations !== runs ? ` of ${report.iterations}` : '';
    line += ` (stopped after ${runs}${planned} runs: ${report.stoppedBy.type})`;
  }
  return line;
}
