/**
 * Makes the pool's isolates. Creating one blocks the host thread for ~1.5 ms (measured), which is
 * long enough to delay another run's interrupt, so the factory keeps one spare isolate built while
 * the pool is idle and hands it out when an isolate has to be replaced.
 */
import ivm from 'isolated-vm';
import { guestSnapshot } from './guest-bundle.ts';

export interface IsolateFactoryOptions {
  onCatastrophicError: (message: string) => void;
  /** True when no run is executing, so building now cannot delay anybody. */
  idle: () => boolean;
  /** How often to retry building the spare while the pool is busy, in ms. */
  retryMs?: number;
}

export class IsolateFactory {
  readonly #options: IsolateFactoryOptions;
  #spare: { isolate: ivm.Isolate; memoryLimitMb: number } | undefined;
  #wanted: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: IsolateFactoryOptions) {
    this.#options = options;
  }

  /** `inspector`: V8's inspector on (debugged and profiled runs only: see lease.ts). */
  create(memoryLimitMb: number, inspector = false): ivm.Isolate {
    const snapshot = guestSnapshot();
    return new ivm.Isolate({
      memoryLimit: memoryLimitMb,
      onCatastrophicError: this.#options.onCatastrophicError,
      ...(inspector ? { inspector } : {}),
      ...(snapshot ? { snapshot } : {}),
    });
  }

  /** An isolate with this memory limit: the spare when it fits, else a new one. */
  take(memoryLimitMb: number): ivm.Isolate {
    const spare = this.#spare;
    this.#spare = undefined;
    this.#refillLater(memoryLimitMb);
    if (spare && spare.memoryLimitMb === memoryLimitMb && !spare.isolate.isDisposed) return spare.isolate;
    if (spare && !spare.isolate.isDisposed) spare.isolate.dispose();
    return this.create(memoryLimitMb);
  }

  #refillLater(memoryLimitMb: number): void {
    this.#wanted = memoryLimitMb;
    if (this.#timer || this.#closed) return;
    const attempt = () => {
      this.#timer = undefined;
      if (this.#closed || this.#spare || this.#wanted === undefined) return;
      if (!this.#options.idle()) {
        this.#timer = setTimeout(attempt, this.#options.retryMs ?? 20);
        this.#timer.unref();
        return;
      }
      this.#spare = { isolate: this.create(this.#wanted), memoryLimitMb: this.#wanted };
    };
    this.#timer = setTimeout(attempt, 0);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#spare && !this.#spare.isolate.isDisposed) this.#spare.isolate.dispose();
    this.#spare = undefined;
  }
}
