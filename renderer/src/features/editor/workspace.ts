/**
 * The workspace's scripts as editor tabs: which are open, their text, and keeping that text safe.
 * Edits autosave to the workspace after a pause in typing; until a save has landed, a draft sits
 * in localStorage too, so a reload, a lost connection or a crashed backend loses nothing typed.
 * The editor (Monaco) reads and writes text through this class and holds no state of its own
 * that matters.
 */
import type { ScriptInfo, ScriptText } from '../../../../engine/common/api.ts';
import { freeName } from '../../../../engine/common/script-files.ts';
import { WELCOME_SCRIPT } from '../../../../engine/common/welcome.ts';
import type { Backend } from '../../backend.ts';
import { createStore, type Store } from '../../state/store.ts';

export const AUTOSAVE_DELAY_MS = 500;
const DRAFT_DELAY_MS = 150;

export interface WorkspaceState {
  loaded: boolean;
  dir: string;
  scripts: ScriptInfo[];
  /** Open tabs, in order. */
  open: string[];
  active: string | null;
  /** Names whose text differs from what the workspace file holds. */
  dirty: ReadonlySet<string>;
  saving: ReadonlySet<string>;
  /** The last save failure, in words, until a save succeeds. */
  saveError: string | null;
  /** Bumped when a document's text is replaced from outside the editor (load, example, rename). */
  revision: number;
}

interface Doc {
  content: string;
  /** What the workspace file holds, as far as we know. */
  saved: string;
}

export interface Draft {
  content: string;
  /** Date.now() when typed. */
  at: number;
}

/** Which text to show for a script: an unsaved draft wins if it was typed after the file was written. */
export function chooseText(file: { content: string; mtimeMs: number } | null, draft: Draft | null): { content: string; dirty: boolean } {
  if (draft && (!file || (draft.content !== file.content && draft.at >= file.mtimeMs))) return { content: draft.content, dirty: true };
  return { content: file?.content ?? '', dirty: false };
}

type Timer = ReturnType<typeof setTimeout>;

export class Workspace {
  readonly store: Store<WorkspaceState>;
  private readonly docs = new Map<string, Doc>();
  private readonly saveTimers = new Map<string, Timer>();
  private readonly draftTimers = new Map<string, Timer>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly backend: Pick<Backend, 'call'>;
  private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

  constructor(backend: Pick<Backend, 'call'>, storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {
    this.backend = backend;
    this.storage = storage;
    this.store = createStore<WorkspaceState>({
      loaded: false,
      dir: '',
      scripts: [],
      open: [],
      active: null,
      dirty: new Set(),
      saving: new Set(),
      saveError: null,
      revision: 0,
    });
  }

  // ---- reading ----

  text(name: string): string {
    return this.docs.get(name)?.content ?? '';
  }

  activeName(): string | null {
    return this.store.get().active;
  }

  // ---- storage of tabs and drafts (keyed by workspace folder) ----

  private key(what: string): string {
    return `isolab:${this.store.get().dir}:${what}`;
  }

  private readDraft(name: string): Draft | null {
    try {
      const raw = this.storage.getItem(this.key(`draft:${name}`));
      const draft = raw ? (JSON.parse(raw) as Draft) : null;
      return draft && typeof draft.content === 'string' ? draft : null;
    } catch {
      return null;
    }
  }

  private writeDraft(name: string): void {
    const doc = this.docs.get(name);
    if (!doc) return;
    try {
      if (doc.content === doc.saved) this.storage.removeItem(this.key(`draft:${name}`));
      else this.storage.setItem(this.key(`draft:${name}`), JSON.stringify({ content: doc.content, at: Date.now() } satisfies Draft));
    } catch {
      // Storage full or disabled: the workspace file is still the real copy.
    }
  }

  private dropDraft(name: string): void {
    try {
      this.storage.removeItem(this.key(`draft:${name}`));
    } catch {
      /* ignore */
    }
  }

  private persistTabs(): void {
    const { open, active } = this.store.get();
    try {
      this.storage.setItem(this.key('tabs'), JSON.stringify({ open, active }));
    } catch {
      /* ignore */
    }
  }

  private readTabs(): { open: string[]; active: string | null } {
    try {
      const raw = this.storage.getItem(this.key('tabs'));
      const parsed = raw ? (JSON.parse(raw) as { open?: unknown; active?: unknown }) : {};
      const open = Array.isArray(parsed.open) ? parsed.open.filter((n): n is string => typeof n === 'string') : [];
      return { open, active: typeof parsed.active === 'string' ? parsed.active : null };
    } catch {
      return { open: [], active: null };
    }
  }

  // ---- lifecycle ----

  /**
   * Opens the workspace's tabs. A workspace without scripts starts with `welcome`: a team policy's
   * welcome script, null for an empty scratch script, undefined for Isolab's own.
   */
  async load(welcome?: Promise<ScriptText | null | undefined>): Promise<void> {
    const [{ dir }, { scripts }] = await Promise.all([this.backend.call('workspace.info', {}), this.backend.call('workspace.list', {})]);
    this.store.set({ dir, scripts });
    const saved = this.readTabs();
    const names = new Set(scripts.map((s) => s.name));
    // A tab whose file vanished survives if it still has a draft (typed, never saved).
    let open = saved.open.filter((name) => names.has(name) || this.readDraft(name) !== null);
    if (open.length === 0 && scripts.length > 0) open = [scripts[0]!.name];
    const dirty = new Set<string>();
    await Promise.all(
      open.map(async (name) => {
        const file = names.has(name) ? await this.backend.call('workspace.read', { name }).catch(() => null) : null;
        const { content, dirty: isDirty } = chooseText(file, this.readDraft(name));
        this.docs.set(name, { content, saved: file?.content ?? '' });
        if (isDirty) dirty.add(name);
      }),
    );
    open = open.filter((name) => this.docs.has(name));
    const active = saved.active && open.includes(saved.active) ? saved.active : (open[0] ?? null);
    this.store.set((s) => ({ loaded: true, open, active, dirty, revision: s.revision + 1 }));
    this.persistTabs();
    if (open.length === 0) {
      const script = await welcome;
      if (script === undefined) await this.create('scratch.js', WELCOME_SCRIPT);
      else await this.create(script?.name ?? 'scratch.js', script?.content ?? '');
    }
    for (const name of dirty) this.scheduleSave(name, 0);
  }

  /** Re-reads the list of scripts (after an import wrote new ones). */
  async refreshList(): Promise<void> {
    const { scripts } = await this.backend.call('workspace.list', {});
    this.store.set({ scripts });
  }

  // ---- tabs ----

  async open(name: string): Promise<void> {
    if (!this.docs.has(name)) {
      const file = await this.backend.call('workspace.read', { name });
      const { content, dirty } = chooseText(file, this.readDraft(name));
      this.docs.set(name, { content, saved: file.content });
      if (dirty) this.markDirty(name, true);
    }
    this.store.set((s) => ({ open: s.open.includes(name) ? s.open : [...s.open, name], active: name, revision: s.revision + 1 }));
    this.persistTabs();
  }

  activate(name: string): void {
    if (!this.store.get().open.includes(name)) return;
    this.store.set({ active: name });
    this.persistTabs();
  }

  async close(name: string): Promise<void> {
    await this.flush(name);
    this.docs.delete(name);
    this.store.set((s) => {
      const index = s.open.indexOf(name);
      const open = s.open.filter((n) => n !== name);
      const active = s.active === name ? (open[Math.min(index, open.length - 1)] ?? null) : s.active;
      return { open, active };
    });
    this.persistTabs();
  }

  async create(wanted = 'untitled.js', content = ''): Promise<string> {
    const { scripts, open } = this.store.get();
    const name = freeName(wanted, [...scripts.map((s) => s.name), ...open]);
    this.docs.set(name, { content, saved: content });
    this.store.set((s) => ({ open: [...s.open, name], active: name, revision: s.revision + 1 }));
    this.persistTabs();
    await this.backend.call('workspace.write', { name, content });
    await this.refreshList();
    return name;
  }

  async rename(from: string, to: string): Promise<void> {
    if (from === to) return;
    await this.flush(from);
    await this.backend.call('workspace.rename', { from, to });
    const doc = this.docs.get(from);
    this.docs.delete(from);
    if (doc) this.docs.set(to, doc);
    this.dropDraft(from);
    this.store.set((s) => ({
      open: s.open.map((n) => (n === from ? to : n)),
      active: s.active === from ? to : s.active,
      revision: s.revision + 1,
    }));
    this.persistTabs();
    await this.refreshList();
  }

  async remove(name: string): Promise<void> {
    this.cancelTimers(name);
    await this.backend.call('workspace.delete', { name });
    this.dropDraft(name);
    this.markDirty(name, false);
    this.docs.delete(name);
    this.store.set((s) => {
      const index = s.open.indexOf(name);
      const open = s.open.filter((n) => n !== name);
      return { open, active: s.active === name ? (open[Math.min(index, open.length - 1)] ?? null) : s.active };
    });
    this.persistTabs();
    await this.refreshList();
    if (this.store.get().open.length === 0) await this.create('scratch.js', '');
  }

  // ---- editing and saving ----

  /** Called by the editor on every change. */
  edit(name: string, content: string): void {
    const doc = this.docs.get(name);
    if (!doc || doc.content === content) return;
    doc.content = content;
    this.markDirty(name, content !== doc.saved);
    this.debounce(this.draftTimers, name, DRAFT_DELAY_MS, () => this.writeDraft(name));
    this.scheduleSave(name, AUTOSAVE_DELAY_MS);
  }

  /** Replaces a document's text from outside the editor. */
  replace(name: string, content: string): void {
    const doc = this.docs.get(name);
    if (!doc) return;
    doc.content = content;
    this.markDirty(name, content !== doc.saved);
    this.writeDraft(name);
    this.store.set((s) => ({ revision: s.revision + 1 }));
    this.scheduleSave(name, AUTOSAVE_DELAY_MS);
  }

  private scheduleSave(name: string, delayMs: number): void {
    this.debounce(this.saveTimers, name, delayMs, () => void this.save(name));
  }

  private debounce(timers: Map<string, Timer>, name: string, delayMs: number, fn: () => void): void {
    const previous = timers.get(name);
    if (previous !== undefined) clearTimeout(previous);
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        fn();
      }, delayMs),
    );
  }

  private cancelTimers(name: string): void {
    for (const timers of [this.saveTimers, this.draftTimers]) {
      const timer = timers.get(name);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(name);
    }
  }

  /** Saves now whatever is pending for `name` and waits for it. */
  async flush(name: string): Promise<void> {
    const pendingTimer = this.saveTimers.has(name);
    this.cancelTimers(name);
    const doc = this.docs.get(name);
    if (doc && doc.content !== doc.saved) this.writeDraft(name);
    await this.inflight.get(name);
    if (pendingTimer || (doc && doc.content !== doc.saved)) await this.save(name);
  }

  async flushAll(): Promise<void> {
    await Promise.all(this.store.get().open.map((name) => this.flush(name)));
  }

  private async save(name: string): Promise<void> {
    // One write per script at a time, so an older text can never land after a newer one.
    const previous = this.inflight.get(name);
    if (previous) await previous;
    const doc = this.docs.get(name);
    if (!doc || doc.content === doc.saved) return;
    const content = doc.content;
    this.setSaving(name, true);
    const write = this.backend
      .call('workspace.write', { name, content })
      .then(
        () => {
          doc.saved = content;
          if (doc.content === content) {
            this.markDirty(name, false);
            this.dropDraft(name);
          }
          this.store.set({ saveError: null });
        },
        (error: Error) => {
          this.writeDraft(name);
          this.store.set({ saveError: `Could not save ${name}: ${error.message}` });
          // Keep trying: the draft is safe meanwhile, and the backend may be restarting.
          this.scheduleSave(name, 2000);
        },
      )
      .finally(() => {
        this.inflight.delete(name);
        this.setSaving(name, false);
      });
    this.inflight.set(name, write);
    await write;
  }

  private markDirty(name: string, dirty: boolean): void {
    const current = this.store.get().dirty;
    if (current.has(name) === dirty) return;
    const next = new Set(current);
    if (dirty) next.add(name);
    else next.delete(name);
    this.store.set({ dirty: next });
  }

  private setSaving(name: string, saving: boolean): void {
    const next = new Set(this.store.get().saving);
    if (saving) next.add(name);
    else next.delete(name);
    this.store.set({ saving: next });
  }
}
