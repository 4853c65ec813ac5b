/**
 * One V8 inspector session on an isolate (Chrome DevTools Protocol), shared by the host and, for a
 * debugged run, a front end. The host's own commands use ids from a range no front end uses, and
 * their replies are kept to the host; everything else (the front end's replies, notifications)
 * goes to the relay. Notifications are also offered to the host's listeners (a pause stops the
 * run's deadline, for one).
 */
import type ivm from 'isolated-vm';

/** Ids of the host's own commands start here (DevTools counts from 1). */
const HOST_ID_BASE = 1_000_000_000;

/**
 * The sessions open on each isolate. An isolate must lose its sessions before it is disposed:
 * isolated-vm's inspector agent, destroyed with live sessions, deadlocks on its own lock.
 */
const open = new WeakMap<ivm.Isolate, Set<InspectorSession>>();

/**
 * Closes every session of `isolate` (each may say its last words first, e.g. stop a profile),
 * within `withinMs`; then the isolate can be disposed.
 */
export async function closeSessions(isolate: ivm.Isolate, withinMs: number): Promise<void> {
  const sessions = [...(open.get(isolate) ?? [])];
  const last = Promise.all(sessions.map((s) => s.beforeClose?.().catch(() => {})));
  await Promise.race([last, new Promise((r) => setTimeout(r, withinMs))]);
  for (const s of sessions) s.dispose();
}

export interface CdpNotification {
  method: string;
  params: Record<string, unknown>;
}

export class CdpError extends Error {
  override name = 'CdpError';
}

export class InspectorSession {
  readonly #session: ivm.InspectorSession;
  readonly #isolate: ivm.Isolate;
  #nextId = HOST_ID_BASE;
  readonly #waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  readonly #listeners = new Set<(n: CdpNotification) => void>();
  #relay: ((message: string) => void) | undefined;
  #disposed = false;
  /** Runs before the session is closed ahead of its isolate's disposal. */
  beforeClose: (() => Promise<void>) | undefined;

  constructor(isolate: ivm.Isolate) {
    this.#isolate = isolate;
    this.#session = isolate.createInspectorSession();
    this.#session.onResponse = (callId, message) => this.#response(callId, message);
    this.#session.onNotification = (message) => this.#notification(message);
    if (!open.has(isolate)) open.set(isolate, new Set());
    open.get(isolate)!.add(this);
  }

  /** Where the front end's messages go (a debugged run's `inspector` events). */
  relayTo(relay: ((message: string) => void) | undefined): void {
    this.#relay = relay;
  }

  /** A message from the front end, as it came (its own id). */
  dispatch(message: string): void {
    if (!this.#disposed) this.#session.dispatchProtocolMessage(message);
  }

  /** A command of the host's own; resolves with its result. */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.#disposed) return Promise.reject(new CdpError('inspector session closed'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.#session.dispatchProtocolMessage(JSON.stringify({ id, method, params }));
    });
  }

  /** Resolves with the next notification `method` (optionally matching `test`). */
  next(method: string, test: (params: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const listener = (n: CdpNotification) => {
        if (n.method !== method || !test(n.params)) return;
        this.#listeners.delete(listener);
        resolve(n.params);
      };
      this.#listeners.add(listener);
    });
  }

  onNotification(listener: (n: CdpNotification) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #response(callId: number, message: string): void {
    const waiter = this.#waiting.get(callId);
    if (!waiter) return this.#relay?.(message);
    this.#waiting.delete(callId);
    const reply = JSON.parse(message) as { result?: unknown; error?: { message?: string } };
    if (reply.error) waiter.reject(new CdpError(reply.error.message ?? 'inspector error'));
    else waiter.resolve(reply.result ?? {});
  }

  #notification(message: string): void {
    this.#relay?.(message);
    if (this.#listeners.size === 0) return;
    const n = JSON.parse(message) as CdpNotification;
    for (const listener of [...this.#listeners]) listener(n);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    open.get(this.#isolate)?.delete(this);
    for (const waiter of this.#waiting.values()) waiter.reject(new CdpError('inspector session closed'));
    this.#waiting.clear();
    this.#listeners.clear();
    // After its isolate was disposed (mid-pause, say), disposing the session would wait forever
    // inside isolated-vm: the isolate's teardown takes the session with it.
    if (this.#isolate.isDisposed) return;
    try {
      this.#session.dispose();
    } catch {
      /* gone with its isolate */
    }
  }
}
