/** Which console lines to show: by level and by text, case-insensitive. */
import type { LogEntry, LogLevel } from '../../../../engine/common/contract.ts';

export const LEVELS: readonly LogLevel[] = ['log', 'info', 'warn', 'error', 'debug'];

export function filterLogs(logs: readonly LogEntry[], levels: ReadonlySet<LogLevel>, text: string): LogEntry[] {
  const needle = text.trim().toLowerCase();
  if (levels.size === LEVELS.length && needle === '') return logs as LogEntry[];
  const out: LogEntry[] = [];
  for (const entry of logs) {
    if (!levels.has(entry.level)) continue;
    if (needle && !entry.text.toLowerCase().includes(needle)) continue;
    out.push(entry);
  }
  return out;
}

export function countByLevel(logs: readonly LogEntry[]): Record<LogLevel, number> {
  const counts: Record<LogLevel, number> = { log: 0, info: 0, warn: 0, error: 0, debug: 0 };
  for (const entry of logs) counts[entry.level]++;
  return counts;
}

/** The engine's truncation marker is the one line without arguments in a truncated log. */
export function isTruncationMarker(entry: LogEntry, truncated: boolean): boolean {
  return truncated && entry.args === undefined;
}
