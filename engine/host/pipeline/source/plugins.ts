/**
 * The esbuild plugin that decides what a module script may import, and reads it. esbuild's own
 * resolver does the resolving (node_modules lookup, `exports` conditions, the `browser` field);
 * this plugin judges the results and loads files itself, so that nothing is read unjudged:
 * - the script's own file is the text of the request (unsaved edits run), under its real path,
 *   so other files importing it back get the same module;
 * - `buffer` / `node:buffer` is the sandbox's own module; other Node built-ins are refused
 *   (builtins.ts), except that a package's `require()` of one fails only if it runs;
 * - every file must be inside the confinement root once symlinks are resolved;
 * - native addons (`.node`) and files that are not JavaScript, TypeScript or JSON are refused;
 * - reading stops at the limits on file count and size.
 * No package code runs: esbuild and this plugin only read files.
 *
 * Two modes. The fast one (every bundle) sees only built-ins and `.node` imports at resolution and
 * judges every other file when it is loaded: one call into JavaScript per file, instead of three
 * (a package like lodash-es has 640 files). A load-time refusal knows the file but not the import
 * that led there, so bundle.ts then bundles again in the strict mode, which judges every import as
 * it is resolved and so reports the refusal at the import's file, line and column.
 */
import type { Loader, OnResolveArgs, OnResolveResult, Plugin, PluginBuild } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { extname, isAbsolute, relative, sep } from 'node:path';
import { formatBytes } from '../../../common/units.ts';
import { BUFFER_MODULE_SOURCE, builtinImport, deferredRefusalSource, isBufferModule, refusalMessage, type BuiltinImport } from './builtins.ts';

/** Read so far: what the cache checks before it reuses a bundle. */
export interface BundleInput {
  path: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the content, hex. */
  hash: string;
}

export interface ReadLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxInputBytes: number;
}

export interface PluginOptions {
  /** Judge every import as it is resolved (slower; errors at the import's place). */
  strict: boolean;
  entry: { path: string; namespace: 'file' | 'isolab-entry'; contents: string; loader: Loader; resolveDir?: string };
  /** Real path of the confinement root; undefined: nothing may be read from disk. */
  root: string | undefined;
  limits: ReadLimits;
  /** Filled as files are read. */
  inputs: BundleInput[];
}

/** Counted before any await, so that files loaded concurrently cannot all pass the same check. */
interface ReadCount {
  files: number;
  bytes: number;
}

/**
 * How a refusal is told: the RunError type, and the words given the import's place
 * (`main.js:1:16`), which esbuild knows only after the plugin has answered.
 */
export interface RefusalDetail {
  type: 'ImportError' | 'BundleLimitError';
  message(where: string): string;
}

const LOADERS: Record<string, Loader> = { '': 'js', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.json': 'json' };
const SKIP = Symbol('isolab: resolve with esbuild');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The imports the fast mode judges at resolution: Node built-ins (with or without `node:`) and native addons. */
const BUILTIN_OR_ADDON = new RegExp(`^node:|^(${builtinModules.map(escapeRegExp).join('|')})(/|$)|\\.node$`);
const inPackage = (path: string) => path.split(/[\\/]/).includes('node_modules');

function refuse(type: RefusalDetail['type'], message: (where: string) => string): OnResolveResult {
  const detail: RefusalDetail = { type, message };
  return { errors: [{ text: message('the import'), detail }] };
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function modulesPlugin(options: PluginOptions): Plugin {
  return {
    name: 'isolab-modules',
    setup(build) {
      const count: ReadCount = { files: 0, bytes: 0 };
      const judged = (args: OnResolveArgs) => (args.pluginData === SKIP ? undefined : resolve(build, args, options));
      if (options.strict) {
        build.onResolve({ filter: /.*/ }, judged);
      } else {
        build.onResolve({ filter: new RegExp(`^${escapeRegExp(options.entry.path)}$`) }, (args) => (args.kind === 'entry-point' ? judged(args) : undefined));
        build.onResolve({ filter: BUILTIN_OR_ADDON }, judged);
      }
      build.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => {
        if (args.path === options.entry.path) return entryContents(options);
        return readConfined(args.path, options, count);
      });
      build.onLoad({ filter: /.*/, namespace: 'isolab-entry' }, () => entryContents(options));
      build.onLoad({ filter: /.*/, namespace: 'isolab-builtin' }, () => ({ contents: BUFFER_MODULE_SOURCE, loader: 'js' }));
      build.onLoad({ filter: /.*/, namespace: 'isolab-refused' }, (args) => ({ contents: deferredRefusalSource(args.pluginData as string), loader: 'js' }));
      // A package's `browser` field can map a module to `false`: an empty module, as bundlers do.
      build.onLoad({ filter: /.*/, namespace: 'isolab-empty' }, () => ({ contents: '', loader: 'js' }));
    },
  };
}

function entryContents({ entry }: PluginOptions) {
  return { contents: entry.contents, loader: entry.loader, ...(entry.resolveDir ? { resolveDir: entry.resolveDir } : {}) };
}

async function resolve(build: PluginBuild, args: OnResolveArgs, options: PluginOptions): Promise<OnResolveResult> {
  const { entry, root } = options;
  if (args.kind === 'entry-point') return { path: entry.path, namespace: entry.namespace };
  const builtin = builtinImport(args.path);
  if (builtin && isBufferModule(builtin)) return { path: 'buffer', namespace: 'isolab-builtin' };
  if (builtin?.prefixed) return refuseBuiltin(args, builtin, root);
  if (!root) return builtin ? refuseBuiltin(args, builtin, root) : refuse('ImportError', (where) => `Cannot import '${args.path}' (${where}): this run has no folder to import from, so only the sandbox's own 'buffer' module can be imported. Run the script from a workspace in the IDE, or from a file with isolab run.`);
  if (args.path.endsWith('.node')) return refuseAddon(args.path);
  const found = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: SKIP });
  if (found.errors.length > 0) return builtin ? refuseBuiltin(args, builtin, root) : notFound(args.path, root);
  // Mapped to `false` by a package's `browser` field.
  if (found.namespace !== 'file') return { path: args.path, namespace: 'isolab-empty' };
  return judgeFile(args.path, found.path, found.sideEffects, root);
}

async function judgeFile(specifier: string, path: string, sideEffects: boolean, root: string): Promise<OnResolveResult> {
  if (path.endsWith('.node')) return refuseAddon(specifier);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return notFound(specifier, root);
  }
  if (!isInside(root, real)) {
    return refuse('ImportError', (where) => `Cannot import '${specifier}' (${where}): it resolves to ${real}, outside ${root}; imports must stay inside the workspace folder and its node_modules (symlinks included).`);
  }
  if (LOADERS[extname(real).toLowerCase()] === undefined) {
    return refuse('ImportError', (where) => `Cannot import '${specifier}' (${where}): only JavaScript, TypeScript and JSON files can be imported (.js .mjs .cjs .jsx .ts .mts .cts .tsx .json).`);
  }
  return { path: real, sideEffects };
}

function refuseBuiltin(args: OnResolveArgs, builtin: BuiltinImport, root: string | undefined): OnResolveResult {
  if (args.kind === 'require-call' && inPackage(args.importer)) {
    const from = root && isInside(root, args.importer) ? relative(root, args.importer).split(sep).join('/') : args.importer;
    // One stub per requiring file, so each says who required it.
    return { path: `${args.path} from ${from}`, namespace: 'isolab-refused', pluginData: refusalMessage(args.path, builtin, `required by ${from}`) };
  }
  return refuse('ImportError', (where) => refusalMessage(args.path, builtin, where));
}

function refuseAddon(specifier: string): OnResolveResult {
  return refuse(
    'ImportError',
    (where) => `Cannot import '${specifier}' (${where}): it is a native addon (compiled code for Node), which cannot run in the Isolab sandbox; only packages written in JavaScript (or TypeScript) work here.`,
  );
}

function notFound(specifier: string, root: string): OnResolveResult {
  return refuse('ImportError', (where) => notFoundMessage(specifier, root, where));
}

/** An import nothing answers to: for a package, what to install and how. */
export function notFoundMessage(specifier: string, root: string, where: string): string {
  const bare = !/^(\.{1,2}(\/|$)|\/)/.test(specifier) && !isAbsolute(specifier);
  if (!bare) return `Cannot find module '${specifier}' (${where}).`;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  return `Cannot find package '${name}' (${where}): it is not installed in ${root}${specifier === name ? '' : ` (or it does not export '${specifier}')`}. Add it with Packages → Add package… in the IDE, or run npm install ${name} in that folder.`;
}

/** Reads a file esbuild wants, after judging its real path again and counting it against the limits. */
async function readConfined(path: string, options: PluginOptions, count: ReadCount): Promise<{ contents: Uint8Array; loader: Loader }> {
  const { root, limits, inputs } = options;
  if (++count.files > limits.maxFiles) throw limitError(`the imports reach more than ${limits.maxFiles} files`);
  const real = await realpath(path);
  if (!root || !isInside(root, real)) throw new LoadRefusal(`Cannot import ${real}: it is outside ${root ?? 'any workspace folder'}.`);
  const loader = LOADERS[extname(real).toLowerCase()];
  if (loader === undefined) throw new LoadRefusal(`Cannot import ${real}: only JavaScript, TypeScript and JSON files can be imported.`);
  const info = await stat(real);
  if (info.size > limits.maxFileBytes) throw limitError(`${real} is larger than ${formatBytes(limits.maxFileBytes)}`);
  count.bytes += info.size;
  if (count.bytes > limits.maxInputBytes) throw limitError(`the imported files add up to more than ${formatBytes(limits.maxInputBytes)}`);
  const contents = await readFile(real);
  inputs.push({ path: real, size: contents.length, mtimeMs: info.mtimeMs, hash: createHash('sha256').update(contents).digest('hex') });
  return { contents, loader };
}

/** A file refused when loaded (the fast mode): bundle.ts bundles again in the strict mode to say where it was imported. */
export class LoadRefusal extends Error {
  override readonly name = 'ImportError';
}

/** A limit reached while reading: esbuild reports a thrown error with the file, and bundle.ts gives it this type. */
export class BundleLimitError extends Error {
  override readonly name = 'BundleLimitError';
}

function limitError(what: string): BundleLimitError {
  return new BundleLimitError(`Bundling stopped: ${what}.`);
}
