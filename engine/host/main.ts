/**
 * The engine host process. Started by EngineClient (with --no-node-snapshot); talks over the Node
 * IPC channel (channel.ts) with messages from engine/common/protocol.ts (requests.ts parses and
 * dispatches them). It watches its own RSS (rss-watchdog.ts).
 */
import './v8-flags.ts';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { systemClock } from '../common/clock.ts';
import { DEFAULT_MEMORY_LIMIT_MB } from '../common/contract.ts';
import { HostOptions, type ParsedHostOptions } from '../common/host-options.ts';
import type { HostMessage } from '../common/protocol.ts';
import { HostChannel, type ChannelPort } from './channel.ts';
import { InterruptRecorder } from './interrupt-stats.ts';
import { LeakProfiler } from './leak/profiler.ts';
import { Jobs, UNHONOURED_AFTER_MS } from './pipeline/job.ts';
import { Pool } from './pool.ts';
import { handleRequest } from './requests.ts';
import { startRssWatchdog } from './rss-watchdog.ts';
import { Runner, type PipelineDeps } from './runner.ts';

function parseOptions(): ParsedHostOptions {
  const raw = process.argv.find((a) => a.startsWith('--options='));
  return HostOptions.parse(raw ? JSON.parse(raw.slice('--options='.length)) : {});
}

function createPool(options: ParsedHostOptions): Pool {
  return Pool.create({
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
}

/**
 * Ends the process at once (SIGKILL: no teardown), after the client has the reason. Not
 * process.exit(): exiting while an isolate still holds large ArrayBuffers mid-run crashes (SIGSEGV)
 * in isolated-vm's teardown, and everything here is abandoned anyway.
 */
function endNow(channel: HostChannel, reason: string): void {
  const kill = () => process.kill(process.pid, 'SIGKILL');
  process.stderr.write(`isolab engine host: ${reason}; ending so a fresh host starts\n`);
  channel.sendLast({ type: 'exiting', reason }, kill);
  setTimeout(kill, 1_000).unref();
}

async function main(): Promise<void> {
  if (!process.send) {
    process.stderr.write('isolab engine host: must be started by EngineClient (no IPC channel)\n');
    process.exit(2);
  }
  const options = parseOptions();
  const clock = systemClock;
  const channel = new HostChannel(process as unknown as ChannelPort, { clock });
  const pool = createPool(options);
  // A thread stuck in code V8 cannot interrupt is lost to this host: the client replaces it.
  let degraded = false;
  const onUnhonoured = (job: { id: string }) => {
    degraded = true;
    channel.send({ type: 'degraded', runId: job.id, reason: `run ${job.id} could not be interrupted; an isolate thread is stuck in it` });
  };
  const jobs = new Jobs({ clock, unhonouredAfterMs: UNHONOURED_AFTER_MS, onUnhonoured });
  const interrupts = new InterruptRecorder();
  const deps: PipelineDeps = {
    pool,
    jobs,
    interrupts,
    clock,
    emit: (event) => channel.emit(event),
    onStarted: (id) => channel.started(id),
    defaultMemoryLimitMb: options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB,
  };
  const rssBudgetBytes = options.rssBudgetMb * 1024 * 1024;
  startRssWatchdog({ clock, budgetBytes: rssBudgetBytes, intervalMs: options.rssCheckIntervalMs, rss: () => process.memoryUsage.rss(), pool, onHardLimit: (reason) => endNow(channel, reason) });

  const shutdown = () => {
    // Tearing down an isolate whose thread is stuck would wait for that thread: end at once instead.
    if (degraded) return endNow(channel, 'shutting down with a stuck isolate thread');
    pool.close();
    process.exit(0);
  };
  const handlers = { runner: new Runner(deps), profiler: new LeakProfiler(deps), jobs, pool, interrupts, send: (m: HostMessage) => channel.send(m), rss: () => process.memoryUsage.rss(), heap: () => process.memoryUsage().heapTotal, rssBudgetBytes, shutdown };
  process.on('message', (packet: unknown) => {
    const arrivedAt = clock.now();
    for (const raw of Array.isArray(packet) ? packet : [packet]) handleRequest(raw, arrivedAt, handlers);
  });
  process.on('disconnect', shutdown);

  await pool.ready();
  const isolatedVm = (createRequire(import.meta.url)('isolated-vm/package.json') as { version: string }).version;
  channel.send({ type: 'ready', pid: process.pid, versions: { node: process.versions.node, v8: process.versions.v8, isolatedVm } });
}

main().catch((error: unknown) => {
  process.stderr.write(`isolab engine host failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
