/**
 * What the editor shows for a recorded result, line by line: the text after the line (values,
 * console output, the error), and which lines ran or did not (coverage). Pure, so it is tested
 * without Monaco; LiveLayer turns it into decorations.
 */
import type { Coverage, InlineValue, RunResult } from '../../../../engine/common/contract.ts';
import { oneLine } from '../../../../engine/common/format.ts';

export interface LineValues {
  line: number;
  /** One line of text shown after the code. */
  text: string;
  /** The line threw or was where a stopped run was. */
  error: boolean;
  values: InlineValue[];
}

export interface CoverageLines {
  run: number[];
  missed: number[];
}

/** Most characters shown after one line (the hover has the whole value). */
export const LINE_TEXT_CHARS = 120;

function describe(v: InlineValue): string {
  const count = v.count > 1 ? `  ×${v.count}` : '';
  switch (v.kind) {
    case 'expression':
    case 'probe':
      return `= ${v.preview}${count}`;
    case 'log':
      return `› ${v.preview}${count}`;
    case 'error':
      // Red already says it; a symbol outside the monospace font would throw Monaco's column widths off.
      return v.preview;
  }
}

/** Values grouped by line, within the model's `lineCount` (a result may be older than the text). */
export function lineValues(result: RunResult | undefined, lineCount: number): LineValues[] {
  const byLine = new Map<number, InlineValue[]>();
  for (const v of result?.values ?? []) {
    if (v.line < 1 || v.line > lineCount) continue;
    const list = byLine.get(v.line) ?? [];
    list.push(v);
    byLine.set(v.line, list);
  }
  return [...byLine.entries()]
    .sort(([a], [b]) => a - b)
    .map(([line, values]) => ({
      line,
      values,
      error: values.some((v) => v.kind === 'error'),
      text: oneLine(values.map(describe).join('   '), LINE_TEXT_CHARS),
    }));
}

export function coverageLines(coverage: Coverage | undefined, lineCount: number): CoverageLines {
  if (!coverage) return { run: [], missed: [] };
  const ran = new Set(coverage.linesRun);
  const inRange = coverage.lines.filter((l) => l >= 1 && l <= lineCount);
  return { run: inRange.filter((l) => ran.has(l)), missed: inRange.filter((l) => !ran.has(l)) };
}
