/**
 * A team's examples folder (the team policy's `examples.folder`): the scripts directly in it, as
 * text, for the IDE's examples menu. The folder belongs to an administrator, so it is only read:
 * files that are not scripts, links that leave the folder, and scripts over the size limit are
 * passed over, and at most MAX_TEAM_EXAMPLES are shown.
 */
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MAX_TEAM_EXAMPLES, ScriptName, type ScriptText } from '../common/api.ts';

/** An example is a short script to read and run; anything bigger is not one. */
export const MAX_EXAMPLE_BYTES = 1024 * 1024;

export async function readExamplesFolder(dir: string, maxBytes = MAX_EXAMPLE_BYTES): Promise<ScriptText[]> {
  const real = await realpath(dir);
  const names = (await readdir(real)).filter((name) => ScriptName.safeParse(name).success).sort((a, b) => a.localeCompare(b));
  const out: ScriptText[] = [];
  for (const name of names) {
    if (out.length === MAX_TEAM_EXAMPLES) break;
    const path = await realpath(join(real, name)).catch(() => null);
    if (!path || dirname(path) !== real) continue;
    const info = await lstat(path).catch(() => null);
    if (!info?.isFile() || info.size > maxBytes) continue;
    const content = await readFile(path, 'utf8').catch(() => null);
    if (content !== null) out.push({ name, content });
  }
  return out;
}
