/**
 * The IDE's behaviour, apart from how it looks: starting runs, calls and leak profiles, stopping
 * them, folding the backend's event stream into sessions, following engine health and settings.
 * React components read the stores and call these methods; they never talk to the backend.
 */
import { DEFAULT_SETTINGS, ScriptName, type PackageInfo, type Settings } from '../../../engine/common/api.ts';
import type { CallSpec, EngineStatus, RunRequest } from '../../../engine/common/contract.ts';
import type { RunEvent } from '../../../engine/common/protocol.ts';
import { failedLeakReport } from '../../../engine/common/leak.ts';
import { BackendError, type Backend, type ConnectionStatus } from '../backend.ts';
import { languageOf } from '../../../engine/common/script-files.ts';
import { Workspace } from '../features/editor/workspace.ts';
import {
  addToHistory,
  applyEvents,
  failedResult,
  finishLeak,
  finishRun,
  newSession,
  type HistoryEntry,
  type RunKind,
  type RunSession,
} from '../state/session.ts';
import { createStore, type Store } from '../state/store.ts';

export type PanelId = 'console' | 'result' | 'timing' | 'heap' | 'leaks' | 'packages' | 'engine';

export interface RunsState {
  /** The session on screen: the most recently started one. */
  current: RunSession | null;
  /** Run ids still executing. */
  running: string[];
  history: HistoryEntry[];
}

export interface EngineState {
  status: EngineStatus | null;
  /** From the backend's `engine` events: the host went away and is coming back. */
  restarting: boolean;
  restartReason: string | null;
  /** The last time an engine host was replaced, and why: a warm spare makes the restart itself too short to see. */
  lastRestart: { reason: string; at: number } | null;
  connection: ConnectionStatus;
}

export interface UiState {
  panel: PanelId;
  /** A place the editor should show (an error's file and line); `seq` changes on every request. */
  reveal: { name: string; line: number; column: number; seq: number } | null;
}

/** The workspace's packages (Packages panel) and the Add package… install in progress or last done. */
export interface PackagesState {
  /** Null until first loaded. */
  list: PackageInfo[] | null;
  loadError: string | null;
  install: {
    installId: string;
    spec: string;
    running: boolean;
    /** npm's output so far (the last 256 KB). */
    output: string;
    result: { ok: boolean; message: string } | null;
  } | null;
}

const MAX_INSTALL_OUTPUT = 256 * 1024;

/** An error's file that is a workspace script (not a package file), which the editor can open. */
export function scriptOfError(file: string | undefined): string | null {
  return file !== undefined && ScriptName.safeParse(file).success ? file : null;
}

const STATUS_POLL_MS = 2000;
const HEAP_INTERVAL_MS = 50;

let runCounter = 0;
function newRunId(): string {
  runCounter += 1;
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10);
  return `ui-${Date.now().toString(36)}-${runCounter}-${random}`;
}

export function describeCall(call: CallSpec): string {
  return `${call.name}(${(call.args ?? []).map((a) => JSON.stringify(a)).join(', ')})`;
}

export class Controller {
  readonly backend: Backend;
  readonly workspace: Workspace;
  readonly runs: Store<RunsState> = createStore<RunsState>({ current: null, running: [], history: [] });
  readonly engine: Store<EngineState>;
  readonly settings: Store<Settings> = createStore<Settings>({ ...DEFAULT_SETTINGS });
  readonly ui: Store<UiState> = createStore<UiState>({ panel: 'console', reveal: null });
  readonly packages: Store<PackagesState> = createStore<PackagesState>({ list: null, loadError: null, install: null });
  private readonly sessions = new Map<string, RunSession>();
  private pendingEvents: RunEvent[] = [];
  private flushScheduled = false;
  private statusTimer: ReturnType<typeof setInterval> | null = null;
  private settingsTimer: ReturnType<typeof setTimeout> | null = null;
  /** performance.now() of the last Run click, for the paint-latency measurement. */
  runClickedAt: number | null = null;

  constructor(backend: Backend, storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {
    this.backend = backend;
    this.workspace = new Workspace(backend, storage);
    this.engine = createStore<EngineState>({ status: null, restarting: false, restartReason: null, lastRestart: null, connection: backend.connection() });
  }

  async start(): Promise<void> {
    this.backend.onEvent((event) => {
      switch (event.type) {
        case 'log':
        case 'heap':
        case 'leakProgress':
        case 'restarted':
          if (!this.sessions.has(event.runId)) return;
          this.pendingEvents.push(event);
          this.scheduleFlush();
          return;
        case 'runFinished':
          this.settleRun(event.runId, event.result);
          return;
        case 'leakFinished':
          this.settleLeak(event.runId, event.report);
          return;
        case 'engine':
          this.engine.set({
            restarting: event.state === 'restarting',
            restartReason: event.reason ?? null,
            ...(event.state === 'restarting' ? { lastRestart: { reason: event.reason ?? 'unknown reason', at: Date.now() } } : {}),
          });
          void this.refreshStatus();
          return;
        case 'menu':
          this.onMenu(event.action);
          return;
        case 'packageInstall':
          this.onInstallOutput(event.installId, event.text);
          return;
      }
    });
    this.backend.onConnection((connection) => {
      this.engine.set({ connection });
      if (connection.state === 'connected') void this.refreshStatus();
    });
    this.statusTimer = setInterval(() => void this.refreshStatus(), STATUS_POLL_MS);
    const settings = this.backend.call('settings.get', {}).then((s) => this.settings.set(s)).catch(() => {});
    await Promise.all([this.workspace.load(), settings, this.refreshStatus()]);
  }

  dispose(): void {
    if (this.statusTimer) clearInterval(this.statusTimer);
  }

  menuHandlers: Partial<Record<'newScript' | 'save' | 'openWorkspace', () => void>> = {};

  private onMenu(action: 'run' | 'stop' | 'profileLeaks' | 'newScript' | 'save' | 'openWorkspace'): void {
    if (action === 'run') void this.run();
    else if (action === 'stop') void this.stop();
    else if (action === 'profileLeaks') void this.profileLeaks();
    else if (action === 'save') void this.workspace.flushAll();
    else this.menuHandlers[action]?.();
  }

  async refreshStatus(): Promise<void> {
    try {
      const status = await this.backend.call('status', {});
      this.engine.set((s) => ({ status, restarting: status.state === 'restarting' || (s.restarting && status.state !== 'ready') }));
    } catch {
      // The connection state already tells the user; keep the last known figures.
    }
  }

  // ---- settings ----

  updateSettings(patch: Partial<Settings>): void {
    this.settings.set(patch);
    if (this.settingsTimer) clearTimeout(this.settingsTimer);
    this.settingsTimer = setTimeout(() => {
      void this.backend.call('settings.set', this.settings.get()).catch(() => {});
    }, 300);
  }

  private limits(): Pick<RunRequest, 'timeoutMs' | 'memoryLimitMb' | 'cpuLimitMs'> {
    const s = this.settings.get();
    return { timeoutMs: s.timeoutMs, memoryLimitMb: s.memoryLimitMb, ...(s.cpuLimitMs ? { cpuLimitMs: s.cpuLimitMs } : {}) };
  }

  // ---- sessions ----

  private begin(kind: RunKind, label: string, leakIterations?: number): RunSession | null {
    const script = this.workspace.activeName();
    if (!script) return null;
    const session = newSession({ runId: newRunId(), kind, script, label, startedAt: Date.now(), ...(leakIterations ? { leakIterations } : {}) });
    this.sessions.set(session.runId, session);
    this.runs.set((s) => ({ current: session, running: [...s.running, session.runId] }));
    // Keep the file in step with what ran, without making the run wait for the disk.
    void this.workspace.flush(script).catch(() => {});
    return session;
  }

  private update(runId: string, next: RunSession): void {
    this.sessions.set(runId, next);
    this.runs.set((s) => (s.current?.runId === runId ? { current: next } : {}));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const flush = () => {
      this.flushScheduled = false;
      const events = this.pendingEvents;
      this.pendingEvents = [];
      const byRun = new Map<string, RunEvent[]>();
      for (const event of events) {
        const list = byRun.get(event.runId) ?? [];
        list.push(event);
        byRun.set(event.runId, list);
      }
      for (const [runId, list] of byRun) {
        const session = this.sessions.get(runId);
        if (session) this.update(runId, applyEvents(session, list));
      }
    };
    // One React update per frame however fast lines arrive; hidden tabs get no frames, so a timer.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 50);
  }

  private settleRun(runId: string, result: import('../../../engine/common/contract.ts').RunResult): void {
    const session = this.sessions.get(runId);
    if (!session || (!session.running && session.result)) return;
    const done = finishRun(session, result);
    this.update(runId, done);
    this.finish(done);
  }

  private settleLeak(runId: string, report: import('../../../engine/common/leak.ts').LeakReport): void {
    const session = this.sessions.get(runId);
    if (!session || (!session.running && session.leak)) return;
    const done = finishLeak(session, report);
    this.update(runId, done);
    this.finish(done);
  }

  private finish(session: RunSession): void {
    this.runs.set((s) => ({
      running: s.running.filter((id) => id !== session.runId),
      history: session.result ? addToHistory(s.history, session, Date.now()) : s.history,
    }));
    // Drop finished sessions that are no longer on screen; their figures live on in history.
    for (const [id, other] of this.sessions) if (id !== this.runs.get().current?.runId && !other.running) this.sessions.delete(id);
    void this.refreshStatus();
  }

  /**
   * The active script runs from the editor's text; the scripts it imports are read from the
   * workspace folder by the engine, so other tabs' unsaved edits are saved first.
   */
  private async saveOtherTabs(script: string): Promise<void> {
    const { open, dirty } = this.workspace.store.get();
    const others = open.filter((name) => name !== script && dirty.has(name));
    if (others.length > 0) await Promise.all(others.map((name) => this.workspace.flush(name).catch(() => {})));
  }

  /** Runs the active script, or calls one of its functions. */
  async run(call?: CallSpec): Promise<void> {
    const label = call ? describeCall(call) : (this.workspace.activeName() ?? '');
    const session = this.begin(call ? 'call' : 'run', label);
    if (!session) return;
    const { runId, script } = session;
    await this.saveOtherTabs(script);
    const s = this.settings.get();
    if (this.ui.get().panel === 'leaks' || this.ui.get().panel === 'engine') this.ui.set({ panel: 'console' });
    const request = {
      runId,
      code: this.workspace.text(script),
      language: languageOf(script),
      filename: script,
      reuseContext: s.reuseContext,
      ...this.limits(),
      ...(call ? { call } : {}),
      stream: { logs: true, heap: true, heapIntervalMs: HEAP_INTERVAL_MS },
    };
    try {
      this.settleRun(runId, await this.backend.call('run', request));
    } catch (error) {
      const e = error instanceof BackendError ? error : new BackendError('InternalError', String(error));
      this.settleRun(runId, failedResult(runId, e.type === 'DisconnectedError' ? 'EngineCrashedError' : e.type, e.message, Date.now() - session.startedAt));
    }
  }

  async profileLeaks(call?: CallSpec): Promise<void> {
    const iterations = this.settings.get().leakIterations;
    const active = this.workspace.activeName() ?? '';
    const session = this.begin('leak', call ? describeCall(call) : active, iterations);
    if (!session) return;
    this.ui.set({ panel: 'leaks' });
    const { runId, script } = session;
    await this.saveOtherTabs(script);
    const request = {
      runId,
      code: this.workspace.text(script),
      language: languageOf(script),
      filename: script,
      iterations,
      ...this.limits(),
      ...(call ? { call } : {}),
    };
    try {
      this.settleLeak(runId, await this.backend.call('leak', request));
    } catch (error) {
      const e = error instanceof BackendError ? error : new BackendError('InternalError', String(error));
      this.settleLeak(runId, failedLeakReport(runId, iterations, e.type, e.message, Date.now() - session.startedAt, session.leakSamples));
    }
  }

  /** Stops everything this window started that is still executing. */
  async stop(): Promise<void> {
    const ids = this.runs.get().running;
    for (const id of ids) {
      const session = this.sessions.get(id);
      if (session) this.update(id, { ...session, cancelRequested: true });
    }
    await Promise.all(ids.map((runId) => this.backend.call('cancel', { runId }).catch(() => null)));
  }

  cancel(runId: string): void {
    void this.backend.call('cancel', { runId }).catch(() => null);
  }

  showPanel(panel: PanelId): void {
    this.ui.set({ panel });
    if (panel === 'packages' && this.packages.get().list === null) void this.refreshPackages();
  }

  /** Opens a workspace script (an error's file) in the editor at a line and column. */
  async reveal(name: string, line: number, column = 1): Promise<void> {
    await this.workspace.open(name);
    this.ui.set((s) => ({ reveal: { name, line, column, seq: (s.reveal?.seq ?? 0) + 1 } }));
  }

  // ---- packages ----

  async refreshPackages(): Promise<void> {
    try {
      const { packages } = await this.backend.call('packages.list', {});
      this.packages.set({ list: packages, loadError: null });
    } catch (error) {
      this.packages.set({ loadError: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Add package…: the backend runs npm in the workspace folder; its output streams in as events. */
  async addPackage(spec: string): Promise<void> {
    const installId = newRunId();
    this.packages.set({ install: { installId, spec, running: true, output: '', result: null } });
    let result: { ok: boolean; message: string };
    try {
      const reply = await this.backend.call('packages.add', { spec, installId });
      this.packages.set({ list: reply.packages, loadError: null });
      result = { ok: reply.ok, message: reply.message };
    } catch (error) {
      result = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    this.packages.set((s) => (s.install?.installId === installId ? { install: { ...s.install, running: false, result } } : {}));
  }

  private onInstallOutput(installId: string, text: string): void {
    this.packages.set((s) => (s.install?.installId === installId ? { install: { ...s.install, output: (s.install.output + text).slice(-MAX_INSTALL_OUTPUT) } } : {}));
  }
}
