import { describe, expect, it } from 'vitest';
import { diffSnapshots, type SourceMapping } from '../../../../../engine/host/leak/heap-diff.ts';
import { parseSnapshot } from '../../../../../engine/host/leak/snapshot-parser.ts';
import { snapshotJson, type TestNode } from './snapshot-builder.ts';

const USER_SCRIPT = 3;
const GUEST_SCRIPT = 2;
const mapping: SourceMapping = {
  userScriptId: USER_SCRIPT,
  guestScriptIds: new Set([GUEST_SCRIPT]),
  position: (line, column) => ({ line: line + 1, column: column + 1 }),
};

/**
 * globalThis.handlers is a Map (old) whose table (new) holds key "a" and a closure (new, line 7)
 * whose context keeps `payload`, an array of 976 B of elements. The guest's setTimeout closure
 * keeps a Map of its own (new, engine-held). globalThis.later was made after the second snapshot.
 */
const nodes: TestNode[] = [
  { type: 'synthetic', name: '', id: 1, size: 0, edges: [{ type: 'element', name: 1, to: 1 }] },
  { type: 'hidden', name: 'system / NativeContext', id: 3, size: 800, edges: [{ type: 'internal', name: 'extension', to: 2 }] },
  {
    type: 'object', name: 'Object / ', id: 5, size: 24,
    edges: [
      { type: 'property', name: 'handlers', to: 3 },
      { type: 'property', name: 'setTimeout', to: 9 },
      { type: 'property', name: 'later', to: 13 },
      { type: 'internal', name: 'native_context', to: 1 },
    ],
  },
  { type: 'object', name: 'Map', id: 7, size: 32, edges: [{ type: 'internal', name: 'table', to: 4 }] },
  { type: 'array', name: '', id: 100, size: 96, edges: [{ type: 'internal', name: '5', to: 5 }, { type: 'internal', name: '6', to: 6 }] },
  { type: 'string', name: 'a', id: 102, size: 16, edges: [] },
  { type: 'closure', name: '', id: 104, size: 56, edges: [{ type: 'internal', name: 'context', to: 7 }], location: [USER_SCRIPT, 6, 2] },
  { type: 'object', name: 'system / Context', id: 106, size: 40, edges: [{ type: 'context', name: 'payload', to: 8 }, { type: 'internal', name: 'previous', to: 1 }] },
  { type: 'object', name: 'Array', id: 108, size: 32, edges: [{ type: 'internal', name: 'elements', to: 10 }] },
  { type: 'closure', name: 'setTimeout', id: 9, size: 56, edges: [{ type: 'internal', name: 'context', to: 11 }], location: [GUEST_SCRIPT, 40, 0] },
  { type: 'array', name: '(object elements)', id: 110, size: 976, edges: [] },
  { type: 'object', name: 'system / Context', id: 11, size: 40, edges: [{ type: 'context', name: 'timers', to: 12 }] },
  { type: 'object', name: 'Map', id: 112, size: 80, edges: [] },
  { type: 'object', name: 'Array', id: 200, size: 32, edges: [] },
];
const s3 = parseSnapshot(snapshotJson(nodes));
const s1 = new Set([1, 3, 5, 7, 9, 11]);
const s2 = new Set([...s1, 100, 102, 104, 106, 108, 110, 112, 150 /* gone by the third */]);

describe('diffSnapshots', () => {
  const diff = diffSnapshots(s1, s2, s3, mapping);

  it('groups what is new in the second snapshot and alive in the third by what owns it', () => {
    const [top, strings] = diff.groups;
    expect(top).toMatchObject({ kind: 'closure', name: '(anonymous)', line: 7, column: 3, count: 1, bytes: 56 + 40 + 32 + 976 });
    expect(strings).toMatchObject({ kind: 'string', count: 1, bytes: 16 });
    expect(diff.groups).toHaveLength(2);
  });

  it('writes the retainer path from the global, by Map key, on to the biggest thing the closure holds', () => {
    expect(diff.groups[0]!.retainerPath.map((s) => s.label)).toEqual(['globalThis.handlers (Map)', 'get("a") (closure, line 7)', 'payload (Array, 1008 B)']);
    expect(diff.groups[0]!.retainerPath[1]).toMatchObject({ line: 7, column: 3 });
  });

  it('leaves out the engine: the guest’s own objects, internals without a user owner, what came after the second snapshot', () => {
    expect(diff.groups.some((g) => g.name === 'Map')).toBe(false);
    expect(diff.userBytes).toBe(56 + 40 + 32 + 976 + 16);
    expect(diff.survivingBytes).toBe(diff.userBytes + 96 + 80);
  });

  it('finds nothing when nothing new survived', () => {
    expect(diffSnapshots(s2, s2, s3, mapping)).toMatchObject({ groups: [], userBytes: 0, survivingBytes: 0 });
  });
});
