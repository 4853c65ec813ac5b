/**
 * Terminal rendering of a leak report for `isolab leak` without `--json`: a table of samples, a
 * sparkline of heap-after-GC per iteration, then the verdict in words and its reasons. Pure: it
 * returns a string and never looks at the terminal itself, so the CLI decides colour and width.
 */
import type { LeakReport, LeakSample } from '../common/leak.ts';
import { describeExplanation, describeVerdict } from '../common/leak-words.ts';
import { formatBytes, formatDuration } from '../common/units.ts';

export interface LeakReportOptions {
  /** Emit ANSI colours (the CLI passes whether stdout is a colour terminal and NO_COLOR is unset). */
  color: boolean;
  /** Terminal width in columns; lines never exceed it. Default 80. */
  width?: number;
  /** Longer profiles show their first and last runs with a gap marker between. Default 40. */
  maxRows?: number;
}

const SPARKS = '▁▂▃▄▅▆▇█';
const MIN_WIDTH = 40;

type Style = (text: string) => string;
interface Palette {
  dim: Style;
  bold: Style;
  red: Style;
  green: Style;
  yellow: Style;
}

const sgr = (open: number, close: number): Style => (text) => `\u001b[${open}m${text}\u001b[${close}m`;
const COLORS: Palette = { dim: sgr(2, 22), bold: sgr(1, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };
const PLAIN: Palette = { dim: (t) => t, bold: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t };

/** One unit for a whole column, so the digits line up and small differences stay visible. */
function columnUnit(max: number): { divisor: number; unit: string } {
  if (max >= 1024 * 1024) return { divisor: 1024 * 1024, unit: 'MB' };
  if (max >= 1024) return { divisor: 1024, unit: 'KB' };
  return { divisor: 1, unit: 'B' };
}

function inUnit(bytes: number, column: { divisor: number; unit: string }): string {
  return column.divisor === 1 ? `${Math.round(bytes)} B` : `${(bytes / column.divisor).toFixed(1)} ${column.unit}`;
}

function signedBytes(bytes: number): string {
  if (bytes === 0) return '0 B';
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

function handlesText(handles: LeakSample['handles']): string {
  const entries = Object.entries(handles).filter(([, count]) => count !== 0);
  if (entries.length === 0) return '–';
  return entries
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
}

function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Word-wraps to `width` columns; continuation lines get `indent`. Words longer than a line are cut. */
function wrap(text: string, width: number, indent = ''): string[] {
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const candidate = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
    if ([...candidate].length <= width || line.trim() === '') {
      line = candidate;
    } else {
      lines.push(line);
      line = `${indent}${word}`;
    }
  }
  lines.push(line);
  return lines.map((l) => fit(l, width));
}

const padStart = (text: string, width: number) => ' '.repeat(Math.max(0, width - [...text].length)) + text;
const padEnd = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));

/**
 * Eight-level sparkline of values, at most `width` characters: longer series are bucketed and
 * each bucket shows its largest value (a leak's peaks must not be averaged away).
 */
export function sparkline(values: readonly number[], width: number): string {
  if (values.length === 0 || width <= 0) return '';
  const buckets: number[] = [];
  const count = Math.min(values.length, width);
  for (let b = 0; b < count; b++) {
    const from = Math.floor((b * values.length) / count);
    const to = Math.floor(((b + 1) * values.length) / count);
    buckets.push(Math.max(...values.slice(from, Math.max(to, from + 1))));
  }
  const min = Math.min(...buckets);
  const range = Math.max(...buckets) - min;
  return buckets.map((v) => SPARKS[range === 0 ? 0 : Math.min(7, Math.floor(((v - min) / range) * 8))]).join('');
}

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
  /** Columns with the highest number are dropped first when the terminal is narrow. */
  dropOrder: number;
  cell: (sample: LeakSample, previous: LeakSample | undefined) => string;
}

function tableColumns(samples: readonly LeakSample[], width: number): Column[] {
  const heapUnit = columnUnit(Math.max(...samples.map((s) => s.heapUsedBytes)));
  const externalUnit = columnUnit(Math.max(...samples.map((s) => s.externalBytes)));
  const all: Column[] = [
    { title: 'run', width: 5, align: 'right', dropOrder: 0, cell: (s) => String(s.iteration) },
    { title: 'heap after GC', width: 13, align: 'right', dropOrder: 0, cell: (s) => inUnit(s.heapUsedBytes, heapUnit) },
    { title: 'Δ heap', width: 10, align: 'right', dropOrder: 4, cell: (s, p) => (p ? signedBytes(s.heapUsedBytes - p.heapUsedBytes) : '') },
    { title: 'external', width: 11, align: 'right', dropOrder: 3, cell: (s) => inUnit(s.externalBytes, externalUnit) },
    { title: 'handles', width: 8, align: 'left', dropOrder: 1, cell: (s) => handlesText(s.handles) },
    { title: 'ms', width: 8, align: 'right', dropOrder: 2, cell: (s) => s.ms.toFixed(2) },
  ];
  const total = (columns: readonly Column[]) => columns.reduce((sum, c) => sum + c.width, 0) + 2 * (columns.length - 1);
  let columns = all;
  while (total(columns) > width && columns.some((c) => c.dropOrder > 0)) {
    const drop = Math.max(...columns.map((c) => c.dropOrder));
    columns = columns.filter((c) => c.dropOrder !== drop);
  }
  // The handles column takes whatever room is left: its text grows with the number of kinds.
  const handles = columns.find((c) => c.title === 'handles');
  if (handles) handles.width = Math.max(handles.width, width - total(columns) + handles.width);
  return columns;
}

function renderTable(report: LeakReport, width: number, maxRows: number, palette: Palette): string[] {
  const samples = [...report.samples].sort((a, b) => a.iteration - b.iteration);
  if (samples.length === 0) return [palette.dim('(no samples)')];
  const columns = tableColumns(samples, width);
  const row = (cells: readonly string[]) =>
    fit(
      columns
        .map((c, i) => (c.align === 'right' ? padStart(fit(cells[i]!, c.width), c.width) : padEnd(fit(cells[i]!, c.width), c.width)))
        .join('  ')
        .trimEnd(),
      width,
    );

  const lines = [palette.bold(row(columns.map((c) => c.title)))];
  let shown: (LeakSample | number)[] = samples;
  if (samples.length > maxRows) {
    const head = Math.max(1, Math.floor(maxRows / 3));
    const tail = Math.max(1, maxRows - head - 1);
    shown = [...samples.slice(0, head), samples.length - head - tail, ...samples.slice(-tail)];
  }
  for (const entry of shown) {
    if (typeof entry === 'number') {
      lines.push(palette.dim(fit(padStart(`… ${entry} more runs …`, 20), width)));
      continue;
    }
    const index = samples.indexOf(entry);
    const previous = index > 0 ? samples[index - 1] : undefined;
    const text = row(columns.map((c) => c.cell(entry, previous)));
    lines.push(index < report.warmupIterations ? palette.dim(text) : text);
  }
  return lines;
}

function renderSparkline(report: LeakReport, width: number, palette: Palette): string[] {
  const samples = [...report.samples].sort((a, b) => a.iteration - b.iteration);
  if (samples.length < 2) return [];
  const heaps = samples.map((s) => s.heapUsedBytes);
  const label = 'heap after GC ';
  const range = `  ${formatBytes(heaps[0]!)} → ${formatBytes(heaps[heaps.length - 1]!)}`;
  const room = Math.max(8, width - label.length - range.length);
  const spark = sparkline(heaps, room);
  // Dim the warm-up part when one character is one run, so the fitted part stands out.
  const warm = spark.length === heaps.length ? Math.min(report.warmupIterations, spark.length) : 0;
  const chars = [...spark];
  const drawn = palette.dim(chars.slice(0, warm).join('')) + chars.slice(warm).join('');
  return [`${label}${warm > 0 ? drawn : spark}${palette.dim(range)}`];
}

export function renderLeakReport(report: LeakReport, options: LeakReportOptions): string {
  const width = Math.max(MIN_WIDTH, options.width ?? 80);
  const palette = options.color ? COLORS : PLAIN;
  const header = `Leak profile: ${report.completed} of ${report.iterations} runs, warm-up ${report.warmupIterations}, ${formatDuration(report.totalMs)}`;
  const verdictColor = report.verdict === 'leak' ? palette.red : report.verdict === 'stable' ? palette.green : palette.yellow;
  const lines = [
    palette.bold(fit(header, width)),
    '',
    ...renderTable(report, width, options.maxRows ?? 40, palette),
    '',
    ...renderSparkline(report, width, palette),
    '',
    ...wrap(describeVerdict(report), width, '  ').map((line) => verdictColor(palette.bold(line))),
    ...report.reasons.flatMap((reason) => wrap(`  · ${reason}`, width, '    ').map((line) => palette.dim(line))),
  ];
  if (report.stoppedBy) {
    lines.push(...wrap(`  stopped early: ${report.stoppedBy.type}: ${report.stoppedBy.message}`, width, '    ').map((line) => palette.yellow(line)));
  }
  if (report.explanation) {
    lines.push('', palette.bold('What survives, and who holds it'));
    // Group headlines stand out; their retainer paths and the notes under them are indented.
    for (const line of describeExplanation(report.explanation)) {
      const detail = line.startsWith('    ');
      const wrapped = wrap(`${detail ? '    ' : '  '}${line.trimStart()}`, width, detail ? '      ' : '    ');
      lines.push(...(detail ? wrapped.map((l) => palette.dim(l)) : wrapped));
    }
    if (report.explanation.snapshotFile) lines.push(`  heap snapshot saved to ${report.explanation.snapshotFile}`);
  }
  return `${lines.join('\n')}\n`;
}
