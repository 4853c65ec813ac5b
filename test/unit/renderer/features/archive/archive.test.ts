/**
 * Export Workspace… and Import Workspace… in the renderer, with a fake backend and a fake browser:
 * tabs are saved before an export, web mode downloads the bytes and uploads the chosen file, the
 * desktop app lets main show its dialogs, progress follows the operation's own events, a cancel
 * changes nothing, failures say why, and the summary says what came in and what was skipped.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ARCHIVE_TRANSFER_BYTES, type ChannelName, type ImportReport } from '../../../../../engine/common/api.ts';
import { ArchiveFlow, base64ToBytes, bytesToBase64, exportSummary, importSummary, type ArchivePlatform, type ArchiveState } from '../../../../../renderer/src/features/archive/archive.ts';
import { BackendError } from '../../../../../renderer/src/backend.ts';

const REPORT: ImportReport = {
  file: 'team.zip',
  dir: '/home/ada/isolab',
  imported: [
    { from: 'main.js', name: 'main.js' },
    { from: 'util.js', name: 'util-2.js' },
  ],
  unchanged: ['same.js'],
  settings: { status: 'applied', applied: ['timeoutMs', 'theme'], refused: [{ key: 'memoryLimitMb', reason: 'memoryLimitMb is locked by the team policy (/etc/isolab/policy.json)' }] },
  breakpoints: { count: 3, applied: 0, reason: 'this version of Isolab keeps no breakpoints' },
  policy: '/etc/isolab/policy.json',
};

function setup(mode: 'web' | 'electron', answers: Partial<Record<ChannelName, (payload: any) => unknown>> = {}) {
  const log: string[] = [];
  const requests: { channel: ChannelName; payload: any }[] = [];
  const states: ArchiveState['step'][] = [];
  let picked: ((file: { name: string; size: number; bytes(): Promise<Uint8Array> } | null) => void) | null = null;
  const platform: ArchivePlatform = {
    pickFile: () => (log.push('pickFile'), new Promise((resolve) => (picked = resolve))),
    download: (name, bytes) => log.push(`download ${name} ${Array.from(bytes).join(',')}`),
  };
  const flow = new ArchiveFlow({
    backend: {
      mode,
      async call(channel: ChannelName, payload: any): Promise<any> {
        requests.push({ channel, payload });
        log.push(`call ${channel}`);
        const answer = answers[channel];
        if (!answer) throw new Error(`unexpected ${channel}`);
        return answer(payload);
      },
    },
    workspace: { flushAll: async () => void log.push('flushAll'), refreshList: async () => void log.push('refreshList') },
    platform,
    reloadSettings: async () => void log.push('reloadSettings'),
    newId: () => 'op-1',
  });
  flow.store.subscribe(() => states.push(flow.state.step));
  return { flow, log, requests, states, pick: (file: Parameters<NonNullable<typeof picked>>[0]) => picked!(file) };
}

const bytesFile = (name: string, bytes: number[]) => ({ name, size: bytes.length, bytes: async () => new Uint8Array(bytes) });

describe('exporting', () => {
  it('web mode: saves the open tabs, asks for the bytes and hands them to the browser as a download', async () => {
    const { flow, log, requests } = setup('web', {
      'workspace.export': () => ({ status: 'exported', fileName: 'isolab-workspace-2026-03-14.zip', scripts: ['a.js', 'b.js'], settings: true, sizeBytes: 3, data: bytesToBase64(new Uint8Array([80, 75, 3])) }),
    });
    await flow.exportWorkspace();
    expect(log).toEqual(['flushAll', 'call workspace.export', 'download isolab-workspace-2026-03-14.zip 80,75,3']);
    expect(requests[0]!.payload).toEqual({ via: 'bytes', operationId: 'op-1' });
    expect(flow.state).toEqual({ step: 'exported', fileName: 'isolab-workspace-2026-03-14.zip', file: null, scripts: 2, settings: true, sizeBytes: 3 });
  });

  it("desktop app: main's save dialog chooses the file; a cancelled dialog closes quietly", async () => {
    let cancel = false;
    const { flow, log, requests } = setup('electron', {
      'workspace.export': () => (cancel ? { status: 'cancelled' } : { status: 'exported', fileName: 'mine.zip', file: '/home/ada/mine.zip', scripts: ['a.js'], settings: true, sizeBytes: 700 }),
    });
    await flow.exportWorkspace();
    expect(requests[0]!.payload).toEqual({ via: 'dialog', operationId: 'op-1' });
    expect(log.some((line) => line.startsWith('download'))).toBe(false);
    expect(flow.state.step === 'exported' && exportSummary(flow.state)).toBe('Exported 1 script and the settings (700 B) to /home/ada/mine.zip.');
    cancel = true;
    await flow.exportWorkspace();
    expect(flow.state).toEqual({ step: 'idle' });
  });

  it("shows the backend's progress for its own operation only, and the reason when it fails", async () => {
    let release!: () => void;
    const { flow } = setup('web', { 'workspace.export': () => new Promise((_, reject) => (release = () => reject(new BackendError('InvalidRequestError', 'the workspace archive is larger than 32 MiB')))) });
    const done = flow.exportWorkspace();
    await new Promise((resolve) => setTimeout(resolve, 0));
    flow.onProgress({ type: 'archiveProgress', operationId: 'someone-else', phase: 'packing', done: 1, total: 9 });
    expect(flow.state).toMatchObject({ step: 'working', done: null });
    flow.onProgress({ type: 'archiveProgress', operationId: 'op-1', phase: 'packing', done: 40, total: 120 });
    expect(flow.state).toEqual({ step: 'working', kind: 'export', label: 'Packing scripts', done: 40, total: 120 });
    expect(await flow.exportWorkspace()).toBeUndefined(); // one at a time
    release();
    await done;
    expect(flow.state).toEqual({ step: 'failed', kind: 'export', message: 'the workspace archive is larger than 32 MiB' });
    flow.dismiss();
    expect(flow.state).toEqual({ step: 'idle' });
  });
});

describe('importing', () => {
  it('web mode: opens the file chooser at once, sends the file as base64, then refreshes the scripts and settings', async () => {
    const { flow, log, requests, pick } = setup('web', { 'workspace.import': () => ({ status: 'imported', report: REPORT }) });
    const done = flow.importWorkspace();
    // Nothing may be awaited before the chooser opens: the browser allows it only inside the click.
    expect(log).toEqual(['pickFile']);
    pick(bytesFile('team.zip', [80, 75, 5, 6]));
    await done;
    expect(requests[0]!.payload).toEqual({ from: { via: 'bytes', fileName: 'team.zip', data: bytesToBase64(new Uint8Array([80, 75, 5, 6])) }, operationId: 'op-1' });
    expect(log.slice(1)).toEqual(['call workspace.import', 'refreshList', 'reloadSettings']);
    expect(flow.state).toEqual({ step: 'imported', report: REPORT });
  });

  it('web mode: a cancelled chooser does nothing; a file over the transfer limit is refused before it is read', async () => {
    const { flow, log, pick, states } = setup('web');
    const cancelled = flow.importWorkspace();
    pick(null);
    await cancelled;
    expect(states).toEqual([]);
    const big = flow.importWorkspace();
    pick({ name: 'huge.zip', size: MAX_ARCHIVE_TRANSFER_BYTES + 1, bytes: async () => (log.push('read'), new Uint8Array()) });
    await big;
    expect(flow.state).toEqual({ step: 'failed', kind: 'import', message: 'huge.zip is larger than 32 MB, the most a browser tab can send. Import it on the command line: isolab workspace import huge.zip' });
    expect(log).not.toContain('read');
  });

  it("desktop app: main's open dialog picks the archive; cancelling it changes nothing", async () => {
    let cancel = true;
    const { flow, log, requests } = setup('electron', { 'workspace.import': () => (cancel ? { status: 'cancelled' } : { status: 'imported', report: REPORT }) });
    await flow.importWorkspace();
    expect(flow.state).toEqual({ step: 'idle' });
    expect(log).toEqual(['call workspace.import']);
    cancel = false;
    await flow.importWorkspace();
    expect(requests.at(-1)!.payload).toEqual({ from: { via: 'dialog' }, operationId: 'op-1' });
    expect(flow.state).toMatchObject({ step: 'imported' });
  });
});

describe('the summaries', () => {
  it('says what came in, what was renamed, which settings applied, and what was skipped and why', () => {
    expect(importSummary(REPORT)).toEqual({
      headline: 'Imported 2 scripts from team.zip',
      added: ['main.js'],
      renamed: [{ from: 'util.js', name: 'util-2.js' }],
      settings: 'Applied: Timeout, Theme.',
      skipped: [
        { what: 'same.js', why: 'already here with the same content' },
        { what: 'Setting: Memory limit', why: 'memoryLimitMb is locked by the team policy (/etc/isolab/policy.json)' },
        { what: '3 breakpoints', why: 'this version of Isolab keeps no breakpoints' },
      ],
      policy: '/etc/isolab/policy.json',
    });
  });

  it('says why settings were left alone, and when nothing changed', () => {
    const left = importSummary({ ...REPORT, imported: [], settings: { status: 'left', reason: 'the archive has none' }, breakpoints: { count: 0, applied: 0 } });
    expect(left).toMatchObject({ headline: 'Imported 0 scripts from team.zip', settings: 'Left as they are: the archive has none.', skipped: [{ what: 'same.js', why: 'already here with the same content' }] });
    expect(importSummary({ ...REPORT, settings: { status: 'applied', applied: [], refused: [] } }).settings).toBe('Already the same here.');
  });

  it('says where a web mode export went', () => {
    expect(exportSummary({ step: 'exported', fileName: 'x.zip', file: null, scripts: 1_200, settings: false, sizeBytes: 2_500_000 })).toBe("Exported 1,200 scripts (2.4 MB) as x.zip, in your browser's downloads.");
  });
});

it('moves bytes through base64 unchanged, in chunks large files need', () => {
  const bytes = new Uint8Array(200_000).map((_, i) => (i * 7919) % 256);
  const text = bytesToBase64(bytes);
  expect(text).toBe(Buffer.from(bytes).toString('base64'));
  expect(base64ToBytes(text)).toEqual(bytes);
});
