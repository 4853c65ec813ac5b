/**
 * The engine hosts of one client: the current one (it gets new work), optionally a warm spare
 * (started and idle, so a replacement is ready in milliseconds instead of a cold start), and hosts
 * being retired (they finish what they started, then end).
 *
 * A host is replaced when it dies (its runs are then the client's business), and when it reports
 * itself degraded (a thread stuck in code V8 cannot interrupt): then it keeps serving until its
 * replacement is ready, and finishes what it has started, within a bound, before it is ended.
 */
import type { EngineStatus } from '../common/contract.ts';
import type { HostMessage } from '../common/protocol.ts';
import type { EngineNotice } from './api.ts';
import { HostConnection, type ConnectionOptions } from './host-connection.ts';
import { RestartPolicy } from './restart-policy.ts';

export interface HostSetOptions extends Omit<ConnectionOptions, 'onMessage' | 'onExit'> {
  /** Keep a warm spare host. */
  spare: boolean;
  /** How long a retired host may take to finish its started work before it is ended, in ms. */
  drainMs: number;
  onMessage: (host: HostConnection, message: HostMessage) => void;
  /** A host is gone: whatever it had is the client's to settle. */
  onLost: (host: HostConnection, reason: string) => void;
  /** Whether a host still has started work (a retired host ends when it has none). */
  busy: (host: HostConnection) => boolean;
  notify: (notice: EngineNotice) => void;
}

const CLOSE_TIMEOUT_MS = 2_000;

export class HostSet {
  current: HostConnection | undefined;
  state: EngineStatus['state'] = 'starting';
  readonly restarts: RestartPolicy;
  /** Back-off for a spare that keeps dying (not a replacement of the serving host). */
  readonly #spareRestarts: RestartPolicy;
  #spare: HostConnection | undefined;
  #replacing: HostConnection | undefined;
  readonly #retiring = new Set<HostConnection>();
  #changed: (() => void)[] = [];
  readonly #o: HostSetOptions;

  constructor(options: HostSetOptions) {
    this.#o = options;
    this.restarts = new RestartPolicy(options.clock);
    this.#spareRestarts = new RestartPolicy(options.clock);
  }

  /** Starts the first host; resolves when it is ready (rejects if it cannot start). */
  async start(): Promise<void> {
    const host = this.#spawn();
    this.#makeCurrent(host);
    await host.ready;
  }

  #spawn(): HostConnection {
    const host = new HostConnection({
      ...this.#o,
      onMessage: (h, msg) => this.#message(h, msg),
      onExit: (h, reason) => this.#exited(h, reason),
    });
    host.ready.then(
      () => this.#ready(host),
      () => {},
    );
    return host;
  }

  #makeCurrent(host: HostConnection): void {
    this.current = host;
    for (const wake of this.#changed.splice(0)) wake();
    if (host.versions) this.#ready(host);
  }

  #ready(host: HostConnection): void {
    if (this.state === 'closed') return this.#end(host, 'started after the engine was closed');
    if (host === this.#replacing) return this.#switchTo(host);
    if (host !== this.current) return;
    this.state = 'ready';
    this.#o.notify({ type: 'hostStarted', pid: host.pid });
    if (this.#o.spare && !this.#spare) this.#spare = this.#spawn();
  }

  #message(host: HostConnection, msg: HostMessage): void {
    if (msg.type === 'degraded') return this.#degraded(host, msg.reason, msg.runId);
    this.#o.onMessage(host, msg);
  }

  /** The current host works but must go: serve on until its replacement is ready. */
  #degraded(host: HostConnection, reason: string, runId: string): void {
    host.culprit ??= runId;
    if (host !== this.current || this.#replacing || this.state === 'closed') return;
    this.restarts.replaced();
    const next = this.#takeSpare() ?? this.#spawn();
    this.#replacing = next;
    host.retireReason = reason;
    if (next.versions) this.#switchTo(next);
  }

  #takeSpare(): HostConnection | undefined {
    const spare = this.#spare;
    this.#spare = undefined;
    return spare && !spare.exited ? spare : undefined;
  }

  #switchTo(next: HostConnection): void {
    const old = this.current;
    this.#replacing = undefined;
    this.#makeCurrent(next);
    if (old && !old.exited) {
      this.#o.notify({ type: 'hostExited', pid: old.pid, reason: old.retireReason ?? 'replaced', restarting: true });
      this.#retire(old);
    }
  }

  #retire(host: HostConnection): void {
    this.#retiring.add(host);
    host.quiet();
    this.#o.clock.setTimeout(() => this.#end(host, `retired: ${host.retireReason ?? 'replaced'}`), this.#o.drainMs);
    this.settled(host);
  }

  /** Work on `host` settled: a retired host with nothing started left ends now. */
  settled(host: HostConnection | undefined): void {
    if (host && this.#retiring.has(host) && !this.#o.busy(host)) this.#end(host, `retired: ${host.retireReason ?? 'replaced'}`);
  }

  #end(host: HostConnection, reason: string): void {
    if (host.exited) return;
    if (!host.versions || !host.send({ type: 'shutdown' })) host.kill(reason);
    else this.#o.clock.setTimeout(() => host.kill('did not shut down in time'), CLOSE_TIMEOUT_MS);
  }

  #exited(host: HostConnection, reason: string): void {
    this.#o.onLost(host, reason);
    this.#retiring.delete(host);
    if (this.state === 'closed') return;
    if (host === this.#spare) {
      this.#spare = undefined;
      this.#after(this.#spareRestarts.crashed(), () => (this.#spare ??= this.#spawn()));
    } else if (host === this.#replacing) {
      this.#replacing = undefined;
    } else if (host === this.current) {
      this.#replaceDead(host, reason);
    }
  }

  #replaceDead(host: HostConnection, reason: string): void {
    this.state = 'restarting';
    this.#o.notify({ type: 'hostExited', pid: host.pid, reason, restarting: true });
    const delay = this.restarts.crashed();
    const next = this.#takeSpare() ?? this.#replacing;
    this.#replacing = undefined;
    // A warm replacement needs no back-off: it has started already.
    if (next) return this.#makeCurrent(next);
    this.#after(delay, () => this.#makeCurrent(this.#spawn()));
  }

  /** Runs `start` after `delayMs` (the restart policy's back-off), unless the engine closed meanwhile. */
  #after(delayMs: number, start: () => void): void {
    const go = () => {
      if (this.state !== 'closed') start();
    };
    if (delayMs > 0) this.#o.clock.setTimeout(go, delayMs);
    else go();
  }

  /** The current host once it is ready; waits through restarts, up to `withinMs`. */
  async ready(withinMs: number): Promise<HostConnection | undefined> {
    const { clock } = this.#o;
    const giveUpAt = clock.now() + withinMs;
    while (this.state !== 'closed' && clock.now() < giveUpAt) {
      const host = this.current;
      if (host) {
        try {
          await host.ready;
          if (!host.exited && host === this.current) return host;
        } catch {
          /* it died while starting: wait for the next one */
        }
      }
      if (host === this.current) await this.#nextHost(giveUpAt - clock.now());
    }
    return undefined;
  }

  #nextHost(withinMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#o.clock.setTimeout(resolve, Math.max(0, withinMs));
      this.#changed.push(() => {
        this.#o.clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const wake of this.#changed.splice(0)) wake();
    const hosts = [this.current, this.#spare, this.#replacing, ...this.#retiring].filter((h): h is HostConnection => !!h && !h.exited);
    for (const host of hosts) {
      host.quiet();
      this.#end(host, 'closed');
    }
    await Promise.all(hosts.map((h) => h.gone));
  }
}
