/**
 * EngineClient: starts an engine host process, speaks the host protocol, correlates replies, and
 * supervises the host (host-connection.ts). When the host dies — killed, crashed, aborted by
 * isolated-vm's catastrophic-error hook, or silent on the heartbeat — a new host starts. Work the
 * dead host had not started yet is sent to the new one; work it was executing ends with
 * EngineCrashedError. A run that has not answered by its deadline plus a grace period gets the
 * host killed and replaced: the last resort against code isolated-vm itself cannot interrupt.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock, type TimerHandle } from '../common/clock.ts';
import { DEFAULT_TIMEOUT_MS, EngineStatus, failedRunResult, RunRequest, type HostInterruptStats, type PoolStatus, type RunResult } from '../common/contract.ts';
import { HostOptions } from '../common/host-options.ts';
import { validationMessage } from '../common/validation.ts';
import { DEFAULT_LEAK_ITERATIONS, failedLeakReport, LeakRequest, type LeakReport } from '../common/leak.ts';
import type { HostMessage, HostRequest, HostVersions, RunEvent } from '../common/protocol.ts';
import type { ActivePolicy } from '../common/policy.ts';
import type { Engine, EngineNotice, RunOptions } from './api.ts';
import { HostConnection } from './host-connection.ts';
import { spawnHostProcess, type SpawnHost } from './host-process.ts';
import { defaultLauncher, type HostLauncher } from './launcher.ts';
import { loadTeamPolicy } from './policy-file.ts';
import { policeLeak, policeRun } from './policy-gate.ts';
import { RestartPolicy } from './restart-policy.ts';

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
  /** Time source for heartbeats, guards and back-off (tests pass a fake one). */
  clock?: Clock;
  /** Starts a host process (tests pass a stand-in). */
  spawnHost?: SpawnHost;
  /** The team policy every request passes (policy-gate.ts). Default: the one installed on this machine; null: none. */
  policy?: ActivePolicy | null;
}

interface WorkBase {
  runId: string;
  message: HostRequest;
  /** How long the host may take once it has started the work, before the guard (plus grace). */
  budgetMs: number;
  sentAt: number;
  onEvent: ((e: RunEvent) => void) | undefined;
  /** The host it was last sent to. */
  host?: HostConnection;
  started: boolean;
  cancelled: boolean;
  guard?: TimerHandle;
  killedByGuard?: boolean;
}
type Work = (WorkBase & { kind: 'run'; resolve: (r: RunResult) => void }) | (WorkBase & { kind: 'leak'; iterations: number; resolve: (r: LeakReport) => void });

type StatusReply = { pool: PoolStatus; interrupts: HostInterruptStats } | undefined;

const NO_INTERRUPTS: HostInterruptStats = { timeouts: 0, cpuLimits: 0, cancels: 0, memoryLimits: 0, latencyMs: { count: 0, p50: 0, p99: 0, max: 0 } };
const STATUS_TIMEOUT_MS = 2_000;
const CLOSE_TIMEOUT_MS = 2_000;

export class EngineClient implements Engine {
  readonly #o: Required<Omit<EngineClientOptions, 'host' | 'policy'>> & { host: HostOptions };
  readonly #policy: ActivePolicy | null;
  #host: HostConnection | undefined;
  #state: EngineStatus['state'] = 'starting';
  readonly #work = new Map<string, Work>();
  readonly #statusWaiters = new Map<string, (reply: StatusReply) => void>();
  readonly #noticeListeners = new Set<(n: EngineNotice) => void>();
  readonly #eventListeners = new Set<(e: RunEvent) => void>();
  readonly #restarts: RestartPolicy;
  #hostChanged: (() => void)[] = [];
  #seq = 0;

  private constructor(options: EngineClientOptions) {
    this.#o = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 5_000,
      graceMs: options.graceMs ?? 2_000,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      host: options.host ?? {},
      launcher: options.launcher ?? defaultLauncher(),
      clock: options.clock ?? systemClock,
      spawnHost: options.spawnHost ?? spawnHostProcess,
    };
    HostOptions.parse(this.#o.host);
    this.#policy = options.policy === undefined ? loadTeamPolicy() : options.policy;
    this.#restarts = new RestartPolicy(this.#o.clock);
  }

  /** Starts a client and its first host; resolves once the host is ready. */
  static async start(options: EngineClientOptions = {}): Promise<EngineClient> {
    const client = new EngineClient(options);
    const host = client.#spawn();
    try {
      await host.ready;
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
    return this.#host?.versions;
  }

  #spawn(): HostConnection {
    const host = new HostConnection({
      ...this.#o,
      onMessage: (h, msg) => this.#onMessage(h, msg),
      onExit: (h, reason) => this.#onHostExit(h, reason),
    });
    this.#host = host;
    host.ready.then(
      () => this.#onReady(host),
      () => {},
    );
    for (const wake of this.#hostChanged.splice(0)) wake();
    return host;
  }

  #onReady(host: HostConnection): void {
    if (this.#state === 'closed') {
      // Started after close(): nobody will use it, so it must not outlive the client.
      if (!host.send({ type: 'shutdown' })) host.kill('started after the engine was closed');
      return;
    }
    if (host !== this.#host) return;
    this.#state = 'ready';
    this.#notify({ type: 'hostStarted', pid: host.pid });
  }

  #onMessage(host: HostConnection, msg: HostMessage): void {
    switch (msg.type) {
      case 'started':
        return this.#started(host, msg.id);
      case 'events':
        for (const event of msg.events) {
          this.#work.get(event.runId)?.onEvent?.(event);
          for (const l of this.#eventListeners) l(event);
        }
        return;
      case 'result':
        return this.#finish(msg.id, 'run', (w) => w.kind === 'run' && w.resolve(msg.result));
      case 'leakResult':
        return this.#finish(msg.id, 'leak', (w) => w.kind === 'leak' && w.resolve(msg.report));
      case 'status':
        return this.#statusWaiters.get(msg.id)?.({ pool: msg.status, interrupts: msg.interrupts });
      case 'rejected':
        if (!msg.id) return void process.stderr.write(`isolab: the engine host rejected a message: ${msg.message}\n`);
        if (this.#statusWaiters.has(msg.id)) return this.#statusWaiters.get(msg.id)!(undefined);
        return this.#fail(msg.id, 'InvalidRequestError', msg.message);
    }
  }

  /** The host got an isolate for the work: its deadline runs from now, so the guard does too. */
  #started(host: HostConnection, id: string): void {
    const w = this.#work.get(id);
    if (!w || w.host !== host) return;
    w.started = true;
    w.guard = this.#o.clock.setTimeout(() => {
      w.killedByGuard = true;
      host.kill(`did not end run ${w.runId} within its ${w.budgetMs} ms deadline plus ${this.#o.graceMs} ms`);
    }, w.budgetMs + this.#o.graceMs);
  }

  #finish(id: string, kind: Work['kind'], deliver: (w: Work) => void): void {
    const w = this.#work.get(id);
    if (!w || w.kind !== kind) return;
    this.#settle(w);
    deliver(w);
  }

  #settle(w: Work): void {
    this.#o.clock.clearTimeout(w.guard);
    this.#work.delete(w.runId);
  }

  /** Ends work that has no result from the engine (refused, host gone) with a failed result. */
  #fail(id: string, type: string, message: string): void {
    const w = this.#work.get(id);
    if (!w) return;
    this.#settle(w);
    const elapsed = this.#o.clock.now() - w.sentAt;
    if (w.kind === 'run') w.resolve(failedRunResult(w.runId, type, message, elapsed));
    else w.resolve(failedLeakReport(w.runId, w.iterations, type, message, elapsed));
  }

  #onHostExit(host: HostConnection, reason: string): void {
    if (host === this.#host) for (const done of [...this.#statusWaiters.values()]) done(undefined);
    for (const w of [...this.#work.values()]) if (w.host === host) this.#orphaned(w, host, reason);
    if (host !== this.#host || this.#state === 'closed') return;
    this.#state = 'restarting';
    this.#notify({ type: 'hostExited', pid: host.pid, reason, restarting: true });
    const delay = this.#restarts.crashed();
    const restart = () => {
      if (this.#state !== 'closed') this.#spawn();
    };
    if (delay > 0) this.#o.clock.setTimeout(restart, delay);
    else restart();
  }

  /** Work whose host died: re-sent if that host never started it, else failed with why. */
  #orphaned(w: Work, host: HostConnection, reason: string): void {
    this.#o.clock.clearTimeout(w.guard);
    if (w.killedByGuard) {
      return this.#fail(w.runId, 'TimeoutError', `Run exceeded its ${w.budgetMs} ms time limit and could not be interrupted; the engine host was restarted to stop it`);
    }
    if (w.cancelled && host.killReason?.startsWith('did not end run')) return this.#fail(w.runId, 'CancelledError', 'Run was cancelled');
    if (w.started) return this.#fail(w.runId, 'EngineCrashedError', `The engine host stopped during the run: ${reason}`);
    w.host = undefined;
    if (w.cancelled) return this.#fail(w.runId, 'CancelledError', 'Run was cancelled');
    void this.#dispatch(w);
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

  /** The current host once it is ready; waits through restarts, up to the start timeout. */
  async #readyHost(): Promise<HostConnection | undefined> {
    const { clock, startTimeoutMs } = this.#o;
    const giveUpAt = clock.now() + startTimeoutMs;
    while (this.#state !== 'closed' && clock.now() < giveUpAt) {
      const host = this.#host;
      if (host) {
        try {
          await host.ready;
          if (!host.exited && host === this.#host) return host;
        } catch {
          /* it died while starting: wait for the next one */
        }
      }
      if (host === this.#host) await this.#nextHost(giveUpAt - clock.now());
    }
    return undefined;
  }

  #nextHost(withinMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#o.clock.setTimeout(resolve, Math.max(0, withinMs));
      this.#hostChanged.push(() => {
        this.#o.clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  async #dispatch(w: Work): Promise<void> {
    const host = await this.#readyHost();
    if (this.#work.get(w.runId) !== w) return; // settled meanwhile
    if (!host || !host.send(w.message)) {
      return this.#fail(w.runId, 'EngineCrashedError', this.#state === 'closed' ? 'The engine is closed' : 'The engine host is not available');
    }
    w.host = host;
    if (w.cancelled) host.send({ type: 'cancel', runId: w.runId });
  }

  #submit(w: Work): void {
    if (this.#work.has(w.runId)) {
      const failure = `A run with id ${w.runId} is already in progress`;
      if (w.kind === 'run') w.resolve(failedRunResult(w.runId, 'InvalidRequestError', failure));
      else w.resolve(failedLeakReport(w.runId, w.iterations, 'InvalidRequestError', failure));
      return;
    }
    this.#work.set(w.runId, w);
    void this.#dispatch(w);
  }

  /** Every request passes the team policy's gate first: no front end can get around its limits. */
  async run(input: RunRequest, options: RunOptions = {}): Promise<RunResult> {
    const runId = options.runId ?? randomUUID();
    const policed = policeRun(input, runId, this.#policy);
    if ('refused' in policed) return policed.refused;
    return policed.finish(await this.#run(policed.request, runId, options));
  }

  async leak(input: LeakRequest, options: RunOptions = {}): Promise<LeakReport> {
    const runId = options.runId ?? randomUUID();
    const policed = policeLeak(input, runId, this.#policy);
    if ('refused' in policed) return policed.refused;
    return policed.finish(await this.#leak(policed.request, runId, options));
  }

  #run(input: RunRequest, runId: string, options: RunOptions): Promise<RunResult> {
    const parsed = RunRequest.safeParse(input);
    if (!parsed.success) return Promise.resolve(failedRunResult(runId, 'InvalidRequestError', validationMessage(parsed.error, { whole: 'request' })));
    return new Promise<RunResult>((resolve) => {
      const budgetMs = parsed.data.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      this.#submit({ kind: 'run', runId, message: { type: 'run', id: runId, request: input }, budgetMs, ...this.#fresh(options), resolve });
    });
  }

  #leak(input: LeakRequest, runId: string, options: RunOptions): Promise<LeakReport> {
    const parsed = LeakRequest.safeParse(input);
    const iterations = parsed.success ? (parsed.data.iterations ?? DEFAULT_LEAK_ITERATIONS) : 0;
    if (!parsed.success) return Promise.resolve(failedLeakReport(runId, iterations, 'InvalidRequestError', validationMessage(parsed.error, { whole: 'request' })));
    return new Promise<LeakReport>((resolve) => {
      const budgetMs = (parsed.data.timeoutMs ?? DEFAULT_TIMEOUT_MS) * iterations;
      this.#submit({ kind: 'leak', runId, iterations, message: { type: 'leak', id: runId, request: input }, budgetMs, ...this.#fresh(options), resolve });
    });
  }

  #fresh(options: RunOptions): Pick<WorkBase, 'sentAt' | 'onEvent' | 'started' | 'cancelled'> {
    return { sentAt: this.#o.clock.now(), onEvent: options.onEvent, started: false, cancelled: false };
  }

  cancel(runId: string): boolean {
    const w = this.#work.get(runId);
    if (!w) return false;
    w.cancelled = true;
    w.host?.send({ type: 'cancel', runId });
    return true;
  }

  async status(): Promise<EngineStatus> {
    const host = this.#state === 'ready' ? this.#host : undefined;
    const reply = host && !host.exited ? await this.#askStatus(host) : undefined;
    return {
      state: this.#state,
      ...(reply ? { pool: reply.pool } : {}),
      interrupts: { ...(reply?.interrupts ?? NO_INTERRUPTS), hostRestarts: this.#restarts.count },
      ...(host?.versions ? { versions: host.versions } : {}),
      ...(host ? { hostPid: host.pid } : {}),
    };
  }

  #askStatus(host: HostConnection): Promise<StatusReply> {
    const id = `status-${++this.#seq}`;
    return new Promise<StatusReply>((resolve) => {
      const timer = this.#o.clock.setTimeout(() => done(undefined), STATUS_TIMEOUT_MS);
      const done = (reply: StatusReply) => {
        this.#o.clock.clearTimeout(timer);
        this.#statusWaiters.delete(id);
        resolve(reply);
      };
      this.#statusWaiters.set(id, done);
      if (!host.send({ type: 'status', id })) done(undefined);
    });
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
    for (const wake of this.#hostChanged.splice(0)) wake();
    for (const w of [...this.#work.values()]) if (!w.host) this.#fail(w.runId, 'EngineCrashedError', 'The engine is closed');
    const host = this.#host;
    if (!host || host.exited) return;
    host.quiet();
    // A host still starting has nothing to lose and may not listen yet: it is killed, not asked.
    if (!host.versions || !host.send({ type: 'shutdown' })) host.kill('closed');
    const timer = this.#o.clock.setTimeout(() => host.kill('did not shut down in time'), CLOSE_TIMEOUT_MS);
    await host.gone;
    this.#o.clock.clearTimeout(timer);
  }
}
