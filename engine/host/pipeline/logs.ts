/** Console lines as they arrive from the guest (level, encoded arguments as JSON, time) → LogEntry. */
import type { LogEntry } from '../../common/contract.ts';
import { formatLogArgs } from '../../common/format.ts';
import type { Encoded, LogLevel } from '../../common/guest-abi.ts';

export function toLogEntry(level: LogLevel, argsJson: string, timeMs: number): LogEntry {
  let args: Encoded[];
  try {
    args = JSON.parse(argsJson) as Encoded[];
  } catch {
    args = [argsJson];
  }
  const entry: LogEntry = { level, text: formatLogArgs(args), timeMs };
  if (args.some((a) => typeof a !== 'string')) entry.args = args;
  return entry;
}
