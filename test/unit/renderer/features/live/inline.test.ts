import { describe, expect, it } from 'vitest';
import { failedRunResult, type RunResult } from '../../../../../engine/common/contract.ts';
import { coverageLines, LINE_TEXT_CHARS, lineValues } from '../../../../../renderer/src/features/live/inline.ts';

const result = (patch: Partial<RunResult>): RunResult => ({ ...failedRunResult('r', 'x', 'y'), ...patch });

describe('lineValues', () => {
  it('joins the values of a line, with counts, console output and the error, inside the model', () => {
    const lines = lineValues(
      result({
        values: [
          { line: 2, kind: 'expression', preview: '42', count: 1 },
          { line: 3, kind: 'probe', preview: '8', count: 5 },
          { line: 3, kind: 'log', preview: 'i 4', count: 5 },
          { line: 4, kind: 'error', preview: 'TimeoutError: Run exceeded its 1000 ms time limit', count: 1 },
          { line: 9, kind: 'expression', preview: 'gone', count: 1 },
        ],
      }),
      5,
    );
    expect(lines.map((l) => [l.line, l.text, l.error])).toEqual([
      [2, '= 42', false],
      [3, '= 8  ×5   › i 4  ×5', false],
      [4, 'TimeoutError: Run exceeded its 1000 ms time limit', true],
    ]);
  });

  it('keeps a line short', () => {
    const [line] = lineValues(result({ values: [{ line: 1, kind: 'log', preview: 'x'.repeat(100), count: 1 }, { line: 1, kind: 'log', preview: 'y'.repeat(100), count: 1 }] }), 1);
    expect(line!.text.length).toBe(LINE_TEXT_CHARS);
  });
});

describe('coverageLines', () => {
  it('splits countable lines into run and missed, inside the model', () => {
    expect(coverageLines({ lines: [1, 2, 3, 5, 8], linesRun: [1, 2, 5] }, 6)).toEqual({ run: [1, 2, 5], missed: [3] });
    expect(coverageLines(undefined, 6)).toEqual({ run: [], missed: [] });
  });
});
