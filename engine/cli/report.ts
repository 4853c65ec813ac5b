/** Human-readable rendering of RunResults for the terminal: logs, value, error with a code frame, timing. */
import type { RunResult } from '../common/contract.ts';
import { formatValue } from '../common/format.ts';
import { stopSentence, waitSentence } from '../common/stop-words.ts';
import { formatBytes, formatDuration } from '../common/units.ts';

export interface Style {
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const COLOR: Style = { dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), cyan: wrap(36, 39), bold: wrap(1, 22) };
const id = (s: string) => s;
export const PLAIN: Style = { dim: id, red: id, yellow: id, green: id, cyan: id, bold: id };

/** A few lines of source around `line`, with a caret under `column`. */
export function codeFrame(source: string, line: number, column: number | undefined, style: Style): string {
  const lines = source.split(/\r?\n/);
  if (line < 1 || line > lines.length) return '';
  const from = Math.max(1, line - 2);
  const to = Math.min(lines.length, line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const marker = n === line ? style.red('>') : ' ';
    out.push(`${marker} ${style.dim(String(n).padStart(width) + ' |')} ${lines[n - 1]}`);
    if (n === line && column !== undefined && column >= 1) {
      const lead = lines[n - 1]!.slice(0, column - 1).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} ${style.dim('|')} ${lead}${style.red('^')}`);
    }
  }
  return out.join('\n');
}

/** `isolab run --values`: each recorded expression's value after its line number, one per line. */
export function renderValues(result: RunResult, style: Style): string {
  const lines = (result.values ?? [])
    .filter((v) => v.kind === 'expression' || v.kind === 'probe')
    .map((v) => `${style.dim(`${v.line}:`)} ${v.preview}${v.count > 1 ? style.dim(` (×${v.count}, last)`) : ''}\n`);
  return lines.join('');
}

/**
 * `source` is the script's text; `readFile` gives the text of another file an error points into
 * (an imported file, `RunError.file`), for its code frame.
 */
export function renderRunResult(result: RunResult, source: string | undefined, style: Style, readFile?: (file: string) => string | undefined): string {
  const out: string[] = [];
  for (const log of result.logs) {
    const text = log.text;
    if (log.level === 'error') out.push(style.red(text));
    else if (log.level === 'warn') out.push(style.yellow(text));
    else if (log.level === 'debug') out.push(style.dim(text));
    else out.push(text);
  }
  if (result.ok) {
    out.push(`${style.green('←')} ${result.value === undefined ? style.dim('undefined') : formatValue(result.value, { rawStrings: false })}`);
  } else if (result.error) {
    const e = result.error;
    const file = e.file !== undefined ? `${e.file}, ` : '';
    const where = e.line !== undefined ? style.dim(` (${file}line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''})`) : '';
    out.push(`${style.red(style.bold(`✖ ${e.type}`))}: ${e.message}${where}`);
    const text = e.file !== undefined ? readFile?.(e.file) : source;
    if (e.line !== undefined && text !== undefined) {
      const frame = codeFrame(text, e.line, e.column, style);
      if (frame) out.push(frame);
    }
    const receipt = stopSentence(e);
    if (receipt) out.push(style.yellow(receipt));
    for (const wait of e.stopped?.waits ?? []) out.push(style.yellow(`  waiting on ${waitSentence(wait)}`));
    const frames = e.stack?.split('\n').filter((l) => /^\s+at /.test(l));
    if (frames?.length) out.push(style.dim(frames.join('\n')));
  }
  const t = result.timing;
  const parts = [
    `${result.ok ? 'ok' : 'failed'} in ${formatDuration(t.totalMs)}`,
    `compile ${formatDuration(t.compileMs)}`,
    `exec ${formatDuration(t.executionMs)}`,
    `cpu ${formatDuration(t.cpuMs)}`,
    `queued ${formatDuration(t.queuedMs)}`,
  ];
  if (result.bundle) parts.push(`bundle ${formatDuration(result.bundle.ms)}${result.bundle.cached ? ' (cached)' : ''}`);
  if (result.pausedMs) parts.push(`paused in the debugger ${formatDuration(result.pausedMs)}`);
  if (result.heap.limitBytes > 0) parts.push(`heap ${formatBytes(result.heap.usedBytes)} / ${formatBytes(result.heap.limitBytes)}`);
  const cleared = Object.entries(result.handles?.clearedAtEnd ?? {}).map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`);
  if (cleared.length) parts.push(`cleared at end: ${cleared.join(', ')}`);
  if (result.logsTruncated) parts.push('console output truncated');
  out.push(style.dim(parts.join(' · ')));
  return out.join('\n');
}
