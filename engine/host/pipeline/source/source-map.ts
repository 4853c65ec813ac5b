/**
 * Positions in a module script's bundle ↔ positions in the files it was bundled from, both ways:
 * bundle → original for errors, stack frames and console.trace; original → bundle for breakpoints.
 * One home for that mapping, built on esbuild's source map and @jridgewell/trace-mapping (the
 * decoder Vitest and Babel use). Lines and columns are 1-based on both sides, as V8's stack frames
 * and the editor count them; the bundle's lines are the ones V8 reports (the wrapper's prefix line
 * is taken off by the compile's lineOffset).
 *
 * The script's own file was bundled from a lightly edited copy (entry.ts records the text inserted
 * to capture the result), so its positions also go through those insertions.
 */
import { GREATEST_LOWER_BOUND, generatedPositionFor, LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { mapColumn, type Insertion, type PositionMap, type SourcePosition } from '../../wrap.ts';

export interface EntrySource {
  /** The script's own file as the source map names it (relative to the module root). */
  source: string;
  /** Text inserted into it before bundling (at most one insertion per line, as wrap.ts records them). */
  insertions: Insertion[];
}

export class BundleMap implements PositionMap {
  readonly #map: TraceMap;
  readonly #entry: EntrySource;

  /** `map` is esbuild's source map (JSON text or object), its sources relative to the module root. */
  constructor(map: string | object, entry: EntrySource) {
    this.#map = new TraceMap(map as string);
    this.#entry = entry;
  }

  /** The files the bundle was made of, as the map names them. */
  get sources(): readonly string[] {
    return this.#map.sources.filter((s): s is string => s !== null);
  }

  /** Where a bundle position came from; `file` is left out for the script's own file; undefined for bundler glue. */
  original(line: number, column: number): SourcePosition | undefined {
    const at = { line, column: Math.max(0, column - 1) };
    let found = originalPositionFor(this.#map, { ...at, bias: GREATEST_LOWER_BOUND });
    if (found.source === null) found = originalPositionFor(this.#map, { ...at, bias: LEAST_UPPER_BOUND });
    if (found.source === null || found.line === null || found.column === null) return undefined;
    if (isBuiltin(found.source)) return undefined;
    if (found.source !== this.#entry.source) return { file: found.source, line: found.line, column: found.column + 1 };
    return { line: found.line, column: mapColumn(this.#entry, found.line, found.column + 1) };
  }

  /** Where a position of one of the original files (undefined `file`: the script's own) is in the bundle. */
  generated(file: string | undefined, line: number, column: number): { line: number; column: number } | undefined {
    const source = file ?? this.#entry.source;
    const col = file === undefined ? this.#toEntry(line, column) : column;
    const found = generatedPositionFor(this.#map, { source, line, column: col - 1, bias: LEAST_UPPER_BOUND });
    if (found.line === null || found.column === null) return undefined;
    return { line: found.line, column: found.column + 1 };
  }

  /** A user's column of the script → its column in the edited copy. */
  #toEntry(line: number, column: number): number {
    let out = column;
    for (const ins of this.#entry.insertions) if (ins.line === line && column >= ins.column) out += ins.length;
    return out;
  }
}

/** Modules the bundler made up (`buffer`, a refused built-in's stub) have no file the user could open. */
function isBuiltin(source: string): boolean {
  return /^isolab-(builtin|refused|empty):/.test(source);
}
