/**
 * A stop receipt in words ("stopped at line 3, column 9: busy for 10.0 s"), the same in every front
 * end that shows where a timed-out, CPU-limited or stopped run was.
 */
import type { RunError } from './contract.ts';
import type { Wait } from './inspect.ts';
import { formatDuration } from './units.ts';

const at = (line: number | undefined, column: number | undefined): string =>
  line === undefined ? '' : ` at line ${line}${column === undefined ? '' : `, column ${column}`}`;

/** The headline of a receipt, or undefined when the error has none. */
export function stopSentence(error: Pick<RunError, 'stopped' | 'line' | 'column'>): string | undefined {
  const r = error.stopped;
  if (!r) return undefined;
  const where = r.state === 'busy' ? at(error.line, error.column) : '';
  return `stopped${where}: ${r.state} for ${formatDuration(r.wallMs)}${r.state === 'waiting' ? ` (CPU ${formatDuration(r.cpuMs)})` : ''}`;
}

/** One thing a waiting run waited on: "a timer (5.0 ms) set at line 2, column 24". */
export function waitSentence(w: Wait): string {
  const delay = w.delayMs === undefined ? '' : ` (${formatDuration(w.delayMs)})`;
  const where = at(w.line, w.column);
  if (w.kind === 'promise') return `a promise${where && ` created${where}`}`;
  return `${w.kind === 'interval' ? 'an interval' : 'a timer'}${delay}${where && ` set${where}`}`;
}
