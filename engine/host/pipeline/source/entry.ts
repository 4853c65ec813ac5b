/**
 * The script's own file as a module: whether it is one, and the copy of it that gets bundled.
 *
 * A script is a module when it has `import`/`export` declarations, `import.meta` or `import()`.
 * Its result is its last top-level expression, as for every script; the bundled copy captures it
 * by exporting it under a hidden name (the one insertion is recorded, so positions stay the
 * user's). In call mode the copy also exports a table of its top-level declarations, so that
 * functions it does not export can be called too (the bundler would otherwise drop them).
 */
import { parse } from 'acorn';
import { stripTypeScriptTypes } from 'node:module';
import type { Language } from '../../../common/contract.ts';
import { mayBeModuleScript } from '../../../common/script-files.ts';
import { declarationNames, lineColumnAt, type AnyNode, type Insertion } from '../../wrap.ts';

/** A line starting with an import or export declaration, or an `import(` call. */
const LOOKS_LIKE_MODULE = /^\s*(import\s*[\w{*'"]|export\s)|\bimport\s*\(/m;

/** acorn's words for module syntax in a script. */
const MODULE_SYNTAX = /'import' and 'export' may appear only with 'sourceType: module'|Cannot use 'import\.meta' outside a module/;

/** Type-stripped source with every position kept, or undefined when it cannot be stripped. */
function javascriptOf(code: string, language: Language | undefined): string | undefined {
  if (language !== 'typescript') return code;
  try {
    return stripTypeScriptTypes(code, { mode: 'strip' });
  } catch {
    return undefined;
  }
}

function contains(node: AnyNode, type: string): boolean {
  if (node.type === type) return true;
  for (const key of Object.keys(node)) {
    const child = node[key];
    const children = Array.isArray(child) ? child : [child];
    for (const c of children) if (c && typeof c === 'object' && typeof (c as AnyNode).type === 'string' && contains(c as AnyNode, type)) return true;
  }
  return false;
}

/** Does this script import (statically or with `import()`) or export? Scripts that do not keep today's semantics. */
export function isModuleScript(code: string, language: Language | undefined): boolean {
  if (!mayBeModuleScript(code)) return false;
  const js = javascriptOf(code, language);
  // TypeScript that cannot be erased (enums …): esbuild compiles it fully, so judge by the text.
  if (js === undefined) return LOOKS_LIKE_MODULE.test(code);
  try {
    const program = parse(js, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, allowHashBang: true });
    return contains(program as unknown as AnyNode, 'ImportExpression');
  } catch (error) {
    return MODULE_SYNTAX.test(String((error as Error).message));
  }
}

export interface EditedEntry {
  /** The source to bundle in place of the script's text. */
  code: string;
  insertions: Insertion[];
  /** Hidden export holding the last top-level expression's value, when the script ends with one. */
  resultExport?: string;
  /** Hidden export holding `[name, value]` of each top-level declaration (call mode). */
  callExport?: string;
  /** Names of the script's top-level declarations and exports (the candidates for `call`). */
  topLevelNames: string[];
}

/** Top-level bindings, including exported and default-exported declarations. */
function topLevelNames(body: AnyNode[]): string[] {
  const names: string[] = [];
  for (const stmt of body) {
    const decl = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? (stmt.declaration as AnyNode | null) : stmt;
    if (decl) declarationNames(decl, names);
  }
  return [...new Set(names)];
}

/** The copy of the script that gets bundled. `token` makes the hidden export names unguessable. */
export function editEntry(code: string, language: Language | undefined, token: string, callMode: boolean): EditedEntry {
  const js = javascriptOf(code, language);
  let body: AnyNode[];
  try {
    if (js === undefined) throw new Error('not strippable');
    body = (parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true }) as unknown as AnyNode).body as AnyNode[];
  } catch {
    // esbuild reports the syntax error itself, with its file and position; TypeScript that only
    // esbuild can compile (enums …) runs without a captured result: its exports are the result.
    return { code, insertions: [], topLevelNames: [] };
  }
  const names = topLevelNames(body);
  let edited = code;
  const insertions: Insertion[] = [];
  const resultExport = `__isolab_result_${token}`;
  const last = body[body.length - 1];
  const endsWithExpression = last?.type === 'ExpressionStatement' && typeof last.directive !== 'string';
  if (endsWithExpression) {
    // Same positions in the stripped and the original text: edit the original.
    const prefix = `export const ${resultExport} = (`;
    let end = last.end;
    if (code[end - 1] === ';') end--;
    edited = code.slice(0, last.start) + prefix + code.slice(last.start, end) + ')' + code.slice(end);
    insertions.push({ ...lineColumnAt(code, last.start), length: prefix.length });
  }
  let callExport: string | undefined;
  if (callMode) {
    callExport = `__isolab_call_${token}`;
    const entries = names.map((n) => `[${JSON.stringify(n)}, typeof ${n} === "undefined" ? undefined : ${n}]`).join(', ');
    edited += `\n;export const ${callExport} = [${entries}];\n`;
  }
  return { code: edited, insertions, ...(endsWithExpression ? { resultExport } : {}), ...(callExport ? { callExport } : {}), topLevelNames: names };
}
