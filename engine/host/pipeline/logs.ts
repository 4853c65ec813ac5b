/** A console line as it arrives from the guest (level, encoded arguments, time) → LogEntry. */
import type { LogEntry } from '../../common/contract.ts';
import { formatLogArgs } from '../../common/format.ts';
import type { Encoded, LogLevel } from '../../common/guest-abi.ts';

export function toLogEntry(level: LogLevel, args: Encoded[], timeMs: number): LogEntry {
  const entry: LogEntry = { level, text: formatLogArgs(args), timeMs };
  if (args.some((a) => typeof a !== 'string')) entry.args = args;
  return entry;
}
