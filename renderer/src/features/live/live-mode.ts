/**
 * Live mode: with Live on for a tab, its script runs again LIVE_DEBOUNCE_MS after each edit, in a
 * fresh context, with the user's limits but the short live timeout, recording inline values and
 * coverage. A new edit cancels the live run in flight at once, so the engine never works on stale
 * code and the editor never waits on a run (runs are requests to another process; nothing here
 * blocks). Which tabs are live is remembered per script name.
 *
 * Also holds the latest recorded result per script, from live runs and from ordinary runs alike:
 * that is what the editor shows beside the lines. Pure logic over injected time and transport, so
 * it is tested without a DOM or an engine.
 */
import type { Settings } from '../../../../engine/common/api.ts';
import type { Clock, TimerHandle } from '../../../../engine/common/clock.ts';
import type { RecordOptions, RunRequest, RunResult } from '../../../../engine/common/contract.ts';
import { createStore, type Store } from '../../state/store.ts';
import { mayBeModuleScript } from '../../../../engine/common/script-files.ts';

export const LIVE_DEBOUNCE_MS = 300;
const STORAGE_KEY = 'isolab:live';

/** What every run from the IDE records: values beside the lines, coverage in the gutter. */
export const IDE_RECORD: RecordOptions = { values: true, coverage: true };

/**
 * The `record` part of a run from the IDE: none for what may be a module script, which the engine
 * cannot instrument (it refuses `record` for them rather than show values at the wrong lines).
 */
export function ideRecord(code: string): { record?: RecordOptions } {
  return mayBeModuleScript(code) ? {} : { record: IDE_RECORD };
}

export interface ShownResult {
  runId: string;
  result: RunResult;
  /** A live run (else an ordinary Run). */
  live: boolean;
  /** Clock time of the edit that started it (live runs), for keystroke-to-values. */
  editedAt?: number;
}

export interface LiveState {
  /** Scripts whose tab has Live on. */
  enabled: string[];
  /** Latest recorded result per script. */
  shown: Record<string, ShownResult>;
  /** Scripts with a live run in flight. */
  running: string[];
}

export interface LiveDeps {
  run(request: RunRequest & { runId: string }): Promise<RunResult>;
  cancel(runId: string): void;
  settings(): Settings;
  language(name: string): RunRequest['language'];
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  clock: Clock;
}

interface Pending {
  timer?: TimerHandle;
  runId?: string;
  code: string;
  editedAt: number;
}

let counter = 0;

export class LiveMode {
  readonly store: Store<LiveState>;
  readonly #deps: LiveDeps;
  readonly #pending = new Map<string, Pending>();

  constructor(deps: LiveDeps) {
    this.#deps = deps;
    this.store = createStore<LiveState>({ enabled: this.#load(), shown: {}, running: [] });
  }

  isOn(name: string): boolean {
    return this.store.get().enabled.includes(name);
  }

  /** Turns Live on or off for a tab; on runs the script straight away (after the debounce). */
  toggle(name: string, code: string): void {
    const on = !this.isOn(name);
    this.store.set((s) => ({ enabled: on ? [...s.enabled, name] : s.enabled.filter((n) => n !== name) }));
    this.#save();
    if (on) this.edited(name, code);
    else this.#cancel(name);
  }

  /** The script's text changed: the run in flight is stale (cancelled now); a new one starts after the debounce. */
  edited(name: string, code: string): void {
    if (!this.isOn(name)) return;
    const { clock } = this.#deps;
    this.#cancel(name);
    const pending: Pending = { code, editedAt: clock.now() };
    pending.timer = clock.setTimeout(() => void this.#run(name, pending), LIVE_DEBOUNCE_MS);
    this.#pending.set(name, pending);
  }

  /** An ordinary run finished: its values are shown too (a live run started later wins). */
  ranScript(name: string, runId: string, result: RunResult): void {
    if (!result.values && !result.coverage) return;
    if (this.#pending.has(name)) return;
    this.store.set((s) => ({ shown: { ...s.shown, [name]: { runId, result, live: false } } }));
  }

  /** A script was renamed or closed: forget it. */
  forget(name: string): void {
    this.#cancel(name);
    this.store.set((s) => {
      const shown = { ...s.shown };
      delete shown[name];
      return { shown };
    });
  }

  async #run(name: string, pending: Pending): Promise<void> {
    pending.timer = undefined;
    const runId = `live-${Date.now().toString(36)}-${++counter}`;
    pending.runId = runId;
    this.store.set((s) => ({ running: s.running.includes(name) ? s.running : [...s.running, name] }));
    const s = this.#deps.settings();
    let result: RunResult;
    try {
      result = await this.#deps.run({
        runId,
        code: pending.code,
        language: this.#deps.language(name),
        filename: name,
        timeoutMs: s.liveTimeoutMs,
        memoryLimitMb: s.memoryLimitMb,
        ...(s.cpuLimitMs ? { cpuLimitMs: Math.min(s.cpuLimitMs, s.liveTimeoutMs) } : {}),
        ...ideRecord(pending.code),
      });
    } catch {
      // A lost connection or a refused request: the last values stay; the next edit tries again.
      if (this.#pending.get(name) === pending) this.#settle(name);
      return;
    }
    // Superseded by a newer edit while it ran: its values describe text that no longer exists.
    if (this.#pending.get(name) !== pending) return;
    this.#settle(name);
    this.store.set((st) => ({ shown: { ...st.shown, [name]: { runId, result, live: true, editedAt: pending.editedAt } } }));
  }

  #settle(name: string): void {
    this.#pending.delete(name);
    this.store.set((s) => ({ running: s.running.filter((n) => n !== name) }));
  }

  #cancel(name: string): void {
    const pending = this.#pending.get(name);
    if (!pending) return;
    this.#deps.clock.clearTimeout(pending.timer);
    if (pending.runId) this.#deps.cancel(pending.runId);
    this.#settle(name);
  }

  #load(): string[] {
    try {
      const raw = JSON.parse(this.#deps.storage.getItem(STORAGE_KEY) ?? '[]') as unknown;
      return Array.isArray(raw) ? raw.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      return [];
    }
  }

  #save(): void {
    this.#deps.storage.setItem(STORAGE_KEY, JSON.stringify(this.store.get().enabled));
  }
}
