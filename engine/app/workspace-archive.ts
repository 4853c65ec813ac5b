/**
 * The `workspace.export` and `workspace.import` channels: the workspace as one archive file
 * (engine/workspace/archive.ts), on either front end. The desktop app hands the Backend its native
 * file dialogs (ArchiveFiles) and the archive never leaves the main process; web mode has none, so
 * the archive travels as base64 in the reply or the request (limits in engine/common/api.ts).
 *
 * One archive operation runs at a time: two imports picking free names at once could pick the
 * same one. Progress goes out as `archiveProgress` events for the page that chose the operationId.
 */
import { basename } from 'node:path';
import type * as z from 'zod';
import { MAX_ARCHIVE_TRANSFER_BYTES, type ArchivePhase, type BackendEvent, type ExportReply, type ExportRequest, type ImportReply, type ImportRequest } from '../common/api.ts';
import { exportWorkspace, exportWorkspaceBytes, type ArchiveProgress, type ArchiveSource } from '../workspace/archive.ts';
import { importArchive } from '../workspace/archive-import.ts';
import { WorkspaceError } from '../workspace/errors.ts';
import type { SettingsStore } from '../workspace/settings-store.ts';
import type { Workspace } from '../workspace/workspace.ts';

/** Native file dialogs (Electron main); a front end without them moves archives as bytes. */
export interface ArchiveFiles {
  /** Where to save an export; null when the user cancels. */
  chooseExportFile(suggestedName: string): Promise<string | null>;
  /** Which archive to import; null when the user cancels. */
  chooseImportFile(): Promise<string | null>;
}

export interface ArchiveHandlerOptions {
  workspace: () => Workspace;
  settings: SettingsStore;
  emit: (event: BackendEvent) => void;
  files?: ArchiveFiles;
  /** The date in the suggested file name. */
  now?: () => Date;
}

/** `isolab-workspace-2026-03-14.zip`, in the local date. */
export function archiveFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `isolab-workspace-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.zip`;
}

/** Reports a phase when its whole percentage moves: about 100 events per phase, however many scripts. */
export function progressReporter(operationId: string, emit: (event: BackendEvent) => void): ArchiveProgress {
  let last: { phase: ArchivePhase | null; percent: number } = { phase: null, percent: -1 };
  return (phase, done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
    if (phase === last.phase && percent === last.percent) return;
    last = { phase, percent };
    emit({ type: 'archiveProgress', operationId, phase, done, total });
  };
}

export function archiveHandlers(options: ArchiveHandlerOptions) {
  const { workspace, settings, emit } = options;
  const now = options.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  const dialogs = (): ArchiveFiles => {
    if (!options.files) throw new WorkspaceError('InvalidRequestError', 'this front end has no file dialogs (web mode): send the archive as bytes');
    return options.files;
  };
  const progress = (operationId: string | undefined) => (operationId ? progressReporter(operationId, emit) : undefined);

  return {
    'workspace.export': (request: z.output<typeof ExportRequest>) =>
      oneAtATime(async (): Promise<ExportReply> => {
        const fileName = archiveFileName(now());
        const file = request.via === 'dialog' ? await dialogs().chooseExportFile(fileName) : null;
        if (request.via === 'dialog' && !file) return { status: 'cancelled' };
        const onProgress = progress(request.operationId);
        const input = { workspace: workspace(), ...(request.settings ? { settings: await settings.get() } : {}), ...(onProgress ? { onProgress } : {}) };
        const done = { status: 'exported' as const, settings: request.settings };
        if (file) {
          const summary = await exportWorkspace(input, file);
          return { ...done, fileName: basename(file), file, scripts: summary.scripts, sizeBytes: summary.bytes };
        }
        const { scripts, bytes } = await exportWorkspaceBytes(input, MAX_ARCHIVE_TRANSFER_BYTES);
        return { ...done, fileName, scripts, sizeBytes: bytes.length, data: bytes.toString('base64') };
      }),
    'workspace.import': (request: z.output<typeof ImportRequest>) =>
      oneAtATime(async (): Promise<ImportReply> => {
        const { from } = request;
        let source: ArchiveSource;
        if (from.via === 'dialog') {
          const file = await dialogs().chooseImportFile();
          if (!file) return { status: 'cancelled' };
          source = file;
        } else {
          source = { name: from.fileName, bytes: Buffer.from(from.data, 'base64') };
        }
        const onProgress = progress(request.operationId);
        const report = await importArchive(source, workspace(), settings, { settings: request.settings, ...(onProgress ? { onProgress } : {}) });
        return { status: 'imported', report };
      }),
  };
}
