/** A console line as it arrives from the guest (level, encoded arguments, time) → LogEntry. */
import type { LogEntry } from '../../common/contract.ts';
import { formatLogArgs } from '../../common/format.ts';
import type { Encoded, LogLevel } from '../../common/guest-abi.ts';
import { cleanStack, type WrappedSource } from '../wrap.ts';

/** Where the run's frames are, so console.trace's stack names the user's files and lines. */
export interface TraceContext {
  filename: string;
  wrapped?: WrappedSource;
}

export function toLogEntry(level: LogLevel, args: Encoded[], timeMs: number, trace?: TraceContext): LogEntry {
  if (trace?.wrapped) args = tracedFrames(level, args, trace);
  const entry: LogEntry = { level, text: formatLogArgs(args), timeMs };
  if (args.some((a) => typeof a !== 'string')) entry.args = args;
  return entry;
}

/** console.trace logs `['Trace…', '\n' + frames]` at debug level (engine/guest/console.ts): map its frames. */
function tracedFrames(level: LogLevel, args: Encoded[], trace: TraceContext): Encoded[] {
  const [head, frames] = args;
  if (level !== 'debug' || args.length !== 2 || typeof head !== 'string' || !head.startsWith('Trace') || typeof frames !== 'string') return args;
  return [head, cleanStack(frames, trace.filename, trace.wrapped!) ?? frames];
}
