/**
 * A stand-in engine host for EngineClient's unit tests: it records what the client sends and lets
 * the test answer as a host would (ready, started, result ...), die, or fall silent.
 */
import type { HostMessage, HostRequest } from '../../../../engine/common/protocol.ts';
import type { HostProcess, SpawnHost } from '../../../../engine/client/host-process.ts';
import type { RunResult } from '../../../../engine/common/contract.ts';

let nextPid = 1000;

export class FakeHost implements HostProcess {
  readonly pid = nextPid++;
  connected = true;
  readonly received: HostRequest[] = [];
  /** Answer pings (a frozen host does not). */
  answersPings = true;
  #message: ((m: unknown) => void)[] = [];
  #exit: ((code: number | null, signal: string | null) => void)[] = [];
  killed = false;

  send(packet: HostRequest[]): void {
    for (const message of packet) this.#receive(message);
  }
  #receive(message: HostRequest): void {
    this.received.push(message);
    if (message.type === 'ping' && this.answersPings) queueMicrotask(() => this.say({ type: 'pong', seq: message.seq }));
    if (message.type === 'shutdown') queueMicrotask(() => this.exit(0, null));
  }
  kill(): void {
    this.killed = true;
    queueMicrotask(() => this.exit(null, 'SIGKILL'));
  }
  onMessage(l: (m: unknown) => void): void {
    this.#message.push(l);
  }
  onExit(l: (code: number | null, signal: string | null) => void): void {
    this.#exit.push(l);
  }
  onError(): void {}
  onStderr(): void {}

  say(message: HostMessage): void {
    for (const l of this.#message) l(message);
  }
  ready(): void {
    this.say({ type: 'ready', pid: this.pid, versions: { node: '24', v8: '13', isolatedVm: '7' } });
  }
  exit(code: number | null, signal: string | null): void {
    if (!this.connected) return;
    this.connected = false;
    for (const l of this.#exit) l(code, signal);
  }
  /** The ids of the runs it was sent. */
  runs(): string[] {
    return this.received.flatMap((m) => (m.type === 'run' ? [m.id] : []));
  }
  /** Answers the last status request (a host reports its pool and interrupt figures). */
  answerStatus(interrupts = { timeouts: 0, cpuLimits: 0, cancels: 0, memoryLimits: 0, latencyMs: { count: 0, p50: 0, p99: 0, max: 0 } }): void {
    const ask = [...this.received].reverse().find((m) => m.type === 'status') as { id: string } | undefined;
    if (!ask) throw new Error('no status request to answer');
    const status = { size: 1, busy: 0, queued: 0, maxQueue: 1, runs: 0, isolatesReplaced: 0, rssBytes: 0, hostHeapBytes: 0, rssBudgetBytes: 1, acceptingWork: true, isolates: [] };
    this.say({ type: 'status', id: ask.id, status, interrupts });
  }
  result(id: string, value: number): void {
    this.say({ type: 'result', id, result: okResult(id, value) });
  }
}

export function okResult(runId: string, value: number): RunResult {
  return {
    runId,
    ok: true,
    value,
    logs: [],
    logsTruncated: false,
    timing: { queuedMs: 0, compileMs: 0, executionMs: 0, cpuMs: 0, totalMs: 0 },
    heap: { usedBytes: 0, totalBytes: 0, limitBytes: 0, externalBytes: 0 },
  };
}

/** A spawner that hands out FakeHosts and remembers them, optionally making each ready at once. */
export function fakeSpawner(autoReady = true): { spawn: SpawnHost; hosts: FakeHost[] } {
  const hosts: FakeHost[] = [];
  return {
    hosts,
    spawn: () => {
      const host = new FakeHost();
      hosts.push(host);
      if (autoReady) queueMicrotask(() => host.ready());
      return host;
    },
  };
}

/** Lets a few turns of the event loop pass (the client sends its packets at the end of a turn). */
export const flush = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};
