/**
 * A Chrome DevTools Protocol client over EngineClient's `inspect` / `inspector` events, for tests:
 * what DevTools or the IDE's debugger does with a debugged run.
 */
import type { Engine } from '../../engine/client/api.ts';
import type { RunEvent } from '../../engine/common/protocol.ts';

type Params = Record<string, any>;

export class DebugSession {
  readonly #engine: Engine;
  readonly runId: string;
  #nextId = 1;
  readonly #replies = new Map<number, { resolve: (r: Params) => void; reject: (e: Error) => void }>();
  readonly #notifications: { method: string; params: Params }[] = [];
  readonly #waiters: { method: string; resolve: (p: Params) => void }[] = [];

  constructor(engine: Engine, runId: string) {
    this.#engine = engine;
    this.runId = runId;
  }

  /** Pass to `run(..., { onEvent })`. */
  readonly onEvent = (event: RunEvent): void => {
    if (event.type !== 'inspector') return;
    const m = JSON.parse(event.message) as { id?: number; result?: Params; error?: { message: string }; method?: string; params?: Params };
    if (m.id !== undefined) {
      const reply = this.#replies.get(m.id);
      this.#replies.delete(m.id);
      if (m.error) reply?.reject(new Error(m.error.message));
      else reply?.resolve(m.result ?? {});
      return;
    }
    const waiter = this.#waiters.findIndex((w) => w.method === m.method);
    if (waiter >= 0) this.#waiters.splice(waiter, 1)[0]!.resolve(m.params ?? {});
    else this.#notifications.push({ method: m.method!, params: m.params ?? {} });
  };

  send(method: string, params: Params = {}): Promise<Params> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#replies.set(id, { resolve, reject });
      if (!this.#engine.inspect(this.runId, JSON.stringify({ id, method, params }))) reject(new Error(`run ${this.runId} is not being debugged`));
    });
  }

  /** The next notification `method` (one that already came counts). */
  next(method: string): Promise<Params> {
    const i = this.#notifications.findIndex((n) => n.method === method);
    if (i >= 0) return Promise.resolve(this.#notifications.splice(i, 1)[0]!.params);
    return new Promise((resolve) => this.#waiters.push({ method, resolve }));
  }
}

/** Sends `inspect` only once the engine knows the run (its request is on its way). */
export async function untilDebuggable(session: DebugSession, tries = 1_000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    try {
      await session.send('Runtime.enable');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw new Error('the run never became debuggable');
}
