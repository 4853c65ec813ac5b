/**
 * Script files in every front end's words: which language a file is, and a free name for a new
 * one (the CLI, the workspace, Electron's import dialog and the renderer's tabs all ask).
 */
import * as z from 'zod';
import type { Language } from './contract.ts';

/** What a workspace script may end in (without the dot). */
export const SCRIPT_EXTENSIONS = ['js', 'ts', 'mjs'] as const;

/** A script name in the workspace: a plain file name, no folders, .js, .ts or .mjs. */
export const ScriptName = z
  .string()
  .min(4)
  .max(200)
  .regex(new RegExp(`^[^/\\\\:*?"<>|\\x00-\\x1f]+\\.(${SCRIPT_EXTENSIONS.join('|')})$`), 'a script name is a file name ending in .js, .ts or .mjs, without folders')
  .refine((name) => !name.startsWith('.'), 'a script name cannot start with a dot');
export type ScriptName = z.infer<typeof ScriptName>;

/** The extension as Node's `extname` sees it, lower-cased: a leading dot is a hidden file's name, not an extension. */
function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** `.ts` (and Node's `.mts`/`.cts`) is TypeScript; anything else (`.js`, `.mjs`, stdin) runs as JavaScript. */
export function languageOf(fileName: string): Language {
  const ext = extensionOf(fileName);
  return ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'typescript' : 'javascript';
}

/**
 * `name.js` if it is free, else `name-2.js`, `name-3.js`, …. Names are compared ignoring case:
 * on macOS and Windows `A.js` and `a.js` are the same file, and a new script must never overwrite
 * another.
 */
export function freeName(wanted: string, taken: Iterable<string>): string {
  const names = new Set(Array.from(taken, (name) => name.toLowerCase()));
  if (!names.has(wanted.toLowerCase())) return wanted;
  const dot = wanted.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [wanted.slice(0, dot), wanted.slice(dot)] : [wanted, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!names.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * The name a file from outside (an imported file, a workspace archive entry) gets in the
 * workspace: unsafe characters become "_", leading dots go, then the free-name rule. Null when it
 * is not a script file or no valid name results.
 */
export function importedScriptName(fileName: string, taken: Iterable<string>): string | null {
  const match = new RegExp(`^(.*?)(\\.(?:${SCRIPT_EXTENSIONS.join('|')}))$`, 'i').exec(fileName);
  if (!match) return null;
  const stem = match[1]!.replace(/^\.+/, '').replace(/[/\\:*?"<>|\x00-\x1f]/g, '_') || 'script';
  const name = freeName(`${stem}${match[2]!.toLowerCase()}`, taken);
  return ScriptName.safeParse(name).success ? name : null;
}

/**
 * Cheap first look at whether a script may be a module script (import/export): one that never says
 * `import` or `export` is a plain script. The engine host parses further (pipeline/source/entry.ts);
 * the IDE uses this alone to leave out what module scripts cannot have (inline values, coverage).
 */
export function mayBeModuleScript(code: string): boolean {
  return /\b(import|export)\b/.test(code);
}
