/**
 * Crash-safe file replacement: the new content goes to a temp file in the same folder (so the
 * final rename stays on one file system and is atomic), is fsynced, then renamed over the target,
 * and the folder is fsynced so the rename itself survives a power cut. A reader, or a process
 * killed at any instant, sees either the old file or the new one, never a torn mix.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files start with a dot, which ScriptName refuses, so they never show up as scripts. */
export const TEMP_PREFIX = '.isolab-tmp-';

export function tempPathFor(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}`);
}

export async function writeFileAtomic(target: string, content: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  const mode = await existingMode(target);
  let renamed = false;
  try {
    // 'wx' refuses to follow or reuse anything already at the temp path.
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    renamed = true;
    await syncDirectory(dirname(target));
  } finally {
    if (!renamed) await rm(temp, { force: true }).catch(() => undefined);
  }
}

async function existingMode(target: string): Promise<number> {
  try {
    return (await stat(target)).mode & 0o777;
  } catch {
    return 0o644;
  }
}

/** Windows cannot open a directory for fsync; there NTFS journals the rename itself. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems (certain FUSE, network mounts) refuse fsync on directories; the data
    // file itself was already synced, which is the part that matters for torn writes.
  } finally {
    await handle.close();
  }
}
