/**
 * EngineClient: the engine as front ends see it. It keeps engine hosts (host-set.ts: the current
 * one, a warm spare, hosts being retired), speaks the host protocol, correlates replies and
 * settles every request exactly once. When a host dies — killed, crashed, aborted by isolated-vm's
 * catastrophic-error hook, or silent on the heartbeat — work it had not started goes to the next
 * host; work it was executing is re-run there when another run is known to have caused the loss
 * (the stream says so), and otherwise ends with EngineCrashedError. A run that has not answered by
 * its deadline plus a grace period gets its host killed: the last resort, for when the host itself
 * is frozen (it notices code that ignores interrupts itself, and reports itself degraded).
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
import type { HostConnection } from './host-connection.ts';
import { HostSet } from './host-set.ts';
import { spawnHostProcess, type SpawnHost } from './host-process.ts';
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
  /** Time source for heartbeats, guards and back-off (tests pass a fake one). */
  clock?: Clock;
  /** Starts a host process (tests pass a stand-in). */
  spawnHost?: SpawnHost;
  /** The team policy every request passes (policy-gate.ts). Default: the one installed on this machine; null: none. */
  policy?: ActivePolicy | null;
  /** Keep a warm spare host so a replacement takes milliseconds, not a cold start (long-lived front ends). */
  spareHost?: boolean;
  /** How long a replaced (degraded) host may finish the runs it started before it is ended, in ms. */
  drainMs?: number;
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
  /** Times it was re-run after losing its host. */
  reruns: number;
}
type Work = (WorkBase & { kind: 'run'; resolve: (r: RunResult) => void }) | (WorkBase & { kind: 'leak'; iterations: number; resolve: (r: LeakReport) => void });

type StatusReply = { pool: PoolStatus; interrupts: HostInterruptStats } | undefined;

const NO_INTERRUPTS: HostInterruptStats = { timeouts: 0, cpuLimits: 0, cancels: 0, memoryLimits: 0, latencyMs: { count: 0, p50: 0, p99: 0, max: 0 } };
const STATUS_TIMEOUT_MS = 2_000;
/** A degraded host's started runs usually finish within their timeouts; past this they are re-run elsewhere. */
const DEFAULT_DRAIN_MS = 5_000;

export class EngineClient implements Engine {
  readonly #o: Required<Omit<EngineClientOptions, 'host' | 'policy'>> & { host: HostOptions };
  readonly #policy: ActivePolicy | null;
  readonly #hosts: HostSet;
  readonly #work = new Map<string, Work>();
  readonly #statusWaiters = new Map<string, (reply: StatusReply) => void>();
  readonly #noticeListeners = new Set<(n: EngineNotice) => void>();
  readonly #eventListeners = new Set<(e: RunEvent) => void>();
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
      spareHost: options.spareHost ?? false,
      drainMs: options.drainMs ?? DEFAULT_DRAIN_MS,
    };
    HostOptions.parse(this.#o.host);
    this.#policy = options.policy === undefined ? loadTeamPolicy() : options.policy;
    this.#hosts = new HostSet({
      ...this.#o,
      spare: this.#o.spareHost,
      onMessage: (h, msg) => this.#onMessage(h, msg),
      onLost: (h, reason) => this.#onHostLost(h, reason),
      busy: (h) => [...this.#work.values()].some((w) => w.host === h && w.started),
      notify: (n) => this.#notify(n),
    });
  }

  /** Starts a client and its first host; resolves once the host is ready. */
  static async start(options: EngineClientOptions = {}): Promise<EngineClient> {
    const client = new EngineClient(options);
    try {
      await client.#hosts.start();
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  get hostPid(): number | undefined {
    return this.#hosts.current?.pid;
  }

  get versions(): HostVersions | undefined {
    return this.#hosts.current?.versions;
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
    this.#hosts.settled(w.host);
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

  #onHostLost(host: HostConnection, reason: string): void {
    if (host === this.#hosts.current) for (const done of [...this.#statusWaiters.values()]) done(undefined);
    for (const w of [...this.#work.values()]) if (w.host === host) this.#orphaned(w, host, reason);
  }

  /** Work whose host died: sent again if that host never started it or another run caused the loss, else failed with why. */
  #orphaned(w: Work, host: HostConnection, reason: string): void {
    this.#o.clock.clearTimeout(w.guard);
    if (w.killedByGuard) {
      return this.#fail(w.runId, 'TimeoutError', `Run exceeded its ${w.budgetMs} ms time limit and could not be interrupted; the engine host was restarted to stop it`);
    }
    if (w.cancelled) return this.#fail(w.runId, 'CancelledError', 'Run was cancelled');
    const culprit = host.culprit ?? this.#guardVictim(host);
    if (w.started && (culprit === undefined || culprit === w.runId || w.reruns > 0)) {
      const why = culprit && culprit !== w.runId ? `; run ${culprit} could not be interrupted and took the host down` : '';
      return this.#fail(w.runId, 'EngineCrashedError', `The engine host stopped during the run: ${reason}${why}`);
    }
    if (w.started) this.#rerun(w, `its engine host was replaced because run ${culprit} could not be interrupted`);
    w.host = undefined;
    w.started = false;
    void this.#dispatch(w);
  }

  /** The run whose guard killed this host, if one did. */
  #guardVictim(host: HostConnection): string | undefined {
    for (const w of this.#work.values()) if (w.host === host && w.killedByGuard) return w.runId;
    return undefined;
  }

  /** Runs have no effect outside their sandbox, so one that lost its host to another run starts over; the stream says so. */
  #rerun(w: Work, reason: string): void {
    w.reruns++;
    const event: RunEvent = { type: 'restarted', runId: w.runId, reason };
    w.onEvent?.(event);
    for (const l of this.#eventListeners) l(event);
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

  async #dispatch(w: Work): Promise<void> {
    const host = await this.#hosts.ready(this.#o.startTimeoutMs);
    if (this.#work.get(w.runId) !== w) return; // settled meanwhile
    if (!host || !host.send(w.message)) {
      return this.#fail(w.runId, 'EngineCrashedError', this.#hosts.state === 'closed' ? 'The engine is closed' : 'The engine host is not available');
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

  #fresh(options: RunOptions): Pick<WorkBase, 'sentAt' | 'onEvent' | 'started' | 'cancelled' | 'reruns'> {
    return { sentAt: this.#o.clock.now(), onEvent: options.onEvent, started: false, cancelled: false, reruns: 0 };
  }

  inspect(runId: string, message: string): boolean {
    const w = this.#work.get(runId);
    if (!w?.host) return false;
    return w.host.send({ type: 'inspect', runId, message });
  }

  cancel(runId: string): boolean {
    const w = this.#work.get(runId);
    if (!w) return false;
    w.cancelled = true;
    w.host?.send({ type: 'cancel', runId });
    return true;
  }

  async status(): Promise<EngineStatus> {
    const host = this.#hosts.state === 'ready' ? this.#hosts.current : undefined;
    const reply = host && !host.exited ? await this.#askStatus(host) : undefined;
    return {
      state: this.#hosts.state,
      ...(reply ? { pool: reply.pool } : {}),
      interrupts: { ...(reply?.interrupts ?? NO_INTERRUPTS), hostRestarts: this.#hosts.restarts.count },
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
    if (this.#hosts.state === 'closed') return;
    const closing = this.#hosts.close();
    for (const w of [...this.#work.values()]) if (!w.host) this.#fail(w.runId, 'EngineCrashedError', 'The engine is closed');
    await closing;
  }
}
