/**
 * What an instrumented run recorded, in the user's terms: inline values by line (each site's last
 * value, count and one-line preview) and line coverage. The error a run failed with joins the
 * values at its line, so a runaway loop stopped by its limit shows where it was.
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

export function recordedResult(instr: Instrumentation, recorded: Recorded | undefined, error: RunError | undefined, want: { values?: boolean; coverage?: boolean }): RecordedResult {
  const out: RecordedResult = {};
  if (want.values) out.values = inlineValues(instr, recorded, error);
  // A run stopped from outside (timeout, Stop) took its recorder with it: no coverage rather than all dimmed.
  if (want.coverage && recorded) out.coverage = coverage(instr, recorded);
  return out;
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

function coverage(instr: Instrumentation, recorded: Recorded): Coverage {
  const lines = new Set(instr.statementLines);
  const run = new Set<number>();
  for (const id of recorded.hits) {
    const line = instr.statementLines[id];
    if (line !== undefined) run.add(line);
  }
  return { lines: [...lines].sort((a, b) => a - b), linesRun: [...run].sort((a, b) => a - b) };
}
