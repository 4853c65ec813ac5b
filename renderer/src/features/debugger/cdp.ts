/**
 * A Chrome DevTools Protocol client for one debugged run, over the backend's `inspect` channel
 * (requests) and its `inspector` events (replies and notifications). Transport-free, so the
 * debugger's logic is tested without a page or an engine.
 */

export type Params = Record<string, any>;

/** Sends one message; false while the engine does not know the run yet (its request is on its way). */
export type SendMessage = (message: string) => Promise<boolean>;

export interface CdpOptions {
  send: SendMessage;
  /** Waits between attempts while the run is not debuggable yet. */
  sleep?: (ms: number) => Promise<void>;
  /** How long to keep trying before a message counts as undeliverable. */
  retries?: number;
}

export class CdpError extends Error {
  override readonly name = 'CdpError';
}

export class CdpClient {
  private nextId = 1;
  private readonly replies = new Map<number, { resolve: (r: Params) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(method: string, params: Params) => void>();
  private closed = false;
  private readonly options: Required<CdpOptions>;

  constructor(options: CdpOptions) {
    this.options = { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), retries: 500, ...options };
  }

  /** Feeds one `inspector` event's message. */
  receive(text: string): void {
    let m: { id?: number; result?: Params; error?: { message: string }; method?: string; params?: Params };
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof m.id === 'number') {
      const reply = this.replies.get(m.id);
      this.replies.delete(m.id);
      if (m.error) reply?.reject(new CdpError(m.error.message));
      else reply?.resolve(m.result ?? {});
      return;
    }
    if (typeof m.method === 'string') for (const listener of this.listeners) listener(m.method, m.params ?? {});
  }

  onNotification(listener: (method: string, params: Params) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async send(method: string, params: Params = {}): Promise<Params> {
    if (this.closed) throw new CdpError('the debugged run has ended');
    const id = this.nextId++;
    const reply = new Promise<Params>((resolve, reject) => this.replies.set(id, { resolve, reject }));
    const text = JSON.stringify({ id, method, params });
    for (let attempt = 0; ; attempt++) {
      if (this.closed) break;
      if (await this.options.send(text).catch(() => false)) return reply;
      if (attempt >= this.options.retries) break;
      await this.options.sleep(10);
    }
    this.replies.delete(id);
    throw new CdpError(`${method}: the run is not being debugged`);
  }

  /** The run ended: pending replies will never come. */
  close(): void {
    this.closed = true;
    const pending = [...this.replies.values()];
    this.replies.clear();
    for (const reply of pending) reply.reject(new CdpError('the debugged run has ended'));
  }
}
