/**
 * Bundles already made, reused while nothing they were made from has changed, so running the same
 * script again costs no rebundle. An entry is found by what the request says (the script's text,
 * language, file, module scope, call mode) and is current while:
 * - every file it read has the same content: same size and modification time, or, when the time
 *   changed or is too recent to trust (a write in the same timestamp tick keeps it), the same
 *   sha256 of its content;
 * - every folder an import was resolved in lists the same names (a new `util.ts` beside `util.js`,
 *   or a package installed closer to the script, changes what an unchanged import means).
 * Anything else (a file gone, unreadable, changed) means bundling again.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import type { WrappedSource } from '../../wrap.ts';
import type { BundleInput } from './plugins.ts';

/** A modification time this close to the moment the content was hashed cannot be trusted (FAT: 2 s ticks). */
export const RACY_WINDOW_MS = 2_000;

export interface CachedBundle {
  wrapped: WrappedSource;
  /** Files in the bundle (the script itself included) and bytes of bundled source: for RunResult.bundle. */
  files: number;
  bytes: number;
}

interface CheckedInput extends BundleInput {
  /** Wall-clock time its content was last hashed. */
  hashedAt: number;
}

interface Entry {
  bundle: CachedBundle;
  inputs: CheckedInput[];
  /** Folder → hash of its sorted listing. */
  folders: Map<string, string>;
  /** What it holds, to bound the cache (bundle text and source map). */
  weight: number;
}

export interface BundleCacheOptions {
  maxEntries?: number;
  maxBytes?: number;
  /** Wall clock (file times are wall-clock times); tests inject one. */
  now?: () => number;
}

export function cacheKey(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

async function listingHash(folder: string): Promise<string> {
  const names = await readdir(folder);
  return createHash('sha256').update(names.sort().join('\0')).digest('hex');
}

/** The folders whose listings decide what the bundle's imports resolved to. */
export function foldersOf(inputs: readonly BundleInput[], scriptDir: string | undefined): string[] {
  const folders = new Set<string>(scriptDir ? [scriptDir] : []);
  for (const input of inputs) {
    const folder = dirname(input.path);
    folders.add(folder);
    // The node_modules folder a package was found in: a package added or removed there can change a bare import.
    const packages = folder.lastIndexOf(`${sep}node_modules${sep}`);
    if (packages >= 0) folders.add(folder.slice(0, packages + `${sep}node_modules`.length));
  }
  return [...folders];
}

export class BundleCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: BundleCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 32;
    this.#maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached bundle for `key`, if everything it was made from is unchanged. */
  async lookup(key: string): Promise<CachedBundle | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (!(await this.#current(entry))) {
      this.#delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.bundle;
  }

  async store(key: string, bundle: CachedBundle, inputs: readonly BundleInput[], scriptDir: string | undefined, hashedAt: number): Promise<void> {
    const weight = bundle.wrapped.code.length * 2 + bundle.bytes;
    if (weight > this.#maxBytes) return;
    let folders: Map<string, string>;
    try {
      const list = foldersOf(inputs, scriptDir);
      folders = new Map(await Promise.all(list.map(async (f) => [f, await listingHash(f)] as const)));
    } catch {
      return;
    }
    this.#delete(key);
    this.#entries.set(key, { bundle, inputs: inputs.map((i) => ({ ...i, hashedAt })), folders, weight });
    this.#bytes += weight;
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#delete(oldest);
    }
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#bytes -= entry.weight;
    this.#entries.delete(key);
  }

  /**
   * Synchronous on purpose: hundreds of stat calls through the thread pool cost more than they do
   * in a row on the host thread (lodash-es, 641 files: 13 ms async, see the README's figures).
   */
  async #current(entry: Entry): Promise<boolean> {
    try {
      for (const input of entry.inputs) if (!this.#unchanged(input)) return false;
      for (const [folder, hash] of entry.folders) if (listingHashSync(folder) !== hash) return false;
      return true;
    } catch {
      return false;
    }
  }

  #unchanged(input: CheckedInput): boolean {
    const info = statSync(input.path);
    if (info.size !== input.size) return false;
    const racy = input.mtimeMs >= input.hashedAt - RACY_WINDOW_MS;
    if (info.mtimeMs === input.mtimeMs && !racy) return true;
    const now = this.#now();
    if (createHash('sha256').update(readFileSync(input.path)).digest('hex') !== input.hash) return false;
    input.mtimeMs = info.mtimeMs;
    input.hashedAt = now;
    return true;
  }
}

function listingHashSync(folder: string): string {
  return createHash('sha256').update(readdirSync(folder).sort().join('\0')).digest('hex');
}
