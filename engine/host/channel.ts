/**
 * The host's end of the process channel to its EngineClient. Every IPC packet is an array of
 * messages: whatever is sent during one synchronous stretch leaves together, flushed from a
 * microtask (one write per stretch, not one per message: at a few thousand runs a second the writes
 * were a quarter of the host's time; flushing on setImmediate instead cost a turn of the event loop,
 * +0.7 ms per run's round trip, measured). Run events are held a little longer (a console flood is
 * thousands per second) and always leave before anything sent after them, so a run's events precede
 * its result.
 *
 * `started` (a run got its isolate: the client arms its hard guard) is only a safeguard for runs
 * that take long, so it waits a while and is dropped when the run's result goes first.
 */
import type { Clock, TimerHandle } from '../common/clock.ts';
import type { HostMessage, RunEvent } from '../common/protocol.ts';

/** What the channel needs of the process (Node's `process`, or a stand-in in tests). */
export interface ChannelPort {
  readonly connected: boolean;
  send(packet: HostMessage[], callback?: () => void): void;
}

export interface ChannelOptions {
  clock: Clock;
  /** Runs `fn` once the current synchronous stretch is done (a microtask: batching without adding a turn of latency). */
  defer?: (fn: () => void) => void;
}

const EVENT_BATCH_MAX = 1_000;
const EVENT_BATCH_DELAY_MS = 5;
/** The client's guard has seconds of grace: telling it 20 ms late costs nothing, and fast runs never need it. */
const STARTED_DELAY_MS = 20;

export class HostChannel {
  readonly #port: ChannelPort;
  readonly #clock: Clock;
  readonly #defer: (fn: () => void) => void;
  #queue: HostMessage[] = [];
  #events: RunEvent[] = [];
  readonly #started = new Set<string>();
  #eventTimer: TimerHandle | undefined;
  #startedTimer: TimerHandle | undefined;
  #deferred = false;

  constructor(port: ChannelPort, options: ChannelOptions) {
    this.#port = port;
    this.#clock = options.clock;
    this.#defer = options.defer ?? ((fn) => void queueMicrotask(fn));
  }

  send(message: HostMessage): void {
    if (message.type === 'result' || message.type === 'leakResult') this.#started.delete(message.id);
    this.#takeEvents();
    this.#queue.push(message);
    this.#flushSoon();
  }

  emit(event: RunEvent): void {
    this.#events.push(event);
    if (this.#events.length >= EVENT_BATCH_MAX) {
      this.#takeEvents();
      this.#flushSoon();
    } else {
      this.#eventTimer ??= this.#clock.setTimeout(() => this.flush(), EVENT_BATCH_DELAY_MS);
    }
  }

  /** A run got its isolate (see the file comment). */
  started(id: string): void {
    this.#started.add(id);
    this.#startedTimer ??= this.#clock.setTimeout(() => {
      this.#startedTimer = undefined;
      for (const started of this.#started) this.#queue.push({ type: 'started', id: started });
      this.#started.clear();
      this.flush();
    }, STARTED_DELAY_MS);
  }

  flush(): void {
    this.#takeEvents();
    if (this.#queue.length === 0) return;
    const packet = this.#queue;
    this.#queue = [];
    if (this.#port.connected) this.#port.send(packet);
  }

  /** Tells the client why the host is about to end, then calls `then` (once the packet is out, or at once when disconnected). */
  sendLast(message: HostMessage, then: () => void): void {
    this.#takeEvents();
    this.#queue.push(message);
    const packet = this.#queue;
    this.#queue = [];
    if (this.#port.connected) this.#port.send(packet, then);
    else then();
  }

  #takeEvents(): void {
    this.#clock.clearTimeout(this.#eventTimer);
    this.#eventTimer = undefined;
    if (this.#events.length === 0) return;
    this.#queue.push({ type: 'events', events: this.#events });
    this.#events = [];
  }

  #flushSoon(): void {
    if (this.#deferred) return;
    this.#deferred = true;
    this.#defer(() => {
      this.#deferred = false;
      this.flush();
    });
  }
}
