/**
 * Every host resource handed into an isolate (callbacks, timers, references) is registered here
 * when created and marked when released, so a run can report what it left behind and a leak
 * profile can see handles grow. The cross-heap lesson: a resource each heap thinks the other
 * still needs is never collected, so the engine counts them instead of trusting either GC.
 */
export type HandleKind = 'callback' | 'timer' | 'reference' | (string & {});

export class HandleLedger {
  #next = 1;
  readonly #live = new Map<number, HandleKind>();
  readonly #released = new Map<HandleKind, number>();

  register(kind: HandleKind): number {
    const id = this.#next++;
    this.#live.set(id, kind);
    return id;
  }

  /** Idempotent: releasing twice, or an unknown id, does nothing. */
  release(id: number): boolean {
    const kind = this.#live.get(id);
    if (kind === undefined) return false;
    this.#live.delete(id);
    this.#released.set(kind, (this.#released.get(kind) ?? 0) + 1);
    return true;
  }

  /** Outstanding handles by kind (kinds with none are omitted). */
  counts(filter?: (kind: HandleKind) => boolean): Record<string, number> {
    const out: Record<string, number> = {};
    for (const kind of this.#live.values()) if (!filter || filter(kind)) out[kind] = (out[kind] ?? 0) + 1;
    return out;
  }

  /** Releases every live handle (the context is going away). Returns what was outstanding. */
  releaseAll(): Record<string, number> {
    const before = this.counts();
    for (const id of [...this.#live.keys()]) this.release(id);
    return before;
  }

  get size(): number {
    return this.#live.size;
  }
}

export function diffCounts(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, n] of Object.entries(after)) {
    const d = n - (before[kind] ?? 0);
    if (d !== 0) out[kind] = d;
  }
  return out;
}
