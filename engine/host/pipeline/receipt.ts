/**
 * Where a stopped run was. A run stopped by isolated-vm's own timeout (a synchronous loop at its
 * deadline or CPU limit) brings its stack in the error. One stopped by the host while running
 * JavaScript (busy: its CPU time keeps up with the wall clock) is paused through the inspector just
 * before its isolate goes, when it has one (debugged and profiled runs; ordinary isolates keep it
 * off, so there the receipt says busy, without frames).
 * A run stopped while waiting (idle) says what it waited on: its pending timers, each with the
 * line that created it, or a promise that never settled.
 */
import type ivm from 'isolated-vm';
import type { StopReceipt, Wait } from '../../common/inspect.ts';
import type { GuestContext } from '../guest-context.ts';
import type { InterruptKind } from '../interrupt-stats.ts';
import { InspectorSession } from '../inspector/session.ts';
import { originalPosition, positionFromStack, type WrappedSource } from '../wrap.ts';

/** How long the pause (or the question to an idle guest) may take before the receipt goes without it. */
const RECEIPT_BUDGET_MS = 100;
/** How long isolated-vm's own timeout may lag the host's deadline (its timer starts when the code does). */
const SYNC_TIMEOUT_GRACE_MS = 100;
/** Frames kept in a receipt. */
const MAX_FRAMES = 8;

export interface ReceiptTarget {
  isolate: ivm.Isolate;
  context: GuestContext;
  cpuBefore: bigint;
  /** performance.now() when the code started (the CPU/wall ratio is a fact about real time). */
  realStart: number;
  filename: string;
  /** Positions of the compiled code in the user's files (a module script's through its bundle's source map). */
  wrapped: Pick<WrappedSource, 'insertions' | 'positions'>;
  /** The isolate has V8's inspector on (a debugged or profiled run): a busy run can be paused to see where it is. */
  inspector: boolean;
}

type Frame = NonNullable<StopReceipt['frames']>[number];

function figures(t: ReceiptTarget): { cpuMs: number; wallMs: number } {
  const cpuMs = t.isolate.isDisposed ? 0 : Number(t.isolate.cpuTime - t.cpuBefore) / 1e6;
  return { cpuMs, wallMs: performance.now() - t.realStart };
}

function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  return Promise.race([work, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}

/**
 * Takes the receipt of a run about to be stopped by the host (its isolate still alive). A busy run
 * stopped for its deadline or CPU limit is about to be stopped by isolated-vm's own timeout too
 * (the host's timer fires just after it, and isolated-vm's starts a little late): waiting for that
 * (`settled`) costs the host nothing, keeps the isolate, and its error says where the code was.
 */
export async function takeReceipt(t: ReceiptTarget, kind: InterruptKind, settled: Promise<unknown>): Promise<StopReceipt> {
  const { cpuMs, wallMs } = figures(t);
  if (cpuMs >= 0.5 * wallMs) {
    if (!t.inspector && kind !== 'cancel') await within(SYNC_TIMEOUT_GRACE_MS, settled);
    const frames = t.inspector ? await within(RECEIPT_BUDGET_MS, pausedFrames(t)).catch(() => undefined) : undefined;
    return { state: 'busy', cpuMs, wallMs, ...(frames?.length ? { frames } : {}) };
  }
  const waits = await within(RECEIPT_BUDGET_MS, pendingWaits(t)).catch(() => undefined);
  return { state: 'waiting', cpuMs, wallMs, waits: waits?.length ? waits : [{ kind: 'promise' }] };
}

/** The receipt of a run isolated-vm's own timeout stopped: the error's stack says where. */
export function timeoutReceipt(t: ReceiptTarget, stack: string | undefined): StopReceipt {
  const frames = framesFromStack(stack, t);
  return { state: 'busy', ...figures(t), ...(frames.length ? { frames } : {}) };
}

async function pausedFrames(t: ReceiptTarget): Promise<Frame[]> {
  const session = new InspectorSession(t.isolate);
  // Call frames name their script by id; Debugger.enable announces every script with its url.
  const urls = new Map<string, string>();
  session.onNotification((n) => {
    if (n.method === 'Debugger.scriptParsed') urls.set(n.params.scriptId as string, n.params.url as string);
  });
  try {
    const paused = session.next('Debugger.paused');
    await session.send('Debugger.enable');
    await session.send('Debugger.pause');
    const { callFrames } = (await paused) as { callFrames: { functionName: string; location: { scriptId: string; lineNumber: number; columnNumber: number } }[] };
    const frames: Frame[] = [];
    for (const f of callFrames) {
      if (urls.get(f.location.scriptId) !== t.filename || frames.length >= MAX_FRAMES) continue;
      const frame = userFrame(f.functionName, f.location.lineNumber + 1, f.location.columnNumber + 1, t);
      if (frame) frames.push(frame);
    }
    return frames;
  } finally {
    session.dispose();
  }
}

async function pendingWaits(t: ReceiptTarget): Promise<Wait[]> {
  const pending = await t.context.pendingWaits(RECEIPT_BUDGET_MS);
  return pending.map((p) => ({ kind: p.kind, delayMs: p.delayMs, ...(positionFromStack(p.stack, t.filename, t.wrapped) ?? {}) }));
}

/** User frames of a V8 stack ("    at fn (file:3:7)"), innermost first. */
export function framesFromStack(stack: string | undefined, t: Pick<ReceiptTarget, 'filename' | 'wrapped'>): Frame[] {
  if (!stack) return [];
  const frames: Frame[] = [];
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:(.*?) \()?(.*):(\d+):(\d+)\)?$/.exec(line);
    if (!m || m[2] !== t.filename || frames.length >= MAX_FRAMES) continue;
    const frame = userFrame(m[1] ?? '', Number(m[3]), Number(m[4]), t);
    if (frame) frames.push(frame);
  }
  return frames;
}

/** A compiled-code frame at the user's position; none for a module bundle's glue, which has no original. */
function userFrame(functionName: string, line: number, column: number, t: Pick<ReceiptTarget, 'wrapped'>): Frame | undefined {
  const position = originalPosition(t.wrapped, line, column);
  return position && { functionName, ...position };
}
