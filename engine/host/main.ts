/**
 * The engine host process. Started by EngineClient (with --no-node-snapshot); talks over the Node
 * IPC channel with messages from engine/common/protocol.ts, parsing each one it receives.
 * It watches its own RSS: past the budget it refuses new work and recycles idle isolates; past the
 * hard limit it exits so the client starts a fresh host.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
import { HostRequest, type HostMessage, type RunEvent } from '../common/protocol.ts';
import { DEFAULT_MEMORY_LIMIT_MB, RunRequest } from '../common/contract.ts';
import { InterruptRecorder } from './interrupt-stats.ts';
import { Pool } from './pool.ts';
import { Runner } from './runner.ts';
import { LeakProfiler } from './leak/profiler.ts';
import { HostOptions, type ParsedHostOptions } from '../common/host-options.ts';

// V8 flags for every isolate this process makes (they must be set before the first one):
// --expose-gc lets the guest capture `gc` for leak profiles (it hides the global before user code
// runs); --js-base-64 turns on ES2026's Uint8Array base64/hex methods, which V8 13.6 still keeps
// behind a flag: the sandbox's Buffer uses them as its native codecs, and user code gets a
// standard API it would have in any current browser.
setFlagsFromString('--expose-gc');
setFlagsFromString('--js-base-64');


function parseOptions(): ParsedHostOptions {
  const raw = process.argv.find((a) => a.startsWith('--options='));
  return HostOptions.parse(raw ? JSON.parse(raw.slice('--options='.length)) : {});
}

function sendNow(message: HostMessage): void {
  if (process.connected) process.send!(message);
}

// Events are batched: one IPC message per console line would cost more than the line itself.
// Anything else sent flushes the batch first, so a run's events always precede its result.
const EVENT_BATCH_MAX = 1_000;
const EVENT_BATCH_DELAY_MS = 5;
let eventBatch: RunEvent[] = [];
let eventTimer: NodeJS.Timeout | undefined;

function flushEvents(): void {
  if (eventTimer) clearTimeout(eventTimer);
  eventTimer = undefined;
  if (eventBatch.length === 0) return;
  const events = eventBatch;
  eventBatch = [];
  sendNow({ type: 'events', events });
}

function emitEvent(event: RunEvent): void {
  eventBatch.push(event);
  if (eventBatch.length >= EVENT_BATCH_MAX) flushEvents();
  else eventTimer ??= setTimeout(flushEvents, EVENT_BATCH_DELAY_MS);
}

function send(message: HostMessage): void {
  flushEvents();
  sendNow(message);
}

/** Ends the process at once (SIGKILL: no teardown), after the client has the reason. */
function endNow(reason: string): void {
  const kill = () => process.kill(process.pid, 'SIGKILL');
  if (!process.connected) kill();
  else process.send!({ type: 'exiting', reason } satisfies HostMessage, kill);
  setTimeout(kill, 1_000).unref();
}

async function main(): Promise<void> {
  if (!process.send) {
    process.stderr.write('isolab engine host: must be started by EngineClient (no IPC channel)\n');
    process.exit(2);
  }
  const options = parseOptions();
  const interrupts = new InterruptRecorder();
  const pool = new Pool({
    size: options.poolSize ?? Math.max(1, availableParallelism()),
    maxQueue: options.maxQueue,
    memoryLimitMb: options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB,
    guest: { maxLogLines: options.maxLogLines, maxLogBytes: options.maxLogBytes, maxTimers: options.maxTimers },
    maxRuns: options.recycleAfterRuns,
    maxErrors: options.recycleAfterErrors,
    onCatastrophicError: (message) => {
      // isolated-vm: V8 lost control of an isolate; nothing in this process can be trusted now.
      process.stderr.write(`isolab engine host: catastrophic isolate error: ${message}\n`);
      process.abort();
    },
  });
  const deps = {
    pool,
    interrupts,
    emit: emitEvent,
    onStarted: (id: string) => send({ type: 'started', id }),
    defaultMemoryLimitMb: options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB,
  };
  const runner = new Runner(deps);
  const profiler = new LeakProfiler(deps);

  const rssBudget = options.rssBudgetMb * 1024 * 1024;
  const rssHardLimit = rssBudget * 1.5;
  const watchdog = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > rssHardLimit) {
      const reason = `went past its memory limit (RSS ${Math.round(rss / 1048576)} MB > ${Math.round(rssHardLimit / 1048576)} MB)`;
      process.stderr.write(`isolab engine host: ${reason}; ending so a fresh host starts\n`);
      clearInterval(watchdog);
      pool.acceptingWork = false;
      // Not process.exit(): exiting while an isolate still holds large ArrayBuffers mid-run crashes
      // (SIGSEGV) in isolated-vm's teardown. Everything here is abandoned anyway, so tell the client
      // why, then end without running any teardown.
      endNow(reason);
    }
    if (rss > rssBudget) {
      if (pool.acceptingWork) pool.recycleIdle();
      pool.acceptingWork = false;
    } else {
      pool.acceptingWork = true;
    }
  }, options.rssCheckIntervalMs);
  watchdog.unref();

  process.on('message', (raw: unknown) => {
    const arrivedAt = performance.now();
    const parsed = HostRequest.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
      send({ type: 'rejected', ...(id ? { id } : {}), message: parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') });
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'ping':
        send({ type: 'pong', seq: msg.seq });
        break;
      case 'run':
        runner.run(msg.id, RunRequest.parse(msg.request), arrivedAt).then(
          (result) => send({ type: 'result', id: msg.id, result }),
          (error: unknown) => send({ type: 'rejected', id: msg.id, message: String((error as Error)?.message ?? error) }),
        );
        break;
      case 'leak':
        profiler.profile(msg.id, msg.request).then(
          (report) => send({ type: 'leakResult', id: msg.id, report }),
          (error: unknown) => send({ type: 'rejected', id: msg.id, message: String((error as Error)?.message ?? error) }),
        );
        break;
      case 'cancel':
        if (!runner.cancel(msg.runId)) profiler.cancel(msg.runId);
        break;
      case 'status':
        send({ type: 'status', id: msg.id, status: pool.status(process.memoryUsage.rss(), rssBudget) });
        break;
      case 'shutdown':
        pool.close();
        process.exit(0);
    }
  });
  process.on('disconnect', () => {
    pool.close();
    process.exit(0);
  });

  await pool.ready();
  const require = createRequire(import.meta.url);
  const isolatedVm = (require('isolated-vm/package.json') as { version: string }).version;
  send({ type: 'ready', pid: process.pid, versions: { node: process.versions.node, v8: process.versions.v8, isolatedVm } });
}

main().catch((error: unknown) => {
  process.stderr.write(`isolab engine host failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
