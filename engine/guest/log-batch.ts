/**
 * Console lines leave the isolate in batches: one host call per line costs more than the line
 * (100,000 lines were 100,000 callbacks, each a task on the host's thread). A batch goes out when
 * it holds enough lines or bytes, and otherwise at the end of the current synchronous stretch (a
 * microtask), so sporadic lines still show at once and a long loop still streams in chunks.
 */
import type { LogLevel } from '../common/guest-abi.ts';
import * as I from './intrinsics.ts';

const MAX_LINES = 256;
const MAX_CHARS = 256 * 1024;

export interface LogBatcher {
  /** Queues one line; `argsJson` is the JSON array of its encoded arguments. */
  add(level: LogLevel, timeMs: number, argsJson: string): void;
  /** Sends whatever is queued (the run is ending). */
  flush(): void;
}

/** `send` gets a JSON array of LogLine (see engine/common/guest-abi.ts). */
export function createLogBatcher(send: (batchJson: string) => void): LogBatcher {
  let parts: string[] = [];
  let chars = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (parts.length === 0) return;
    const batch = '[' + I.ArrayJoin(parts, ',') + ']';
    parts = [];
    chars = 0;
    send(batch);
  };
  return {
    add(level, timeMs, argsJson) {
      const line = '[' + I.JSONStringify(level) + ',' + I.StringFn(timeMs) + ',' + argsJson + ']';
      I.ArrayPush(parts, line);
      chars += line.length;
      if (parts.length >= MAX_LINES || chars >= MAX_CHARS) return flush();
      if (scheduled) return;
      scheduled = true;
      I.PromiseThen(new I.PromiseCtor<void>((resolve) => resolve()), flush);
    },
    flush,
  };
}
