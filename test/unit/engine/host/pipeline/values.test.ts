import { describe, expect, it } from 'vitest';
import type { Instrumentation } from '../../../../../engine/host/instrument.ts';
import { recordedResult } from '../../../../../engine/host/pipeline/values.ts';

const instr: Instrumentation = {
  recorder: 'R',
  hits: 'K',
  sites: [
    { line: 1, column: 1, kind: 'expression', quietUndefined: true },
    { line: 2, column: 3, kind: 'log' },
    { line: 4, column: 1, kind: 'probe' },
  ],
  statementLines: [1, 2, 4, 4],
};

function hits(ran: number[], last: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(4 * (instr.statementLines.length + 1));
  const view = new Int32Array(sab);
  for (const id of ran) view[id] = id + 1;
  view[instr.statementLines.length] = last + 1;
  return sab;
}

describe('recordedResult', () => {
  it('turns sites into values by line, skipping a quiet undefined, with previews of log arguments', () => {
    const r = recordedResult(
      instr,
      { recorded: { values: [[0, 1, { $isolab: 'undefined' }], [1, 3, ['n', 2]], [2, 2, 'x']] }, hits: undefined, error: undefined },
      { values: true },
    );
    expect(r.values).toEqual([
      { line: 2, column: 3, kind: 'log', preview: 'n 2', count: 3, value: ['n', 2] },
      { line: 4, column: 1, kind: 'probe', preview: "'x'", count: 2, value: 'x' },
    ]);
    expect(r.coverage).toBeUndefined();
  });

  it('puts an error without a line (a stop whose receipt has no frames) at the statement that started last', () => {
    const r = recordedResult(instr, { recorded: undefined, hits: hits([0, 1], 1), error: { type: 'TimeoutError', message: 'Run exceeded its 1000 ms time limit' } }, { values: true, coverage: true });
    expect(r.values).toEqual([{ line: 2, kind: 'error', preview: 'TimeoutError: Run exceeded its 1000 ms time limit', count: 1 }]);
    expect(r.coverage).toEqual({ lines: [1, 2, 4], linesRun: [1, 2] });
  });

  it("keeps an error's own line", () => {
    const r = recordedResult(instr, { recorded: { values: [] }, hits: hits([0, 1, 2], 2), error: { type: 'TypeError', message: 'x', line: 4, column: 5 } }, { values: true });
    expect(r.values).toEqual([{ line: 4, column: 5, kind: 'error', preview: 'TypeError: x', count: 1 }]);
  });
});
