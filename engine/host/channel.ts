/**
 * The host's end of the process channel to its EngineClient. Run events are batched (one IPC
 * message per console line would cost more than the line itself); anything else sent flushes the
 * batch first, so a run's events always precede its result.
 */
import type { Clock, TimerHandle } from '../common/clock.ts';
import type { HostMessage, RunEvent } from '../common/protocol.ts';

/** What the channel needs of the process (Node's `process`, or a stand-in in tests). */
export interface ChannelPort {
  readonly connected: boolean;
  send(message: HostMessage, callback?: () => void): void;
}

const EVENT_BATCH_MAX = 1_000;
const EVENT_BATCH_DELAY_MS = 5;

export class HostChannel {
  readonly #port: ChannelPort;
  readonly #clock: Clock;
  #batch: RunEvent[] = [];
  #timer: TimerHandle | undefined;

  constructor(port: ChannelPort, clock: Clock) {
    this.#port = port;
    this.#clock = clock;
  }

  send(message: HostMessage): void {
    this.flush();
    if (this.#port.connected) this.#port.send(message);
  }

  emit(event: RunEvent): void {
    this.#batch.push(event);
    if (this.#batch.length >= EVENT_BATCH_MAX) this.flush();
    else this.#timer ??= this.#clock.setTimeout(() => this.flush(), EVENT_BATCH_DELAY_MS);
  }

  flush(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#batch.length === 0) return;
    const events = this.#batch;
    this.#batch = [];
    if (this.#port.connected) this.#port.send({ type: 'events', events });
  }

  /** Tells the client why the host is about to end, then calls `then` (once the message is out, or at once when disconnected). */
  sendLast(message: HostMessage, then: () => void): void {
    this.flush();
    if (this.#port.connected) this.#port.send(message, then);
    else then();
  }
}
