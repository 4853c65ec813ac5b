/**
 * Node's built-in modules, as module scripts meet them. The sandbox is not Node: of the built-ins
 * it provides only `buffer` (its own Buffer, see engine/guest/buffer/module.ts). Every other one
 * (`fs`, `node:child_process`, `http` …) is refused with words that name it, say where it was
 * imported, and say what the sandbox does provide.
 */
import { builtinModules } from 'node:module';
import { BUFFER_MODULE_KEY } from '../../../common/guest-abi.ts';

/** What scripts get instead of Node's APIs (the README's "Isolated" list). */
export const SANDBOX_PROVIDES =
  "The sandbox provides standard JavaScript plus console, timers, Buffer (also as the 'buffer' module), TextEncoder/TextDecoder, atob/btoa, structuredClone and performance.now; it has no file system, network, processes or other Node built-ins.";

const BUILTINS: ReadonlySet<string> = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));

/** Built-ins that exist only with the `node:` prefix (`node:test`, `node:sqlite` …). */
const PREFIX_ONLY: ReadonlySet<string> = new Set(builtinModules.filter((name) => name.startsWith('node:')).map((name) => name.slice(5)));

export interface BuiltinImport {
  /** The module's name without `node:` (`fs/promises`). */
  name: string;
  /** Written as `node:…`: it can only mean Node's own module, never a package of that name. */
  prefixed: boolean;
}

/** The built-in a specifier names, if it names one. */
export function builtinImport(specifier: string): BuiltinImport | undefined {
  const prefixed = specifier.startsWith('node:');
  const name = prefixed ? specifier.slice(5) : specifier;
  if (!BUILTINS.has(name) || (!prefixed && PREFIX_ONLY.has(name))) return undefined;
  return { name, prefixed };
}

/** The one built-in the sandbox provides. */
export function isBufferModule(builtin: BuiltinImport): boolean {
  return builtin.name === 'buffer';
}

const WHAT: [RegExp, string][] = [
  [/^fs(\/|$)/, 'the file system'],
  [/^(net|http|https|http2|dns|tls|dgram)(\/|$)/, 'the network'],
  [/^(child_process|cluster|worker_threads)$/, 'processes and threads'],
  [/^(process|os|v8|vm|inspector|module|repl|tty|wasi)(\/|$)/, 'the Node process itself'],
];

/** Why `specifier`, imported at `where` (file:line:column), cannot be had. */
export function refusalMessage(specifier: string, builtin: BuiltinImport, where: string): string {
  const what = WHAT.find(([pattern]) => pattern.test(builtin.name))?.[1];
  return `Cannot import '${specifier}' (${where}): Node's '${builtin.name}' module${what ? ` (${what})` : ''} does not exist in the Isolab sandbox. ${SANDBOX_PROVIDES}`;
}

/**
 * The `buffer` module: CommonJS, so that `require('buffer')` is Node's module object itself (its
 * INSPECT_MAX_BYTES setter works) and ESM imports (default or named) read through to it.
 */
export const BUFFER_MODULE_SOURCE = `module.exports = Buffer[Symbol.for(${JSON.stringify(BUFFER_MODULE_KEY)})];\n`;

/**
 * A built-in a package `require()`s is refused only when the require runs: packages written for
 * both Node and browsers often require one inside a try or a Node-only branch.
 */
export function deferredRefusalSource(message: string): string {
  return `var error = new Error(${JSON.stringify(message)});\nerror.code = 'ERR_ISOLAB_UNAVAILABLE_MODULE';\nthrow error;\n`;
}
