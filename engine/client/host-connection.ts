/**
 * One engine host process as the client sees it: starting (until it says `ready`), then alive as
 * long as it answers its heartbeat, until it exits. Every message it sends is parsed against the
 * contract before the client sees it.
 */
import type { Clock, TimerHandle } from '../common/clock.ts';
import type { HostOptions } from '../common/host-options.ts';
import { HostMessage, type HostRequest, type HostVersions } from '../common/protocol.ts';
import type { SpawnHost } from './host-process.ts';
import type { HostLauncher } from './launcher.ts';

export interface ConnectionOptions {
  clock: Clock;
  spawnHost: SpawnHost;
  launcher: HostLauncher;
  host: HostOptions;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  startTimeoutMs: number;
  /** A parsed message other than `ready` and `pong`. */
  onMessage: (connection: HostConnection, message: HostMessage) => void;
  /** The process is gone (after `ready` or before). */
  onExit: (connection: HostConnection, reason: string) => void;
}

const STDERR_TAIL_CHARS = 4_000;

export class HostConnection {
  readonly ready: Promise<HostVersions>;
  /** Resolves once the process has exited. */
  readonly gone: Promise<void>;
  #markGone!: () => void;
  pid: number;
  exited = false;
  /** Set once the host said `ready`. */
  versions: HostVersions | undefined;
  /** The run that made this host go (stuck in code that ignored its interrupt), when one did. */
  culprit: string | undefined;
  /** Why the host is being retired, when it is. */
  retireReason: string | undefined;
  #killReason: string | undefined;
  #stderrTail = '';
  #lastHeard: number;
  #heartbeat: TimerHandle | undefined;
  #seq = 0;
  #outbox: HostRequest[] = [];
  readonly #process: ReturnType<SpawnHost>;
  readonly #o: ConnectionOptions;

  #resolveReady!: (versions: HostVersions) => void;
  #rejectReady!: (error: Error) => void;
  readonly #startTimer: TimerHandle;

  constructor(o: ConnectionOptions) {
    this.#o = o;
    this.ready = new Promise<HostVersions>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.ready.catch(() => {});
    this.gone = new Promise<void>((resolve) => (this.#markGone = resolve));
    this.#process = o.spawnHost(o.launcher, o.host);
    this.pid = this.#process.pid ?? -1;
    this.#lastHeard = o.clock.now();
    this.#startTimer = o.clock.setTimeout(() => {
      this.#rejectReady(new Error(`The engine host did not start within ${o.startTimeoutMs} ms`));
      this.kill('did not start in time');
    }, o.startTimeoutMs);
    this.#process.onStderr((chunk) => {
      this.#stderrTail = (this.#stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
      if (process.env.ISOLAB_DEBUG_HOST) process.stderr.write(chunk);
    });
    this.#process.onMessage((raw) => this.#receive(raw));
    this.#process.onError((error) => {
      o.clock.clearTimeout(this.#startTimer);
      this.#rejectReady(new Error(`The engine host could not be started (${o.launcher.command}): ${error.message}`));
    });
    this.#process.onExit((code, signal) => this.#exited(code, signal));
  }

  #exited(code: number | null, signal: string | null): void {
    this.#o.clock.clearTimeout(this.#startTimer);
    this.exited = true;
    this.#o.clock.clearInterval(this.#heartbeat);
    const reason = this.#killReason ?? (signal ? `killed by ${signal}` : `exited with code ${code}`);
    this.#rejectReady(new Error(`The engine host ${reason} before it was ready${this.#stderrTail ? `:\n${this.#stderrTail.trim()}` : ''}`));
    this.#markGone();
    this.#o.onExit(this, reason);
  }

  /** Why the host was killed or said it was ending, if it was. */
  get killReason(): string | undefined {
    return this.#killReason;
  }

  #receive(packet: unknown): void {
    for (const raw of Array.isArray(packet) ? packet : [packet]) this.#receiveOne(raw);
  }

  #receiveOne(raw: unknown): void {
    if (this.exited) return;
    const parsed = HostMessage.safeParse(raw);
    if (!parsed.success) {
      process.stderr.write(`isolab: ignoring a malformed message from the engine host: ${parsed.error.message}\n`);
      return;
    }
    const msg = parsed.data;
    this.#lastHeard = this.#o.clock.now();
    if (msg.type === 'ready') {
      this.pid = msg.pid;
      this.versions = msg.versions;
      this.#o.clock.clearTimeout(this.#startTimer);
      this.#heartbeat = this.#o.clock.setInterval(() => this.#beat(), this.#o.heartbeatIntervalMs);
      this.#resolveReady(msg.versions);
      return;
    }
    if (msg.type === 'exiting') this.#killReason ??= msg.reason;
    if (msg.type !== 'pong') this.#o.onMessage(this, msg);
  }

  #beat(): void {
    if (this.exited) return;
    if (this.#o.clock.now() - this.#lastHeard > this.#o.heartbeatTimeoutMs) {
      this.kill(`stopped answering its heartbeat for ${this.#o.heartbeatTimeoutMs} ms`);
      return;
    }
    this.send({ type: 'ping', seq: ++this.#seq });
  }

  /**
   * Queues a request for this turn's packet (one IPC write per turn, not per request); false when
   * the channel is closed and it cannot go.
   */
  send(message: HostRequest): boolean {
    if (this.exited || !this.#process.connected) return false;
    this.#outbox.push(message);
    if (this.#outbox.length === 1) queueMicrotask(() => this.#flush());
    return true;
  }

  #flush(): void {
    const packet = this.#outbox;
    this.#outbox = [];
    if (packet.length > 0 && !this.exited && this.#process.connected) this.#process.send(packet);
  }

  kill(reason: string): void {
    if (this.exited) return;
    this.#killReason ??= reason;
    this.#process.kill();
  }

  /** Stops the heartbeat (the connection is being closed on purpose). */
  quiet(): void {
    this.#o.clock.clearInterval(this.#heartbeat);
  }
}
