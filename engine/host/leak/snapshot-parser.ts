/**
 * A streaming reader of V8 heap snapshots (`.heapsnapshot` JSON), fed the chunks of
 * `HeapProfiler.addHeapSnapshotChunk` as they arrive, so the whole JSON never exists as one
 * string. Written here rather than taken from npm: the registry's snapshot readers
 * (v8-heapsnapshot, heap-snapshot-toolkit, @vscode/v8-heap-parser) take the whole file at once,
 * and the generic streaming JSON parsers (@streamparser/json, stream-json) call back per value —
 * a snapshot is millions of small integers, and a callback each costs seconds on a 10 MB heap.
 * The snapshot's layout is fixed by V8 (a `snapshot` header with the field names, then flat
 * integer arrays, then `strings`), so a small state machine reads it: integers go straight into
 * typed arrays sized from the header, strings are decoded one at a time.
 */

export interface SnapshotMeta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
  edge_fields: string[];
  edge_types: [string[], ...unknown[]];
  location_fields?: string[];
}

export interface HeapGraph {
  meta: SnapshotMeta;
  nodeCount: number;
  edgeCount: number;
  /** node_fields.length values per node. */
  nodes: Float64Array;
  /** edge_fields.length values per edge; `to_node` is an index into `nodes` (a multiple of the node field count). */
  edges: Uint32Array;
  strings: string[];
  /** location_fields.length values per closure with a known source position. */
  locations: number[];
}

/** Only the node ids (the first two snapshots of a diff need no more). */
export type ParseMode = 'graph' | 'ids';

type State = 'header' | 'key' | 'numbers' | 'nested' | 'strings' | 'done';

const NUMBER_SECTIONS = new Set(['nodes', 'edges', 'locations', 'samples', 'trace_function_infos']);

export class SnapshotParser {
  readonly #mode: ParseMode;
  #state: State = 'header';
  /** Unconsumed text: the header while it arrives, or the piece of a key or string split by a chunk. */
  #pending = '';
  #section = '';
  #meta: SnapshotMeta | undefined;
  #nodeCount = 0;
  #edgeCount = 0;
  #nodes = new Float64Array(0);
  #edges = new Uint32Array(0);
  #idStride = 1;
  #idOffset = 0;
  readonly #locations: number[] = [];
  readonly #strings: string[] = [];
  #filled = 0;
  #number = 0;
  #inNumber = false;
  #depth = 0;
  #inString = false;
  /** The start of a string that a chunk boundary split. */
  #partial = '';
  /** `strings` comes last: a snapshot without it was cut short. */
  #sawStrings = false;
  #escaped = false;
  /** Characters seen so far (the snapshot's size, for budgets and reports). */
  chars = 0;

  constructor(mode: ParseMode = 'graph') {
    this.#mode = mode;
  }

  write(chunk: string): void {
    this.chars += chunk.length;
    if (this.#state === 'done') return;
    let text = this.#pending + chunk;
    this.#pending = '';
    let at = 0;
    while (at < text.length && (this.#state as State) !== 'done') {
      if (this.#state === 'header') {
        const nodesAt = text.indexOf('"nodes":');
        if (nodesAt < 0) {
          this.#pending = text;
          return;
        }
        this.#header(text.slice(0, text.lastIndexOf(',', nodesAt)) + '}');
        text = text.slice(nodesAt);
        at = 0;
        this.#state = 'key';
      } else if (this.#state === 'key') {
        const m = /^[\s,]*"([a-z_]+)"\s*:\s*\[/.exec(text.slice(at, at + 64));
        if (!m) {
          if (/^[\s,]*\}?\s*$/.test(text.slice(at))) return void (this.#state = text.slice(at).includes('}') ? 'done' : 'key');
          this.#pending = text.slice(at);
          return;
        }
        at += m[0].length;
        this.#open(m[1]!);
      } else if (this.#state === 'numbers') at = this.#numbers(text, at);
      else if (this.#state === 'nested') at = this.#nested(text, at);
      else at = this.#stringsFrom(text, at);
    }
  }

  #header(json: string): void {
    const header = JSON.parse(json) as { snapshot: { meta: SnapshotMeta; node_count: number; edge_count: number } };
    this.#meta = header.snapshot.meta;
    this.#nodeCount = header.snapshot.node_count;
    this.#edgeCount = header.snapshot.edge_count;
    const nodeFields = this.#meta.node_fields.length;
    this.#idOffset = this.#meta.node_fields.indexOf('id');
    this.#idStride = nodeFields;
    this.#nodes = new Float64Array(this.#mode === 'ids' ? this.#nodeCount : this.#nodeCount * nodeFields);
    this.#edges = new Uint32Array(this.#mode === 'ids' ? 0 : this.#edgeCount * this.#meta.edge_fields.length);
  }

  #open(section: string): void {
    this.#section = section;
    this.#filled = 0;
    this.#inNumber = false;
    if (section === 'strings') {
      this.#state = 'strings';
      this.#sawStrings = true;
    }
    else if (NUMBER_SECTIONS.has(section)) this.#state = 'numbers';
    else {
      this.#state = 'nested';
      this.#depth = 1;
    }
  }

  #push(value: number): void {
    const i = this.#filled++;
    switch (this.#section) {
      case 'nodes':
        if (this.#mode === 'graph') this.#nodes[i] = value;
        else if (i % this.#idStride === this.#idOffset) this.#nodes[(i - this.#idOffset) / this.#idStride] = value;
        return;
      case 'edges':
        if (this.#mode === 'graph') this.#edges[i] = value;
        return;
      case 'locations':
        if (this.#mode === 'graph') this.#locations.push(value);
        return;
    }
  }

  #numbers(text: string, from: number): number {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        this.#number = this.#number * 10 + (c - 48);
        this.#inNumber = true;
        continue;
      }
      if (this.#inNumber) this.#push(this.#number);
      this.#number = 0;
      this.#inNumber = false;
      if (c === 93 /* ] */) {
        // Ids are all a diff needs of the first two snapshots: the rest (edges, strings) is not read.
        this.#state = this.#mode === 'ids' && this.#section === 'nodes' ? 'done' : 'key';
        return i + 1;
      }
    }
    return text.length;
  }

  /** A section of nested arrays (trace_tree): skipped; allocation traces are not read. */
  #nested(text: string, from: number): number {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 91) this.#depth++;
      else if (c === 93 && --this.#depth === 0) {
        this.#state = 'key';
        return i + 1;
      }
    }
    return text.length;
  }

  #stringsFrom(text: string, from: number): number {
    let i = from;
    while (i < text.length) {
      if (!this.#inString) {
        const c = text.charCodeAt(i);
        if (c === 93 /* ] */) {
          this.#state = 'key';
          return i + 1;
        }
        if (c === 34 /* " */) {
          this.#inString = true;
          this.#partial = '';
          const end = this.#stringEnd(text, i + 1);
          if (end < 0) {
            this.#partial = text.slice(i);
            return text.length;
          }
          this.#string(text.slice(i, end + 1));
          i = end + 1;
          continue;
        }
        i++;
        continue;
      }
      // A string that a chunk boundary split: `#partial` holds its start.
      const end = this.#stringEnd(text, i);
      if (end < 0) {
        this.#partial += text.slice(i);
        return text.length;
      }
      const token = this.#partial + text.slice(i, end + 1);
      this.#partial = '';
      this.#string(token);
      i = end + 1;
    }
    return i;
  }

  /** Index of the closing quote, or -1; remembers a backslash that ends the text. */
  #stringEnd(text: string, from: number): number {
    for (let i = from; i < text.length; i++) {
      if (this.#escaped) {
        this.#escaped = false;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 92) this.#escaped = true;
      else if (c === 34) return i;
    }
    return -1;
  }

  #string(token: string): void {
    this.#inString = false;
    if (this.#mode === 'graph') this.#strings.push(JSON.parse(token) as string);
  }

  /** The parsed snapshot; throws when the text ended before the snapshot did. */
  finish(): HeapGraph {
    // Numbers and a split string are still open when the text is cut short.
    const complete = this.#mode === 'ids' ? this.#state === 'done' : this.#sawStrings;
    if (!this.#meta || !complete || (this.#state !== 'done' && this.#state !== 'key') || this.#inString || (this.#pending.trim() !== '' && this.#pending.trim() !== '}')) {
      throw new Error('heap snapshot ended early');
    }
    return {
      meta: this.#meta,
      nodeCount: this.#nodeCount,
      edgeCount: this.#edgeCount,
      nodes: this.#nodes,
      edges: this.#edges,
      strings: this.#strings,
      locations: this.#locations,
    };
  }
}

/** Parses a whole snapshot text (tests, saved files). */
export function parseSnapshot(text: string, mode: ParseMode = 'graph', chunkSize = 1 << 16): HeapGraph {
  const parser = new SnapshotParser(mode);
  for (let i = 0; i < text.length; i += chunkSize) parser.write(text.slice(i, i + chunkSize));
  return parser.finish();
}
