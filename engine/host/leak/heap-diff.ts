/**
 * What leaks and who holds it, from three heap snapshots of one isolate (MemLab's rule): objects
 * that are new in the second snapshot (not in the first) and still alive in the third,
 * `(S2 \ S1) ∩ S3`, grouped by what they are, each group with the shortest retainer path a
 * person can read. V8 keeps an object's snapshot id for its whole life, so ids compare across
 * snapshots. Pure: no isolate, no inspector (explainer.ts takes the snapshots).
 *
 * Engine internals stay out of the answer: hidden objects, code, shapes, contexts and the arrays
 * behind objects are counted in the user object that owns them, never shown as a group of their
 * own; closures of the guest's own script (console, timers) are not user code; and paths start at
 * `globalThis` where they can, never at the snapshot's synthetic roots.
 */
import { ENGINE_HELD_STEP } from '../../common/leak-words.ts';
import { formatBytes } from '../../common/units.ts';
import type { HeapGraph } from './snapshot-parser.ts';

export interface SourceMapping {
  /** V8's script id of the user's script, and of the guest's own (whose closures are internals). */
  userScriptId: number | undefined;
  guestScriptIds: ReadonlySet<number>;
  /** A V8 position (0-based line, already corrected by the script's line offset; 0-based column) to the user's. */
  position(line: number, column: number): { line: number; column: number };
}

export interface PathStep {
  label: string;
  line?: number;
  column?: number;
}

export interface SurvivorGroup {
  kind: string;
  name: string;
  line?: number;
  column?: number;
  /** Members of the group's own kind that survived (a closure group's closures, not their contexts). */
  count: number;
  /** Bytes of the members and of the internals only they hold. */
  bytes: number;
  retainerPath: PathStep[];
  /** The path starts at a global user code can name (false: only engine roots hold it). */
  fromGlobal: boolean;
}

export interface HeapDiff {
  groups: SurvivorGroup[];
  /** All surviving bytes, internals without a user owner included. */
  survivingBytes: number;
  /** Surviving bytes that belong to user-visible objects. */
  userBytes: number;
}

const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);
const NAMEABLE_TYPES = new Set(['object', 'closure', 'regexp', 'bigint', 'symbol', ...STRING_TYPES]);
/** Nodes the global-first walk does not go through: everything in the context hangs off them. */
const BARRIER_NAMES = /^system \/ (NativeContext|ScriptContext)\b/;
const MAX_PATH_STEPS = 12;

class View {
  readonly nf: number;
  readonly ef: number;
  readonly types: string[];
  readonly edgeTypes: string[];
  readonly firstEdge: Uint32Array;
  readonly #g: HeapGraph;
  readonly #o: Record<'type' | 'name' | 'id' | 'self_size' | 'edge_count', number>;
  readonly #e: Record<'type' | 'name_or_index' | 'to_node', number>;
  readonly locations = new Map<number, { scriptId: number; line: number; column: number }>();

  constructor(g: HeapGraph) {
    this.#g = g;
    const f = g.meta.node_fields;
    const e = g.meta.edge_fields;
    this.nf = f.length;
    this.ef = e.length;
    this.#o = { type: f.indexOf('type'), name: f.indexOf('name'), id: f.indexOf('id'), self_size: f.indexOf('self_size'), edge_count: f.indexOf('edge_count') };
    this.#e = { type: e.indexOf('type'), name_or_index: e.indexOf('name_or_index'), to_node: e.indexOf('to_node') };
    this.types = g.meta.node_types[0];
    this.edgeTypes = g.meta.edge_types[0];
    this.firstEdge = new Uint32Array(g.nodeCount + 1);
    for (let n = 0; n < g.nodeCount; n++) this.firstEdge[n + 1] = this.firstEdge[n]! + g.nodes[n * this.nf + this.#o.edge_count]!;
    const lf = g.meta.location_fields ?? [];
    const [obj, script, line, column] = ['object_index', 'script_id', 'line', 'column'].map((k) => lf.indexOf(k));
    for (let i = 0; i + lf.length <= g.locations.length && lf.length > 0; i += lf.length) {
      this.locations.set(g.locations[i + obj!]! / this.nf, { scriptId: g.locations[i + script!]!, line: g.locations[i + line!]!, column: g.locations[i + column!]! });
    }
  }
  get count(): number {
    return this.#g.nodeCount;
  }
  type(n: number): string {
    return this.types[this.#g.nodes[n * this.nf + this.#o.type]!] ?? 'hidden';
  }
  name(n: number): string {
    return this.#g.strings[this.#g.nodes[n * this.nf + this.#o.name]!] ?? '';
  }
  id(n: number): number {
    return this.#g.nodes[n * this.nf + this.#o.id]!;
  }
  size(n: number): number {
    return this.#g.nodes[n * this.nf + this.#o.self_size]!;
  }
  edgeType(e: number): string {
    return this.edgeTypes[this.#g.edges[e * this.ef + this.#e.type]!] ?? 'hidden';
  }
  edgeName(e: number): string {
    const v = this.#g.edges[e * this.ef + this.#e.name_or_index]!;
    const t = this.edgeType(e);
    return t === 'element' || t === 'hidden' ? `[${v}]` : (this.#g.strings[v] ?? '');
  }
  target(e: number): number {
    return this.#g.edges[e * this.ef + this.#e.to_node]! / this.nf;
  }
}

/** Node ids of a snapshot (any mode). */
export function snapshotIds(g: HeapGraph): Set<number> {
  if (g.nodes.length === g.nodeCount) return new Set(g.nodes);
  const nf = g.meta.node_fields.length;
  const at = g.meta.node_fields.indexOf('id');
  const ids = new Set<number>();
  for (let n = 0; n < g.nodeCount; n++) ids.add(g.nodes[n * nf + at]!);
  return ids;
}

interface Walk {
  parent: Int32Array;
  /** Edge by which the walk reached the node. */
  via: Int32Array;
  fromGlobal: Uint8Array;
}

function isGuestClosure(v: View, n: number, m: SourceMapping): boolean {
  const loc = v.locations.get(n);
  return v.type(n) === 'closure' && loc !== undefined && m.guestScriptIds.has(loc.scriptId);
}

/**
 * Breadth-first from the user's global objects, by their own properties and then any strong edge
 * that does not lead back into the engine (native contexts, guest closures); then, for what that
 * did not reach, from the snapshot's root over every strong edge.
 */
function walk(v: View, m: SourceMapping): Walk {
  const parent = new Int32Array(v.count).fill(-2);
  const via = new Int32Array(v.count).fill(-1);
  const fromGlobal = new Uint8Array(v.count);
  const queue: number[] = [];
  // A context's global object is its native context's `extension`; the proxy user code sees is `global_proxy_object`.
  for (let n = 0; n < v.count; n++) {
    if (v.name(n) !== 'system / NativeContext') continue;
    for (let e = v.firstEdge[n]!; e < v.firstEdge[n + 1]!; e++) {
      const t = v.target(e);
      if ((v.edgeName(e) === 'extension' || v.edgeName(e) === 'global_proxy_object') && parent[t] === -2) {
        parent[t] = -1;
        fromGlobal[t] = 1;
        queue.push(t);
      }
    }
  }
  const globals = new Set(queue);
  const visit = (strict: boolean) => {
    for (let head = 0; head < queue.length; head++) {
      const n = queue[head]!;
      for (let e = v.firstEdge[n]!; e < v.firstEdge[n + 1]!; e++) {
        const type = v.edgeType(e);
        if (type === 'weak' || type === 'shortcut') continue;
        if (strict && globals.has(n) && type !== 'property' && type !== 'element') continue;
        const t = v.target(e);
        if (parent[t] !== -2) continue;
        if (strict && (v.type(t) === 'synthetic' || BARRIER_NAMES.test(v.name(t)) || isGuestClosure(v, t, m))) continue;
        parent[t] = n;
        via[t] = e;
        fromGlobal[t] = strict ? 1 : 0;
        queue.push(t);
      }
    }
  };
  visit(true);
  // Then on from everything reached so far (what a global holds keeps its global path) and from the root.
  if (parent[0] === -2) {
    parent[0] = -1;
    queue.push(0);
  }
  visit(false);
  return { parent, via, fromGlobal };
}

function nameable(v: View, n: number, m: SourceMapping): boolean {
  const type = v.type(n);
  if (!NAMEABLE_TYPES.has(type)) return false;
  if (type === 'closure') return !isGuestClosure(v, n, m);
  if (type === 'object') return !/^system \/|^\(|^global\b/.test(v.name(n));
  return true;
}

function groupKey(v: View, n: number, m: SourceMapping): { kind: string; name: string; line?: number; column?: number } {
  const type = v.type(n);
  if (STRING_TYPES.has(type)) return { kind: 'string', name: 'string' };
  if (type === 'closure') {
    const loc = v.locations.get(n);
    const pos = loc && loc.scriptId === m.userScriptId ? m.position(loc.line, loc.column) : undefined;
    return { kind: 'closure', name: v.name(n) || '(anonymous)', ...(pos ?? {}) };
  }
  if (type === 'object') return { kind: v.name(n) === 'Array' ? 'array' : 'object', name: v.name(n) || 'Object' };
  return { kind: type, name: type };
}

function describeNode(v: View, n: number, m: SourceMapping): { text: string; line?: number; column?: number } {
  const key = groupKey(v, n, m);
  if (key.kind === 'closure') {
    const text = `closure${key.name === '(anonymous)' ? '' : ` ${key.name}`}${key.line ? `, line ${key.line}` : ''}`;
    return { text, ...(key.line ? { line: key.line, column: key.column } : {}) };
  }
  if (key.kind === 'string') return { text: 'string' };
  return { text: key.name };
}

/**
 * A Map's or Set's entry by its key: V8 keeps entries in a hash table (key, value, chain) and its
 * edges are table indices; the key sits just before its value. `get("a")` reads better than `[6]`.
 */
function entryLabel(v: View, w: Walk, node: number): string | undefined {
  const table = w.parent[node]!;
  const owner = table >= 0 ? w.parent[table]! : -1;
  if (owner < 0 || v.edgeName(w.via[table]!) !== 'table') return undefined;
  const kind = v.name(owner);
  if (kind === 'Set' || kind === 'WeakSet') return 'entry';
  const index = Number(v.edgeName(w.via[node]!).replace(/[[\]]/g, ''));
  for (let e = v.firstEdge[table]!; e < v.firstEdge[table + 1]!; e++) {
    if (v.edgeName(e).replace(/[[\]]/g, '') !== String(index - 1)) continue;
    const key = v.target(e);
    if (STRING_TYPES.has(v.type(key))) return `get(${JSON.stringify(v.name(key).slice(0, 40))})`;
    if (v.type(key) === 'number' || v.type(key) === 'hidden') return 'value';
    if (key === node) return 'key';
  }
  return 'value';
}

/** The readable path to `n`: named objects with the edge that reached them; engine internals in between left out. */
function retainerPath(v: View, w: Walk, n: number, m: SourceMapping): PathStep[] {
  const chain: number[] = [];
  for (let at = n; at >= 0 && w.parent[at]! >= 0 && chain.length < 10_000; at = w.parent[at]!) chain.push(at);
  chain.reverse();
  const steps: PathStep[] = [];
  let pending = '';
  for (const node of chain) {
    const edge = entryLabel(v, w, node) ?? v.edgeName(w.via[node]!);
    const first = steps.length === 0 && pending === '';
    const label = first && w.fromGlobal[node] ? `globalThis.${edge}` : edge;
    if (!nameable(v, node, m)) {
      // An internal hop (a Map's table, an array's elements): only its edge name, and only when it says something.
      if (!/^\[\d+\]$/.test(edge) && !['table', 'elements', 'properties', 'context'].includes(edge)) pending = pending || label;
      continue;
    }
    const d = describeNode(v, node, m);
    const name = pending && /^\[\d+\]$/.test(label) ? pending : label;
    pending = '';
    steps.push({ label: `${first && !w.fromGlobal[node] ? '(engine) ' : ''}${name} (${d.text})`, ...(d.line ? { line: d.line, column: d.column } : {}) });
  }
  // A chain of the same step (a string built by `+=`, a linked list) reads as one step, counted.
  const folded: PathStep[] = [];
  let repeats = 1;
  for (const [i, step] of steps.entries()) {
    const next = steps[i + 1];
    if (next && next.label === step.label && next.line === step.line && i > 0) {
      repeats++;
      continue;
    }
    folded.push(repeats > 1 ? { ...step, label: `${step.label} ×${repeats}` } : step);
    repeats = 1;
  }
  return folded.length > MAX_PATH_STEPS ? [...folded.slice(0, 3), { label: '…' }, ...folded.slice(-(MAX_PATH_STEPS - 4))] : folded;
}

interface Ownership {
  /** The outermost named object in the unbroken chain of survivors that holds a survivor (-1: none, an engine internal). */
  owner: Int32Array;
  /** Bytes each named survivor holds itself: its own and those of the internals nearest to it (an array's elements). */
  held: Float64Array;
}

function ownership(v: View, w: Walk, survivor: Uint8Array, m: SourceMapping): Ownership {
  const owner = new Int32Array(v.count).fill(-1);
  const held = new Float64Array(v.count);
  for (let n = 0; n < v.count; n++) {
    if (!survivor[n]) continue;
    let holder = -1;
    let depth = 0;
    for (let at = n; at >= 0 && survivor[at] && depth < 10_000; at = w.parent[at]!, depth++) {
      if (!nameable(v, at, m)) continue;
      owner[n] = at;
      if (holder < 0) holder = at;
    }
    if (holder >= 0) held[holder] += v.size(n);
  }
  return { owner, held };
}

/**
 * `n` is the guest's own: the nearest closure above it in the walk is one of the guest's, and it
 * is not in the guest's `kept` table (a function profile's top-level declarations, name and value
 * pairs: those are the user's).
 */
function guestOwned(v: View, w: Walk, n: number, m: SourceMapping): boolean {
  if (keptPair(v, w, n) >= 0) return false;
  let depth = 0;
  for (let at = n; at >= 0 && depth < 10_000; at = w.parent[at]!, depth++) {
    if (v.type(at) !== 'closure') continue;
    return isGuestClosure(v, at, m);
  }
  return false;
}

/** A path from the engine: from the user's top-level name (a function profile) or from the first user closure. */
function engineHeldPath(v: View, w: Walk, n: number, path: PathStep[], m: SourceMapping): PathStep[] {
  const pair = keptPair(v, w, n);
  if (pair >= 0) {
    let name = '';
    for (let e = v.firstEdge[pair]!; e < v.firstEdge[pair + 1]!; e++) if (v.edgeName(e) === '[0]' && STRING_TYPES.has(v.type(v.target(e)))) name = v.name(v.target(e));
    // The pair's value is the top-level declaration; the path goes on below it.
    const value = [...retainerPath(v, w, n, m)];
    const top = value.findIndex((step) => step.label.startsWith('[1] '));
    if (name && top >= 0) return [{ label: `${name} ${value[top]!.label.slice(4)}` }, ...value.slice(top + 1)];
  }
  const fromClosure = path.findIndex((step) => step.line !== undefined);
  return [{ label: ENGINE_HELD_STEP }, ...path.slice(Math.max(0, fromClosure))];
}

/** The `[name, value]` pair of the guest's `kept` table above `n`, or -1. */
function keptPair(v: View, w: Walk, n: number): number {
  let depth = 0;
  for (let at = n; at >= 0 && depth < 10_000; at = w.parent[at]!, depth++) {
    const table = w.parent[at]!;
    if (table >= 0 && w.via[table]! >= 0 && v.edgeType(w.via[table]!) === 'context' && v.edgeName(w.via[table]!) === 'kept') return at;
  }
  return -1;
}

/** Depth of `n` in the walk, ranked so that what a global holds comes before what only the engine holds. */
function rank(w: Walk, n: number): number {
  let d = 0;
  for (let at = n; at >= 0 && w.parent[at]! >= 0; at = w.parent[at]!) d++;
  return d + (w.fromGlobal[n] ? 0 : 1_000_000);
}

type Building = SurvivorGroup & { rep: number; depth: number };

function groupSurvivors(v: View, w: Walk, survivor: Uint8Array, o: Ownership, m: SourceMapping): Map<string, Building> {
  const groups = new Map<string, Building>();
  for (let n = 0; n < v.count; n++) {
    const owner = o.owner[n]!;
    if (!survivor[n] || owner < 0) continue;
    const key = groupKey(v, owner, m);
    const id = `${key.kind}\0${key.name}\0${key.line ?? ''}`;
    let group = groups.get(id);
    if (!group) {
      group = { ...key, count: 0, bytes: 0, retainerPath: [], fromGlobal: false, rep: owner, depth: Number.POSITIVE_INFINITY };
      groups.set(id, group);
    }
    group.bytes += v.size(n);
    const own = groupKey(v, n, m);
    if (nameable(v, n, m) && own.kind === key.kind && own.name === key.name) group.count++;
    if (n === owner && rank(w, n) < group.depth) {
      group.depth = rank(w, n);
      group.rep = n;
    }
  }
  return groups;
}

/**
 * The group's path, on to the biggest thing its representative holds ("→ payload (Array, 3.9 KB)"):
 * a closure's own bytes are small, what its context keeps is what the user wants to see.
 */
function groupPath(v: View, w: Walk, o: Ownership, g: Building, m: SourceMapping): PathStep[] {
  let biggest = -1;
  for (let n = 0; n < v.count; n++) {
    if (o.owner[n] === g.rep && n !== g.rep && nameable(v, n, m) && (biggest < 0 || o.held[n]! > o.held[biggest]!)) biggest = n;
  }
  const target = biggest >= 0 && o.held[biggest]! >= o.held[g.rep]! ? biggest : g.rep;
  const path = retainerPath(v, w, target, m);
  const last = path[path.length - 1];
  if (last && target !== g.rep) last.label = last.label.replace(/\)$/, `, ${formatBytes(o.held[target]!)})`);
  return path;
}

export function diffSnapshots(s1: ReadonlySet<number>, s2: ReadonlySet<number>, s3: HeapGraph, m: SourceMapping): HeapDiff {
  const v = new View(s3);
  const survivor = new Uint8Array(v.count);
  let survivingBytes = 0;
  for (let n = 0; n < v.count; n++) {
    const id = v.id(n);
    if (s2.has(id) && !s1.has(id)) {
      survivor[n] = 1;
      survivingBytes += v.size(n);
    }
  }
  const w = walk(v, m);
  const o = ownership(v, w, survivor, m);
  const groups = groupSurvivors(v, w, survivor, o, m);
  // Objects only the engine holds are its own (the guest's timer records), except user closures and
  // what they keep: a timer's callback, a function profiled by name, are the user's code.
  const out = [...groups.values()].filter((g) => w.fromGlobal[g.rep] === 1 || !guestOwned(v, w, g.rep, m)).sort((a, b) => b.bytes - a.bytes);
  let userBytes = 0;
  for (const g of out) {
    userBytes += g.bytes;
    g.fromGlobal = w.fromGlobal[g.rep] === 1;
    const path = groupPath(v, w, o, g, m);
    g.retainerPath = g.fromGlobal ? path : engineHeldPath(v, w, g.rep, path, m);
  }
  return { groups: out.map(({ rep: _rep, depth: _depth, ...g }) => g), survivingBytes, userBytes };
}
