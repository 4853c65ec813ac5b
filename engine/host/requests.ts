/**
 * What the host does with each message from its client. Every message is parsed against the
 * contract once, here; the runner and the profiler get parsed requests.
 */
import { validationMessage } from '../common/validation.ts';
import { HostRequest, type HostMessage } from '../common/protocol.ts';
import type { InterruptRecorder } from './interrupt-stats.ts';
import type { LeakProfiler } from './leak/profiler.ts';
import type { Jobs } from './pipeline/job.ts';
import type { Pool } from './pool.ts';
import type { Runner } from './runner.ts';

export interface RequestHandlers {
  runner: Runner;
  profiler: LeakProfiler;
  jobs: Jobs;
  pool: Pool;
  interrupts: InterruptRecorder;
  send: (message: HostMessage) => void;
  rss: () => number;
  /** The host's own V8 heap, committed bytes. */
  heap: () => number;
  rssBudgetBytes: number;
  shutdown: () => void;
}

function failure(id: string, error: unknown): HostMessage {
  return { type: 'rejected', id, message: String((error as Error)?.message ?? error) };
}

export function handleRequest(raw: unknown, arrivedAt: number, h: RequestHandlers): void {
  const parsed = HostRequest.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
    h.send({ type: 'rejected', ...(id ? { id } : {}), message: validationMessage(parsed.error, { whole: 'request' }) });
    return;
  }
  const msg = parsed.data;
  switch (msg.type) {
    case 'ping':
      return h.send({ type: 'pong', seq: msg.seq });
    case 'run':
      h.runner.run(msg.id, msg.request, arrivedAt).then(
        (result) => h.send({ type: 'result', id: msg.id, result }),
        (error: unknown) => h.send(failure(msg.id, error)),
      );
      return;
    case 'leak':
      h.profiler.profile(msg.id, msg.request).then(
        (report) => h.send({ type: 'leakResult', id: msg.id, report }),
        (error: unknown) => h.send(failure(msg.id, error)),
      );
      return;
    case 'cancel':
      h.jobs.cancel(msg.runId);
      return;
    case 'inspect':
      h.jobs.inspect(msg.runId, msg.message);
      return;
    case 'status':
      return h.send({ type: 'status', id: msg.id, status: h.pool.status(h.rss(), h.rssBudgetBytes, h.heap()), interrupts: h.interrupts.snapshot() });
    case 'shutdown':
      return h.shutdown();
  }
}
