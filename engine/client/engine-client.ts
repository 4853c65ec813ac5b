/**
 * EngineClient: starts an engine host process, speaks the host protocol (parsing every message it
 * receives), correlates replies, and supervises the host. When the host dies — killed, crashed,
 * aborted by isolated-vm's catastrophic-error hook, or silent on the heartbeat — every run in
 * flight ends with EngineCrashedError and a new host starts. A run that has not answered by its
 * deadline plus a grace period gets the host killed and replaced: the last resort against code
 * that isolated-vm itself cannot interrupt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_TIMEOUT_MS,
  EngineStatus,
  failedRunResult,
  RunRequest,
  type InterruptStats,
  type PoolStatus,
  type RunResult,
} from '../common/contract.ts';
import { HostOptions } from '../common/host-options.ts';
import { DEFAULT_LEAK_ITERATIONS, failedLeakReport, LeakRequest, type LeakReport } from '../common/leak.ts';
import { HostMessage, type HostRequest, type HostVersions, type RunEvent } from '../common/protocol.ts';
import type { ActivePolicy } from '../common/policy.ts';
import type { Engine, EngineNotice, RunOptions } from './api.ts';
import { defaultLauncher, type HostLauncher } from './launcher.ts';
import { loadTeamPolicy } from './policy-file.ts';
import { policeLeak, policeRun } from './policy-gate.ts';

export interface EngineClientOptions {
  launcher?: HostLauncher;
  /** Settings of the host process (pool size, default memory limit, queue bound, RSS budget ...). */
  host?: HostOptions;
  /** How often the client pings the host, in ms. */
  heartbeatIntervalMs?: number;
  /** Host silent for this long (ms) is considered hung and is replaced. */
  heartbeatTimeoutMs?: number;
  /** Time after a run's deadline (ms) before the client kills the host to end it. */
  graceMs?: number;
  /** How long a host may take to start, in ms. */
  startTimeoutMs?: number;
  /** The team policy every request passes (policy-gate.ts). Default: the one installed on this machine; null: none. */
  policy?: ActivePolicy | null;
}

type Pending =
  | {
      kind: 'run';
      runId: string;
      timeoutMs: number;
      resolve: (r: RunResult) => void;
      onEvent: ((e: RunEvent) => void) | undefined;
      startedAt?: number;
      cancelledAt?: number;
      guard?: NodeJS.Timeout;
      killedByGuard?: boolean;
      sentAt: number;
    }
  | {
      kind: 'leak';
      runId: string;
      timeoutMs: number;
      iterations: number;
      resolve: (r: LeakReport) => void;
      onEvent: ((e: RunEvent) => void) | undefined;
      startedAt?: number;
      cancelledAt?: number;
      guard?: NodeJS.Timeout;
      killedByGuard?: boolean;
      sentAt: number;
    }
  | { kind: 'status'; resolve: (s: PoolStatus | undefined) => void };

interface Host {
  child: ChildProcess;
  pid: number;
  ready: Promise<HostVersions>;
  lastPong: number;
  heartbeat?: NodeJS.Timeout;
  exited: boolean;
  stderrTail: string;
  killReason?: string;
}

const LATENCY_WINDOW = 2_000;

export class EngineClient implements Engine {
  readonly #options: Required<Omit<EngineClientOptions, 'host' | 'launcher' | 'policy'>> & { host: HostOptions; launcher: HostLauncher };
  readonly #policy: ActivePolicy | null;
  #host: Host | undefined;
  #state: EngineStatus['state'] = 'starting';
  #versions: HostVersions | undefined;
  readonly #pending = new Map<string, Pending>();
  readonly #noticeListeners = new Set<(n: EngineNotice) => void>();
  readonly #eventListeners = new Set<(e: RunEvent) => void>();
  #restarts = 0;
  #recentCrashes: number[] = [];
  #seq = 0;
  readonly #counts = { timeouts: 0, cpuLimits: 0, cancels: 0, memoryLimits: 0 };
  readonly #latencies: number[] = [];
  #latencyCount = 0;

  private constructor(options: EngineClientOptions) {
    this.#options = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
      graceMs: options.graceMs ?? 2_000,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      host: options.host ?? {},
      launcher: options.launcher ?? defaultLauncher(),
    };
    HostOptions.parse(this.#options.host);
    this.#policy = options.policy === undefined ? loadTeamPolicy() : options.policy;
  }

  /** Starts a client and its first host; resolves once the host is ready. */
  static async start(options: EngineClientOptions = {}): Promise<EngineClient> {
    const client = new EngineClient(options);
    client.#host = client.#spawn();
    try {
      await client.#host.ready;
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  get hostPid(): number | undefined {
    return this.#host?.pid;
  }

  get versions(): HostVersions | undefined {
    return this.#versions;
  }

  #spawn(): Host {
    const { launcher, host: hostOptions } = this.#options;
    const child = spawn(launcher.command, [...launcher.args, `--options=${JSON.stringify(hostOptions)}`], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...launcher.env },
      serialization: 'json',
    });
    let resolveReady!: (v: HostVersions) => void;
    let rejectReady!: (e: Error) => void;
    const host: Host = {
      child,
      pid: child.pid ?? -1,
      ready: new Promise<HostVersions>((res, rej) => {
        resolveReady = res;
        rejectReady = rej;
      }),
      lastPong: performance.now(),
      exited: false,
      stderrTail: '',
    };
    host.ready.catch(() => {});
    const startTimer = setTimeout(() => {
      rejectReady(new Error(`The engine host did not start within ${this.#options.startTimeoutMs} ms`));
      this.#kill(host, 'did not start in time');
    }, this.#options.startTimeoutMs);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      host.stderrTail = (host.stderrTail + chunk).slice(-4_000);
      if (process.env.ISOLAB_DEBUG_HOST) process.stderr.write(chunk);
    });
    child.on('message', (raw: unknown) => {
      const parsed = HostMessage.safeParse(raw);
      if (!parsed.success) {
        process.stderr.write(`isolab: ignoring a malformed message from the engine host: ${parsed.error.message}\n`);
        return;
      }
      const msg = parsed.data;
      if (msg.type === 'ready') {
        clearTimeout(startTimer);
        host.pid = msg.pid;
        this.#versions = msg.versions;
        this.#state = 'ready';
        host.lastPong = performance.now();
        host.heartbeat = setInterval(() => this.#beat(host), this.#options.heartbeatIntervalMs);
        host.heartbeat.unref();
        resolveReady(msg.versions);
        this.#notify({ type: 'hostStarted', pid: msg.pid });
        return;
      }
      this.#onMessage(host, msg);
    });
    child.on('error', (error) => {
      clearTimeout(startTimer);
      rejectReady(new Error(`The engine host could not be started (${launcher.command}): ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(startTimer);
      host.exited = true;
      if (host.heartbeat) clearInterval(host.heartbeat);
      const reason = host.killReason ?? (signal ? `killed by ${signal}` : `exited with code ${code}`);
      rejectReady(new Error(`The engine host ${reason} before it was ready${host.stderrTail ? `:\n${host.stderrTail.trim()}` : ''}`));
      this.#onHostExit(host, reason);
    });
    return host;
  }

  #beat(host: Host): void {
    if (host.exited || host !== this.#host) return;
    if (performance.now() - host.lastPong > this.#options.heartbeatTimeoutMs) {
      this.#kill(host, `stopped answering its heartbeat for ${this.#options.heartbeatTimeoutMs} ms`);
      return;
    }
    this.#send(host, { type: 'ping', seq: ++this.#seq });
  }

  #kill(host: Host, reason: string): void {
    if (host.exited) return;
    host.killReason ??= reason;
    host.child.kill('SIGKILL');
  }

  #send(host: Host, message: HostRequest): boolean {
    if (host.exited || !host.child.connected) return false;
    host.child.send(message);
    return true;
  }

  #onMessage(host: Host, msg: HostMessage): void {
    host.lastPong = performance.now();
    switch (msg.type) {
      case 'pong':
        return;
      case 'exiting':
        host.killReason ??= msg.reason;
        return;
      case 'started': {
        const p = this.#pending.get(msg.id);
        if (!p || p.kind === 'status') return;
        p.startedAt = performance.now();
        const budget = p.kind === 'leak' ? p.timeoutMs * p.iterations : p.timeoutMs;
        p.guard = setTimeout(() => {
          p.killedByGuard = true;
          this.#kill(host, `did not end run ${p.runId} within its ${budget} ms deadline plus ${this.#options.graceMs} ms`);
        }, budget + this.#options.graceMs);
        return;
      }
      case 'events': {
        for (const event of msg.events) {
          const p = this.#pending.get(event.runId);
          if (p && p.kind !== 'status') p.onEvent?.(event);
          for (const l of this.#eventListeners) l(event);
        }
        return;
      }
      case 'result': {
        const p = this.#pending.get(msg.id);
        if (!p || p.kind !== 'run') return;
        this.#settle(msg.id, p);
        this.#account(p, msg.result.error?.type);
        p.resolve(msg.result);
        return;
      }
      case 'leakResult': {
        const p = this.#pending.get(msg.id);
        if (!p || p.kind !== 'leak') return;
        this.#settle(msg.id, p);
        this.#account(p, msg.report.stoppedBy?.type);
        p.resolve(msg.report);
        return;
      }
      case 'status': {
        const p = this.#pending.get(msg.id);
        if (!p || p.kind !== 'status') return;
        this.#pending.delete(msg.id);
        p.resolve(msg.status);
        return;
      }
      case 'rejected': {
        if (!msg.id) {
          process.stderr.write(`isolab: the engine host rejected a message: ${msg.message}\n`);
          return;
        }
        const p = this.#pending.get(msg.id);
        if (!p) return;
        if (p.kind === 'status') {
          this.#pending.delete(msg.id);
          p.resolve(undefined);
        } else {
          this.#settle(msg.id, p);
          this.#resolveFailure(p, 'InvalidRequestError', msg.message);
        }
        return;
      }
    }
  }

  #settle(id: string, p: Extract<Pending, { kind: 'run' | 'leak' }>): void {
    if (p.guard) clearTimeout(p.guard);
    this.#pending.delete(id);
  }

  /** Interrupt counts and latency (deadline or cancel request → error delivered to this client). */
  #account(p: Extract<Pending, { kind: 'run' | 'leak' }>, errorType: string | undefined): void {
    const now = performance.now();
    let since: number | undefined;
    switch (errorType) {
      case 'TimeoutError':
        this.#counts.timeouts++;
        if (p.startedAt !== undefined && p.kind === 'run') since = p.startedAt + p.timeoutMs;
        break;
      case 'CpuLimitError':
        this.#counts.cpuLimits++;
        break;
      case 'CancelledError':
        this.#counts.cancels++;
        since = p.cancelledAt;
        break;
      case 'MemoryLimitError':
        this.#counts.memoryLimits++;
        break;
      default:
        return;
    }
    if (since !== undefined) {
      this.#latencyCount++;
      this.#latencies.push(Math.max(0, now - since));
      if (this.#latencies.length > LATENCY_WINDOW) this.#latencies.shift();
    }
  }

  #resolveFailure(p: Extract<Pending, { kind: 'run' | 'leak' }>, type: string, message: string): void {
    const elapsed = performance.now() - p.sentAt;
    if (p.kind === 'run') {
      p.resolve(failedRunResult(p.runId, type, message, elapsed));
    } else {
      p.resolve(failedLeakReport(p.runId, p.iterations, type, message, elapsed));
    }
  }

  #onHostExit(host: Host, reason: string): void {
    if (host !== this.#host) return;
    // Every run in flight on this host ends now.
    for (const [id, p] of [...this.#pending]) {
      this.#pending.delete(id);
      if (p.kind === 'status') {
        p.resolve(undefined);
        continue;
      }
      if (p.guard) clearTimeout(p.guard);
      if (p.killedByGuard) {
        this.#account(p, 'TimeoutError');
        this.#resolveFailure(p, 'TimeoutError', `Run exceeded its ${p.timeoutMs} ms time limit and could not be interrupted; the engine host was restarted to stop it`);
      } else if (p.cancelledAt !== undefined && host.killReason?.startsWith('did not end run')) {
        this.#account(p, 'CancelledError');
        this.#resolveFailure(p, 'CancelledError', 'Run was cancelled');
      } else {
        this.#resolveFailure(p, 'EngineCrashedError', `The engine host stopped during the run: ${reason}`);
      }
    }
    if (this.#state === 'closed') return;
    this.#restarts++;
    const now = performance.now();
    this.#recentCrashes = [...this.#recentCrashes.filter((t) => now - t < 10_000), now];
    const delay = this.#recentCrashes.length > 3 ? Math.min(5_000, 250 * 2 ** (this.#recentCrashes.length - 3)) : 0;
    this.#state = 'restarting';
    this.#notify({ type: 'hostExited', pid: host.pid, reason, restarting: true });
    const restart = () => {
      if (this.#state === 'closed') return;
      this.#host = this.#spawn();
    };
    if (delay > 0) setTimeout(restart, delay).unref();
    else restart();
  }

  #notify(notice: EngineNotice): void {
    for (const l of this.#noticeListeners) {
      try {
        l(notice);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }

  async #currentHost(): Promise<Host | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const host = this.#host;
      if (!host || this.#state === 'closed') return undefined;
      try {
        await host.ready;
        if (!host.exited) return host;
      } catch {
        /* it died while starting: wait for the next one */
      }
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
    return undefined;
  }

  // The team policy's gate: a small wrapper so the engine's own run/leak below stay as they are.
  async run(input: RunRequest, options: RunOptions = {}): Promise<RunResult> {
    const runId = options.runId ?? randomUUID();
    const policed = policeRun(input, runId, this.#policy);
    if ('refused' in policed) return policed.refused;
    return policed.finish(await this.#run(policed.request, { ...options, runId }));
  }

  async leak(input: LeakRequest, options: RunOptions = {}): Promise<LeakReport> {
    const runId = options.runId ?? randomUUID();
    const policed = policeLeak(input, runId, this.#policy);
    if ('refused' in policed) return policed.refused;
    return policed.finish(await this.#leak(policed.request, { ...options, runId }));
  }

  async #run(input: RunRequest, options: RunOptions = {}): Promise<RunResult> {
    const runId = options.runId ?? randomUUID();
    const sentAt = performance.now();
    if (this.#pending.has(runId)) return failedRunResult(runId, 'InvalidRequestError', `A run with id ${runId} is already in progress`);
    const parsed = RunRequest.safeParse(input);
    if (!parsed.success) {
      return failedRunResult(runId, 'InvalidRequestError', parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
    }
    return new Promise<RunResult>((resolve) => {
      const pending: Pending = { kind: 'run', runId, timeoutMs: parsed.data.timeoutMs ?? DEFAULT_TIMEOUT_MS, resolve, onEvent: options.onEvent, sentAt };
      this.#pending.set(runId, pending);
      void this.#dispatch(runId, pending, { type: 'run', id: runId, request: input });
    });
  }

  async #leak(input: LeakRequest, options: RunOptions = {}): Promise<LeakReport> {
    const runId = options.runId ?? randomUUID();
    const sentAt = performance.now();
    const parsed = LeakRequest.safeParse(input);
    return new Promise<LeakReport>((resolve) => {
      const pending: Pending = {
        kind: 'leak',
        runId,
        timeoutMs: parsed.success ? (parsed.data.timeoutMs ?? DEFAULT_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS,
        iterations: parsed.success ? (parsed.data.iterations ?? DEFAULT_LEAK_ITERATIONS) : 0,
        resolve,
        onEvent: options.onEvent,
        sentAt,
      };
      if (!parsed.success) {
        this.#resolveFailure(pending, 'InvalidRequestError', parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
        return;
      }
      if (this.#pending.has(runId)) {
        this.#resolveFailure(pending, 'InvalidRequestError', `A run with id ${runId} is already in progress`);
        return;
      }
      this.#pending.set(runId, pending);
      void this.#dispatch(runId, pending, { type: 'leak', id: runId, request: input });
    });
  }

  async #dispatch(runId: string, pending: Extract<Pending, { kind: 'run' | 'leak' }>, message: HostRequest): Promise<void> {
    const host = await this.#currentHost();
    if (this.#pending.get(runId) !== pending) return; // settled meanwhile (cancelled, host died)
    if (!host || !this.#send(host, message)) {
      this.#pending.delete(runId);
      this.#resolveFailure(pending, 'EngineCrashedError', this.#state === 'closed' ? 'The engine is closed' : 'The engine host is not available');
      return;
    }
    if (pending.cancelledAt !== undefined) this.#send(host, { type: 'cancel', runId });
  }

  cancel(runId: string): boolean {
    const p = this.#pending.get(runId);
    if (!p || p.kind === 'status') return false;
    p.cancelledAt ??= performance.now();
    const host = this.#host;
    if (host && !host.exited) this.#send(host, { type: 'cancel', runId });
    return true;
  }

  interruptStats(): InterruptStats {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    const pick = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    return {
      ...this.#counts,
      hostRestarts: this.#restarts,
      latencyMs: { count: this.#latencyCount, p50: pick(0.5), p99: pick(0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0 },
    };
  }

  async status(): Promise<EngineStatus> {
    const host = this.#state === 'ready' ? this.#host : undefined;
    let pool: PoolStatus | undefined;
    if (host && !host.exited) {
      const id = `status-${++this.#seq}`;
      pool = await new Promise<PoolStatus | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.#pending.delete(id);
          resolve(undefined);
        }, 2_000);
        this.#pending.set(id, {
          kind: 'status',
          resolve: (s) => {
            clearTimeout(timer);
            resolve(s);
          },
        });
        if (!this.#send(host, { type: 'status', id })) {
          this.#pending.delete(id);
          clearTimeout(timer);
          resolve(undefined);
        }
      });
    }
    return {
      state: this.#state,
      ...(pool ? { pool } : {}),
      interrupts: this.interruptStats(),
      ...(this.#versions ? { versions: this.#versions } : {}),
      ...(host ? { hostPid: host.pid } : {}),
    };
  }

  onNotice(listener: (notice: EngineNotice) => void): () => void {
    this.#noticeListeners.add(listener);
    return () => this.#noticeListeners.delete(listener);
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    const host = this.#host;
    if (!host || host.exited) return;
    if (host.heartbeat) clearInterval(host.heartbeat);
    const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
    if (!this.#send(host, { type: 'shutdown' })) host.child.kill('SIGKILL');
    const timer = setTimeout(() => host.child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(timer);
  }
}
