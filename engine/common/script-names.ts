/**
 * The free-name rule for scripts that arrive from outside (an imported file, a workspace archive):
 * keep the name when it is free, else "name-2.js", "name-3.js", … — compared case-insensitively,
 * because the workspace may live on a case-insensitive file system. Unsafe characters become "_"
 * and leading dots go, so the result is always a valid ScriptName.
 */
import { ScriptName } from './api.ts';

/** @param taken names already in use, lower-cased. Null when the name is not a .js/.ts/.mjs file. */
export function freeScriptName(fileName: string, taken: ReadonlySet<string>): string | null {
  const match = /^(.*?)(\.(?:js|ts|mjs))$/i.exec(fileName);
  if (!match) return null;
  const stem = match[1]!.replace(/^\.+/, '').replace(/[/\\:*?"<>|\x00-\x1f]/g, '_') || 'script';
  const ext = match[2]!.toLowerCase();
  for (let n = 1; n < 10_000; n++) {
    const candidate = n === 1 ? `${stem}${ext}` : `${stem}-${n}${ext}`;
    if (!taken.has(candidate.toLowerCase()) && ScriptName.safeParse(candidate).success) return candidate;
  }
  return null;
}
