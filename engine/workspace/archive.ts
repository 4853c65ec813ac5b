/**
 * A workspace as one zip file, to move it to another machine: every script, the settings, and the
 * breakpoints. Written with yazl and read with yauzl (one author, made for Node streams, and yauzl
 * refuses unsafe entry names itself).
 *
 *   isolab-workspace.json   manifest: format, version, script names, settings, breakpoints
 *   scripts/<name>          each script, a valid ScriptName, UTF-8
 *
 * Importing treats the file as hostile. The whole archive is checked before anything is written:
 * only the manifest and scripts/<ScriptName> entries, no folders, links or devices, no absolute or
 * `..` paths, no duplicates, nothing encrypted, bounded entry count and sizes (declared and real:
 * yauzl checks each entry's declared size against what it inflates, and we count bytes as they
 * arrive). Scripts are then written through Workspace.write, which confines every write to the
 * folder. Name conflicts take the free-name rule (engine/common/script-files.ts).
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import yazl from 'yazl';
import * as z from 'zod';
import { ScriptName, Settings, type ArchivePhase, type Settings as SettingsValues } from '../common/api.ts';
import { MAX_SOURCE_BYTES } from '../common/contract.ts';
import { decodeUtf8 } from '../common/input.ts';
import { importedScriptName } from '../common/script-files.ts';
import { syncDirectory, tempPathFor } from './atomic-write.ts';
import { WorkspaceError } from './errors.ts';
import type { Workspace } from './workspace.ts';

export const MANIFEST_NAME = 'isolab-workspace.json';
const SCRIPTS_DIR = 'scripts/';

export const ARCHIVE_LIMITS = {
  /** Entries in one archive. */
  maxEntries: 5_000,
  /** One script, as for the editor and the engine (16 MiB of UTF-8). */
  maxScriptBytes: MAX_SOURCE_BYTES,
  maxManifestBytes: 4 * 1024 * 1024,
  /** Everything the archive inflates to. */
  maxTotalBytes: 256 * 1024 * 1024,
};
export type ArchiveLimits = typeof ARCHIVE_LIMITS;

/** Line numbers (1-based) per script. */
export const Breakpoints = z.record(ScriptName, z.array(z.number().int().min(1)).max(10_000));
export type Breakpoints = z.infer<typeof Breakpoints>;

export const WorkspaceManifest = z
  .object({
    format: z.literal('isolab-workspace'),
    version: z.literal(1),
    exportedAt: z.string(),
    scripts: z.array(ScriptName).max(ARCHIVE_LIMITS.maxEntries),
    settings: Settings.partial().optional(),
    breakpoints: Breakpoints.optional(),
  })
  .strict();
export type WorkspaceManifest = z.infer<typeof WorkspaceManifest>;

/** Told how far an export or import has come: scripts done of total, per phase. */
export type ArchiveProgress = (phase: ArchivePhase, done: number, total: number) => void;

export interface ExportInput {
  workspace: Workspace;
  settings?: SettingsValues;
  breakpoints?: Breakpoints;
  onProgress?: ArchiveProgress;
}

export interface ExportSummary {
  file: string;
  scripts: string[];
  bytes: number;
}

/** The zip of the workspace, ended: its output stream is ready to be read once. */
async function packWorkspace(input: ExportInput): Promise<{ zip: yazl.ZipFile; scripts: string[] }> {
  const zip = new yazl.ZipFile();
  const scripts = await input.workspace.list();
  input.onProgress?.('packing', 0, scripts.length);
  for (const [index, script] of scripts.entries()) {
    const { content } = await input.workspace.read(script.name);
    zip.addBuffer(Buffer.from(content, 'utf8'), `${SCRIPTS_DIR}${script.name}`, { mtime: new Date(script.mtimeMs), mode: 0o100644 });
    input.onProgress?.('packing', index + 1, scripts.length);
  }
  const names = scripts.map((s) => s.name);
  const manifest: WorkspaceManifest = {
    format: 'isolab-workspace',
    version: 1,
    exportedAt: new Date().toISOString(),
    scripts: names,
    ...(input.settings ? { settings: input.settings } : {}),
    ...(input.breakpoints ? { breakpoints: Object.fromEntries(Object.entries(input.breakpoints).filter(([name]) => names.includes(name))) } : {}),
  };
  zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), MANIFEST_NAME, { mode: 0o100644 });
  zip.end();
  return { zip, scripts: names };
}

/** Writes the archive to a temp file next to `file`, then renames it into place. */
export async function exportWorkspace(input: ExportInput, file: string): Promise<ExportSummary> {
  const { zip, scripts } = await packWorkspace(input);
  const temp = tempPathFor(file);
  try {
    await pipeline(zip.outputStream as Readable, createWriteStream(temp, { flags: 'wx' }));
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(file)).catch(() => undefined);
  return { file, scripts, bytes: (await stat(file)).size };
}

/** The archive in memory, for a front end that hands it over as bytes; refused past `maxBytes`. */
export async function exportWorkspaceBytes(input: ExportInput, maxBytes: number): Promise<{ scripts: string[]; bytes: Buffer }> {
  const { zip, scripts } = await packWorkspace(input);
  const bytes = await readAtMost(zip.outputStream as Readable, maxBytes, () => {
    return new WorkspaceError('InvalidRequestError', `the workspace archive is larger than ${maxBytes / 1048576} MiB, the most that can be sent as bytes; export it with isolab workspace export FILE`);
  });
  return { scripts, bytes };
}

/** A stream's bytes, stopping (and destroying it) as soon as they pass `max`, whatever it claimed. */
async function readAtMost(stream: Readable, max: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface ImportOptions {
  /** Apply the archive's settings (default true); the caller writes them (SettingsStore respects a team policy). */
  settings?: boolean;
  limits?: ArchiveLimits;
  onProgress?: ArchiveProgress;
}

/** An archive file, or one that came as bytes (web mode) with the name to call it by. */
export type ArchiveSource = string | { name: string; bytes: Buffer };

export function sourceName(source: ArchiveSource): string {
  return typeof source === 'string' ? source : source.name;
}

export interface ImportSummary {
  file: string;
  /** Scripts written, and the name each got (different from `from` when it took the free-name rule). */
  imported: { from: string; name: string }[];
  /** Scripts already in the workspace with the same content. */
  unchanged: string[];
  settings?: Partial<SettingsValues>;
  /** Breakpoints, keyed by the names the scripts got here. */
  breakpoints: Breakpoints;
}

function refuse(file: string, reason: string): never {
  throw new WorkspaceError('InvalidRequestError', `${file} cannot be imported: ${reason}; nothing was imported`);
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** Checks one entry's metadata; returns the script name for scripts/<name>, or null for the manifest. */
function checkEntry(file: string, entry: Entry, limits: ArchiveLimits): string | null {
  const name = entry.fileName;
  const unixMode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  // Made on Unix (version made by, high byte 3): the mode must be a regular file (or unset).
  if (entry.versionMadeBy >> 8 === 3 && unixMode !== 0 && unixMode !== S_IFREG) refuse(file, `${name} is not a regular file (a link, folder or device)`);
  if (name.endsWith('/')) refuse(file, `${name} is a folder; a workspace archive holds only scripts/<name> files`);
  if (entry.isEncrypted()) refuse(file, `${name} is encrypted`);
  if (name === MANIFEST_NAME) {
    if (entry.uncompressedSize > limits.maxManifestBytes) refuse(file, `${name} is ${entry.uncompressedSize} bytes, over ${limits.maxManifestBytes}`);
    return null;
  }
  const script = name.startsWith(SCRIPTS_DIR) ? name.slice(SCRIPTS_DIR.length) : null;
  if (script === null || !ScriptName.safeParse(script).success) refuse(file, `unexpected entry ${JSON.stringify(name)} (only ${MANIFEST_NAME} and scripts/<name>.js|ts|mjs)`);
  if (entry.uncompressedSize > limits.maxScriptBytes) refuse(file, `${name} is ${entry.uncompressedSize} bytes, over the ${limits.maxScriptBytes / 1048576} MiB script limit`);
  return script;
}

interface CheckedArchive {
  zip: ZipFile;
  manifest: Entry;
  scripts: Map<string, Entry>;
}

/** Reads the central directory and checks every entry before a single byte is inflated. */
async function checkArchive(source: ArchiveSource, limits: ArchiveLimits): Promise<CheckedArchive> {
  const file = sourceName(source);
  const options = { strictFileNames: true, validateEntrySizes: true, autoClose: false };
  let zip: ZipFile;
  try {
    zip = typeof source === 'string' ? await yauzl.openPromise(source, options) : await yauzl.fromBufferPromise(source.bytes, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new WorkspaceError('NotFoundError', `${file}: no such file`);
    refuse(file, `not a readable zip archive (${(error as Error).message})`);
  }
  try {
    if (zip.entryCount > limits.maxEntries) refuse(file, `it has ${zip.entryCount} entries, over the limit of ${limits.maxEntries}`);
    const scripts = new Map<string, Entry>();
    const seen = new Set<string>();
    let manifest: Entry | undefined;
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      if (seen.has(entry.fileName)) refuse(file, `${entry.fileName} appears twice`);
      seen.add(entry.fileName);
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) refuse(file, `it inflates to more than ${limits.maxTotalBytes / 1048576} MiB`);
      const script = checkEntry(file, entry, limits);
      if (script === null) manifest = entry;
      else scripts.set(script, entry);
    }
    if (!manifest) refuse(file, `it has no ${MANIFEST_NAME}: not an Isolab workspace archive`);
    return { zip, manifest, scripts };
  } catch (error) {
    zip.close();
    if (error instanceof WorkspaceError) throw error;
    refuse(file, (error as Error).message);
  }
}

/** An entry's bytes, stopping at `max` whatever its header claims. */
async function readEntry(zip: ZipFile, entry: Entry, max: number): Promise<Buffer> {
  return readAtMost(await zip.openReadStreamPromise(entry), max, () => new Error(`${entry.fileName} inflates past ${max} bytes`));
}

function utf8(file: string, name: string, bytes: Buffer): string {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) refuse(file, `${name} is not UTF-8 text`);
  return decoded.text;
}

interface ArchiveContent {
  manifest: WorkspaceManifest;
  scripts: Map<string, string>;
}

/** Everything in the archive, checked and inflated within the limits, or a WorkspaceError saying why not. */
export async function readWorkspaceArchive(source: ArchiveSource, limits: ArchiveLimits = ARCHIVE_LIMITS, onProgress?: ArchiveProgress): Promise<ArchiveContent> {
  const file = sourceName(source);
  const checked = await checkArchive(source, limits);
  try {
    const raw = utf8(file, MANIFEST_NAME, await readEntry(checked.zip, checked.manifest, limits.maxManifestBytes));
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      refuse(file, `${MANIFEST_NAME} is not valid JSON (${(error as Error).message})`);
    }
    const parsed = WorkspaceManifest.safeParse(json);
    if (!parsed.success) refuse(file, `${MANIFEST_NAME}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`).join('; ')}`);
    const manifest = parsed.data;
    const listed = [...manifest.scripts].sort().join('\n');
    if (listed !== [...checked.scripts.keys()].sort().join('\n')) refuse(file, `the scripts in ${MANIFEST_NAME} do not match the scripts/ entries`);
    const scripts = new Map<string, string>();
    let total = 0;
    onProgress?.('reading', 0, checked.scripts.size);
    for (const [name, entry] of checked.scripts) {
      const bytes = await readEntry(checked.zip, entry, limits.maxScriptBytes);
      total += bytes.length;
      if (total > limits.maxTotalBytes) refuse(file, `it inflates to more than ${limits.maxTotalBytes / 1048576} MiB`);
      scripts.set(name, utf8(file, entry.fileName, bytes));
      onProgress?.('reading', scripts.size, checked.scripts.size);
    }
    return { manifest, scripts };
  } catch (error) {
    if (error instanceof WorkspaceError) throw error;
    refuse(file, (error as Error).message);
  } finally {
    checked.zip.close();
  }
}

/** Imports an archive into the workspace: new names for conflicts, same-content scripts left as they are. */
export async function importWorkspace(source: ArchiveSource, workspace: Workspace, options: ImportOptions = {}): Promise<ImportSummary> {
  const file = sourceName(source);
  const { manifest, scripts } = await readWorkspaceArchive(source, options.limits, options.onProgress);
  const existing = new Map((await workspace.list()).map((s) => [s.name.toLowerCase(), s.name]));
  const taken = new Set(existing.keys());
  const summary: ImportSummary = { file, imported: [], unchanged: [], breakpoints: {} };
  const renamed = new Map<string, string>();
  options.onProgress?.('writing', 0, scripts.size);
  for (const [from, content] of scripts) {
    const current = existing.get(from.toLowerCase());
    if (current !== undefined && (await workspace.read(current)).content === content) {
      summary.unchanged.push(from);
      renamed.set(from, current);
    } else {
      const name = importedScriptName(from, taken);
      if (!name) refuse(file, `no free name for ${from}`);
      await workspace.write(name, content);
      taken.add(name.toLowerCase());
      renamed.set(from, name);
      summary.imported.push({ from, name });
    }
    options.onProgress?.('writing', renamed.size, scripts.size);
  }
  for (const [script, lines] of Object.entries(manifest.breakpoints ?? {})) {
    const name = renamed.get(script);
    if (name) summary.breakpoints[name] = lines;
  }
  if (options.settings !== false && manifest.settings) summary.settings = manifest.settings;
  return summary;
}
