/**
 * A V8 CPU profile (a `.cpuprofile`) turned into what the Profile panel shows: the call tree as a
 * flame graph's input (`{ name, value, children }`, values in µs), a bottom-up table of functions
 * with their self and total time, and the self time of each line of the script. Pure functions.
 *
 * Time per node comes from the samples and their time deltas (hit counts times the average
 * interval when a profile has no samples), so the figures add up to the profile's duration.
 */
import type { CpuProfile } from '../../../../engine/common/inspect.ts';

type Node = CpuProfile['nodes'][number];

export interface FlameNode {
  name: string;
  /** µs, this node and everything it called. */
  value: number;
  /** 1-based line in the script, when it is the user's. */
  line?: number;
  children: FlameNode[];
}

export interface FunctionRow {
  functionName: string;
  url: string;
  /** 1-based. */
  line: number;
  selfUs: number;
  totalUs: number;
}

/** V8's own pseudo-functions: not code anyone can open. */
const PSEUDO = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

export function displayName(node: Pick<Node, 'callFrame'>): string {
  return node.callFrame.functionName || '(anonymous)';
}

/** Self time of each node, in µs. */
export function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length && samples.length > 0) {
    // Delta i is the time before sample i; the time a sample stands for is the delta that follows it.
    for (let i = 0; i < samples.length; i++) {
      const next = timeDeltas[i + 1] ?? 0;
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + Math.max(0, next));
    }
    return self;
  }
  const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const perHit = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
  for (const node of profile.nodes) self.set(node.id, (node.hitCount ?? 0) * perHit);
  return self;
}

function byId(profile: CpuProfile): Map<number, Node> {
  return new Map(profile.nodes.map((n) => [n.id, n]));
}

/** The root: the node no other node lists as a child. */
function rootOf(profile: CpuProfile): Node | undefined {
  const children = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  return profile.nodes.find((n) => !children.has(n.id));
}

export function isUserFrame(node: Pick<Node, 'callFrame'>, filename: string): boolean {
  return node.callFrame.url === filename && !PSEUDO.has(node.callFrame.functionName);
}

/** The call tree with each node's total time, for the flame graph. */
export function flameTree(profile: CpuProfile, filename: string): FlameNode {
  const nodes = byId(profile);
  const self = selfTimes(profile);
  const build = (node: Node, depth: number): FlameNode => {
    const children = depth > 200 ? [] : (node.children ?? []).map((id) => nodes.get(id)).filter((n): n is Node => !!n).map((n) => build(n, depth + 1));
    const value = (self.get(node.id) ?? 0) + children.reduce((sum, c) => sum + c.value, 0);
    const line = isUserFrame(node, filename) ? node.callFrame.lineNumber + 1 : undefined;
    return { name: displayName(node), value, children: children.filter((c) => c.value > 0), ...(line !== undefined ? { line } : {}) };
  };
  const root = rootOf(profile);
  return root ? build(root, 0) : { name: '(root)', value: 0, children: [] };
}

/**
 * Functions, heaviest self time first. A function's total time counts each sample once even when
 * it is on the stack several times (recursion), as DevTools' bottom-up view does.
 */
export function bottomUp(profile: CpuProfile): FunctionRow[] {
  const nodes = byId(profile);
  const self = selfTimes(profile);
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const rows = new Map<string, FunctionRow>();
  const keyOf = (n: Node) => `${n.callFrame.functionName}\u0000${n.callFrame.url}\u0000${n.callFrame.lineNumber}\u0000${n.callFrame.columnNumber}`;
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (time <= 0) continue;
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const n = nodes.get(id)!;
      const key = keyOf(n);
      let row = rows.get(key);
      if (!row) {
        row = { functionName: displayName(n), url: n.callFrame.url, line: n.callFrame.lineNumber + 1, selfUs: 0, totalUs: 0 };
        rows.set(key, row);
      }
      if (id === node.id) row.selfUs += time;
      if (!seen.has(key)) row.totalUs += time;
      seen.add(key);
    }
  }
  return [...rows.values()].filter((r) => r.functionName !== '(root)').sort((a, b) => b.selfUs - a.selfUs || b.totalUs - a.totalUs);
}

/**
 * Self time per 1-based line of the script: from V8's per-line ticks where it recorded them,
 * else the function's own line.
 */
export function lineSelfTimes(profile: CpuProfile, filename: string): Map<number, number> {
  const self = selfTimes(profile);
  const lines = new Map<number, number>();
  const add = (line: number, us: number) => lines.set(line, (lines.get(line) ?? 0) + us);
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (time <= 0 || !isUserFrame(node, filename)) continue;
    const ticks = node.positionTicks ?? [];
    const total = ticks.reduce((n, t) => n + t.ticks, 0);
    if (total === 0) add(node.callFrame.lineNumber + 1, time);
    else for (const t of ticks) add(t.line, (time * t.ticks) / total);
  }
  return lines;
}
