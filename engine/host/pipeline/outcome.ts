/**
 * The one place that turns what happened to an execution into its outcome. Causes are typed,
 * established by the pipeline from its own state (who interrupted, whether the isolate is still
 * alive, what the guest returned), never by reading isolated-vm's message text:
 * - the guest returned (its value, or the user's exception, or an allocation failure);
 * - we interrupted it (timeout, CPU limit, cancel), or isolated-vm's own synchronous timeout did
 *   (the isolate then is still alive);
 * - the isolate was disposed by nobody here: isolated-vm does that at the memory limit;
 * - it never ran: a compile error, a refusal (queue full), a cancel while queued;
 * - the engine failed (a bug here, or isolated-vm refused a call): said so, not blamed on the code.
 */
import type { RunError } from '../../common/contract.ts';
import type { Encoded, GuestError, GuestOutcome } from '../../common/guest-abi.ts';
import type { StopReceipt } from '../../common/inspect.ts';
import type { InterruptKind, InterruptRecorder } from '../interrupt-stats.ts';
import { cleanStack, positionFromStack, type WrappedSource } from '../wrap.ts';
import type { Interrupt } from './job.ts';

export type Cause =
  | { kind: 'returned'; outcome: GuestOutcome }
  /** `by: 'isolate'`: isolated-vm's synchronous timeout stopped the code; the isolate is alive but not trusted. */
  | { kind: 'interrupted'; interrupt: Interrupt; by: 'host' | 'isolate'; receipt?: StopReceipt }
  | { kind: 'isolateLost' }
  | { kind: 'notRun'; error: RunError }
  /** The engine itself failed (a bug or an isolated-vm refusal): said as such, never blamed on the code. */
  | { kind: 'engineFailure'; message: string };

/** What an outcome needs to know to be said in words. */
export interface OutcomeContext {
  timeoutMs: number;
  cpuLimitMs?: number;
  memoryLimitMb: number;
  filename: string;
  wrapped?: WrappedSource;
  /** 'run' words ("Run exceeded …") or leak-profile words ("An iteration exceeded …"). */
  subject: 'run' | 'leak';
}

export interface Decision {
  ok: boolean;
  value?: Encoded;
  error?: RunError;
  /** 'replace': the isolate is not trusted again (it has stopped; replace it after the reply). */
  isolate: 'keep' | 'replace';
}

/** Said of code that did not stop when interrupted (its isolate's thread was abandoned). */
const UNHONOURED = 'and could not be interrupted; its engine host is being replaced';

export function interruptError(kind: InterruptKind, ctx: OutcomeContext, unhonoured = false): RunError {
  const error = interruptWords(kind, ctx);
  return unhonoured ? { ...error, message: `${error.message} ${UNHONOURED}` } : error;
}

function interruptWords(kind: InterruptKind, ctx: OutcomeContext): RunError {
  const subject = ctx.subject === 'run' ? 'Run' : 'An iteration';
  switch (kind) {
    case 'timeout':
      return { type: 'TimeoutError', message: `${subject} exceeded its ${ctx.timeoutMs} ms time limit` };
    case 'cpu':
      return { type: 'CpuLimitError', message: `${subject} exceeded its ${ctx.cpuLimitMs} ms CPU limit` };
    case 'cancel':
      return { type: 'CancelledError', message: ctx.subject === 'run' ? 'Run was cancelled' : 'Leak profile was cancelled' };
    case 'memory':
      return { type: 'MemoryLimitError', message: `${subject} exceeded the isolate's ${ctx.memoryLimitMb} MB memory limit` };
    case 'debuggerIdle':
      return { type: 'TimeoutError', message: `${subject} stayed paused in the debugger longer than its idle limit` };
  }
}

/** The user's own error, with positions and stack in their source (the wrapper never shows). */
export function userError(err: GuestError, ctx: Pick<OutcomeContext, 'filename' | 'wrapped'>): RunError {
  const mapping = ctx.wrapped ?? { insertions: [] };
  const position = positionFromStack(err.stack, ctx.filename, mapping);
  const stack = cleanStack(err.stack, ctx.filename, mapping);
  return {
    type: err.type,
    message: err.message,
    ...(stack !== undefined ? { stack } : {}),
    ...(position ?? {}),
    ...(err.code !== undefined ? { code: err.code } : {}),
    ...(err.value !== undefined ? { value: err.value } : {}),
  };
}

export function decide(cause: Cause, ctx: OutcomeContext): Decision {
  switch (cause.kind) {
    case 'returned': {
      const o = cause.outcome;
      if (o.ok) return { ok: true, value: o.value, isolate: 'keep' };
      return { ok: false, error: userError(o.error, ctx), isolate: o.error.reason === 'allocation' ? 'replace' : 'keep' };
    }
    case 'interrupted': {
      // Our own interrupt disposed the isolate already (the slot is rebuilding it).
      const error = interruptError(cause.interrupt.kind, ctx, cause.interrupt.unhonoured);
      return { ok: false, error: cause.receipt ? withReceipt(error, cause.receipt, ctx.filename) : error, isolate: cause.by === 'isolate' ? 'replace' : 'keep' };
    }
    case 'isolateLost':
      return { ok: false, error: interruptError('memory', ctx), isolate: 'replace' };
    case 'notRun':
      return { ok: false, error: cause.error, isolate: 'keep' };
    case 'engineFailure':
      return { ok: false, error: { type: 'EngineError', message: `The engine could not run the code: ${cause.message}` }, isolate: 'replace' };
  }
}

/** A stopped run's error says where it was: the innermost user frame (or what it waited on) and a short stack. */
function withReceipt(error: RunError, receipt: StopReceipt, filename: string): RunError {
  const top = receipt.frames?.[0] ?? receipt.waits?.find((w) => w.line !== undefined);
  const place = (f: { file?: string; line: number; column: number }) => `${f.file ?? filename}:${f.line}:${f.column}`;
  const stack = receipt.frames?.length
    ? [`${error.type}: ${error.message}`, ...receipt.frames.map((f) => `    at ${f.functionName ? `${f.functionName} (${place(f)})` : place(f)}`)].join('\n')
    : undefined;
  return {
    ...error,
    ...(top?.line !== undefined ? { line: top.line, column: top.column ?? 1, ...(top.file !== undefined ? { file: top.file } : {}) } : {}),
    ...(stack ? { stack } : {}),
    stopped: receipt,
  };
}

/** Counts interrupts and their latency (request → outcome decided), once per cause. */
export function recordInterrupt(cause: Cause, recorder: InterruptRecorder, now: number): void {
  if (cause.kind === 'interrupted') recorder.record(cause.interrupt.kind, now - cause.interrupt.at);
  else if (cause.kind === 'isolateLost') recorder.record('memory');
}
