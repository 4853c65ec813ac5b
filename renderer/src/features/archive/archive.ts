/**
 * Export Workspace… and Import Workspace…: the steps, the progress and the summary, apart from
 * how they look (ArchiveDialog.tsx) and from the browser's file chooser and downloads (passed in
 * as an ArchivePlatform, so this is testable without a DOM).
 *
 * The desktop app's backend shows native dialogs and the archive never enters the page; in web
 * mode the page picks the file and downloads the export, and the archive travels as base64 within
 * the contract's MAX_ARCHIVE_TRANSFER_BYTES.
 */
import { MAX_ARCHIVE_TRANSFER_BYTES, type ArchivePhase, type BackendEvent, type ImportReport, type ImportRequest } from '../../../../engine/common/api.ts';
import { formatBytes } from '../../../../engine/common/units.ts';
import type { Backend } from '../../backend.ts';
import { createStore, type Store } from '../../state/store.ts';
import { SETTING_LABELS } from '../../state/policy.ts';
import type * as z from 'zod';

export interface PickedFile {
  name: string;
  size: number;
  bytes(): Promise<Uint8Array>;
}

/** The browser's side of moving files (features/archive/browser-files.ts). */
export interface ArchivePlatform {
  /** Lets the user choose an archive; null when they cancel. */
  pickFile(): Promise<PickedFile | null>;
  /** Hands an export to the browser as a download. */
  download(fileName: string, bytes: Uint8Array): void;
}

export type ArchiveKind = 'export' | 'import';

export type ArchiveState =
  | { step: 'idle' }
  | { step: 'working'; kind: ArchiveKind; label: string; done: number | null; total: number | null }
  | { step: 'exported'; fileName: string; file: string | null; scripts: number; settings: boolean; sizeBytes: number }
  | { step: 'imported'; report: ImportReport }
  | { step: 'failed'; kind: ArchiveKind; message: string };

const PHASE_LABELS: Record<ArchivePhase, string> = { packing: 'Packing scripts', reading: 'Checking the archive', writing: 'Writing scripts' };

export interface ArchiveFlowDeps {
  backend: Pick<Backend, 'call' | 'mode'>;
  workspace: { flushAll(): Promise<void>; refreshList(): Promise<void> };
  platform: ArchivePlatform;
  /** Imported settings change what the toolbar shows. */
  reloadSettings: () => Promise<void>;
  newId?: () => string;
}

let counter = 0;
const defaultId = () => `archive-${Date.now().toString(36)}-${++counter}`;

export class ArchiveFlow {
  readonly store: Store<{ state: ArchiveState }> = createStore<{ state: ArchiveState }>({ state: { step: 'idle' } });
  private readonly deps: ArchiveFlowDeps;
  private operationId: string | null = null;

  constructor(deps: ArchiveFlowDeps) {
    this.deps = deps;
  }

  get state(): ArchiveState {
    return this.store.get().state;
  }

  private set(state: ArchiveState): void {
    this.store.set({ state });
  }

  private working(kind: ArchiveKind, label: string): void {
    this.set({ step: 'working', kind, label, done: null, total: null });
  }

  /** Runs one operation; a failure ends in the failed state with the backend's reason. */
  private async run(kind: ArchiveKind, work: (operationId: string) => Promise<ArchiveState>): Promise<void> {
    const operationId = (this.deps.newId ?? defaultId)();
    this.operationId = operationId;
    try {
      this.set(await work(operationId));
    } catch (error) {
      this.set({ step: 'failed', kind, message: error instanceof Error ? error.message : String(error) });
    } finally {
      this.operationId = null;
    }
  }

  /** Saves the open tabs (the archive holds what the user sees), then exports. */
  exportWorkspace(): Promise<void> {
    if (this.state.step === 'working') return Promise.resolve();
    const { backend, workspace, platform } = this.deps;
    return this.run('export', async (operationId) => {
      this.working('export', 'Saving open scripts');
      await workspace.flushAll();
      const dialog = backend.mode === 'electron';
      this.working('export', dialog ? 'Choosing where to save' : PHASE_LABELS.packing);
      const reply = await backend.call('workspace.export', { via: dialog ? 'dialog' : 'bytes', operationId });
      if (reply.status === 'cancelled') return { step: 'idle' };
      if (reply.data !== undefined) platform.download(reply.fileName, base64ToBytes(reply.data));
      return { step: 'exported', fileName: reply.fileName, file: reply.file ?? null, scripts: reply.scripts.length, settings: reply.settings, sizeBytes: reply.sizeBytes };
    });
  }

  /**
   * Asks for an archive and imports it. In web mode the file chooser must open within the click
   * (or key press) that asked for it, so nothing is awaited before it.
   */
  importWorkspace(): Promise<void> {
    if (this.state.step === 'working') return Promise.resolve();
    const { backend, platform } = this.deps;
    if (backend.mode === 'electron') return this.run('import', (id) => this.importFrom({ via: 'dialog' }, id, 'Choosing an archive'));
    return platform.pickFile().then((file) => {
      if (!file) return;
      if (file.size > MAX_ARCHIVE_TRANSFER_BYTES) {
        this.set({ step: 'failed', kind: 'import', message: tooLarge(file) });
        return;
      }
      return this.run('import', async (id) => {
        this.working('import', `Reading ${file.name}`);
        const data = bytesToBase64(await file.bytes());
        return this.importFrom({ via: 'bytes', fileName: file.name, data }, id, `Sending ${file.name} (${formatBytes(file.size)})`);
      });
    });
  }

  private async importFrom(from: z.input<typeof ImportRequest>['from'], operationId: string, label: string): Promise<ArchiveState> {
    this.working('import', label);
    const reply = await this.deps.backend.call('workspace.import', { from, operationId });
    if (reply.status === 'cancelled') return { step: 'idle' };
    await Promise.all([this.deps.workspace.refreshList(), this.deps.reloadSettings()]);
    return { step: 'imported', report: reply.report };
  }

  /** The backend's progress for the operation on screen. */
  onProgress(event: Extract<BackendEvent, { type: 'archiveProgress' }>): void {
    const state = this.state;
    if (event.operationId !== this.operationId || state.step !== 'working') return;
    this.set({ ...state, label: PHASE_LABELS[event.phase], done: event.done, total: event.total });
  }

  /** Closes the summary (or the error). */
  dismiss(): void {
    if (this.state.step !== 'working') this.set({ step: 'idle' });
  }
}

function tooLarge(file: PickedFile): string {
  return `${file.name} is larger than ${formatBytes(MAX_ARCHIVE_TRANSFER_BYTES)}, the most a browser tab can send. Import it on the command line: isolab workspace import ${file.name}`;
}

export interface ImportSummary {
  headline: string;
  /** Scripts that kept their name. */
  added: string[];
  /** Scripts whose name was taken, and the name they got (the free-name rule). */
  renamed: { from: string; name: string }[];
  settings: string;
  /** What was not imported, and why. */
  skipped: { what: string; why: string }[];
  policy: string | null;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The import summary in words: what came in, under which names, and what was skipped and why. */
export function importSummary(report: ImportReport): ImportSummary {
  const skipped = report.unchanged.map((name) => ({ what: name, why: 'already here with the same content' }));
  let settings: string;
  if (report.settings.status === 'left') settings = `Left as they are: ${report.settings.reason}.`;
  else {
    const { applied, refused } = report.settings;
    settings = applied.length ? `Applied: ${applied.map((key) => SETTING_LABELS[key]).join(', ')}.` : refused.length ? 'None applied.' : 'Already the same here.';
    for (const { key, reason } of refused) skipped.push({ what: `Setting: ${SETTING_LABELS[key]}`, why: reason });
  }
  const { count, applied, reason } = report.breakpoints;
  if (count > applied) skipped.push({ what: plural(count - applied, 'breakpoint'), why: reason ?? 'not applied' });
  return {
    headline: `Imported ${plural(report.imported.length, 'script')} from ${report.file}`,
    added: report.imported.filter((i) => i.from === i.name).map((i) => i.name),
    renamed: report.imported.filter((i) => i.from !== i.name),
    settings,
    skipped,
    policy: report.policy,
  };
}

/** The export summary in words. */
export function exportSummary(state: Extract<ArchiveState, { step: 'exported' }>): string {
  const what = `${plural(state.scripts, 'script')}${state.settings ? ' and the settings' : ''} (${formatBytes(state.sizeBytes)})`;
  return state.file ? `Exported ${what} to ${state.file}.` : `Exported ${what} as ${state.fileName}, in your browser's downloads.`;
}

// btoa/atob work on "binary strings"; chunks keep String.fromCharCode's argument list small.
const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) parts.push(String.fromCharCode(...bytes.subarray(i, i + CHUNK)));
  return btoa(parts.join(''));
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
