/**
 * What an instrumented run recorded, in the user's terms: inline values by line (each site's last
 * value, count and one-line preview) and line coverage. The error a run failed with joins the
 * values at its line, so a runaway loop stopped by its limit shows where it was. Coverage comes
 * from memory shared with the isolate, so a run stopped from outside still shows how far it got.
 */
import { MAX_INLINE_VALUES, type Coverage, type InlineValue, type RunError } from '../../common/contract.ts';
import { formatLogArgs, formatPreview, oneLine } from '../../common/format.ts';
import type { Encoded, Recorded } from '../../common/guest-abi.ts';
import { isTagged } from '../../common/value.ts';
import type { Instrumentation } from '../instrument.ts';

export interface RecordedResult {
  values?: InlineValue[];
  coverage?: Coverage;
}

export interface Recording {
  /** What the guest handed back (absent when the run was stopped from outside: timeout, Stop). */
  recorded: Recorded | undefined;
  /** The statement hits the instrumented code wrote (shared memory: read even after a stop). */
  hits: SharedArrayBuffer | undefined;
  error: RunError | undefined;
}

export function recordedResult(instr: Instrumentation, rec: Recording, want: { values?: boolean; coverage?: boolean }): RecordedResult {
  const hits = rec.hits ? new Int32Array(rec.hits) : undefined;
  const out: RecordedResult = {};
  if (want.values) out.values = inlineValues(instr, rec.recorded, errorLine(instr, rec.error, hits));
  if (want.coverage && hits) out.coverage = coverage(instr, hits);
  return out;
}

/**
 * Where the error belongs: its own line, else (a run stopped from outside whose receipt has no
 * frames, say on a loaded machine) the line of the statement that started last.
 */
function errorLine(instr: Instrumentation, error: RunError | undefined, hits: Int32Array | undefined): RunError | undefined {
  if (!error || error.line !== undefined || !hits) return error;
  const last = hits[instr.statementLines.length]! - 1;
  const line = instr.statementLines[last];
  return line === undefined ? error : { ...error, line };
}

function inlineValues(instr: Instrumentation, recorded: Recorded | undefined, error: RunError | undefined): InlineValue[] {
  const values: InlineValue[] = [];
  for (const [id, count, last] of recorded?.values ?? []) {
    const site = instr.sites[id];
    if (!site) continue;
    if (site.quietUndefined && isTagged(last) && last.$isolab === 'undefined') continue;
    if (site.kind === 'log') {
      const args = Array.isArray(last) ? (last as Encoded[]) : [last];
      values.push({ line: site.line, column: site.column, kind: 'log', preview: oneLine(formatLogArgs(args)), count, value: args.length === 1 ? args[0]! : args });
    } else {
      values.push({ line: site.line, column: site.column, kind: site.kind, preview: formatPreview(last), count, value: last });
    }
  }
  values.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  if (values.length > MAX_INLINE_VALUES) values.length = MAX_INLINE_VALUES;
  if (error?.line !== undefined) values.push({ line: error.line, ...(error.column !== undefined ? { column: error.column } : {}), kind: 'error', preview: oneLine(`${error.type}: ${error.message}`), count: 1 });
  return values;
}

function coverage(instr: Instrumentation, hits: Int32Array): Coverage {
  const lines = new Set(instr.statementLines);
  const run = new Set<number>();
  instr.statementLines.forEach((line, id) => {
    if (hits[id] !== 0) run.add(line);
  });
  return { lines: [...lines].sort((a, b) => a - b), linesRun: [...run].sort((a, b) => a - b) };
}
