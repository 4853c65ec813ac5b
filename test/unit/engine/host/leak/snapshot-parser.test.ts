import { describe, expect, it } from 'vitest';
import { parseSnapshot, SnapshotParser } from '../../../../../engine/host/leak/snapshot-parser.ts';
import { snapshotJson, type TestNode } from './snapshot-builder.ts';

const nodes: TestNode[] = [
  { type: 'synthetic', name: '', id: 1, size: 0, edges: [{ type: 'element', name: 1, to: 1 }] },
  { type: 'object', name: 'Object / ', id: 3, size: 24, edges: [{ type: 'property', name: 'say "hi"\\n', to: 2 }] },
  { type: 'string', name: 'ünïcödé "quoted" \\ back\nslash 🚀', id: 5, size: 120, edges: [] },
  { type: 'closure', name: 'onMessage', id: 7, size: 56, edges: [], location: [3, 8, 2] },
];
const text = snapshotJson(nodes);

describe('SnapshotParser', () => {
  it('reads what JSON.parse reads, whatever the chunks (split inside numbers, keys, strings and escapes)', () => {
    const reference = JSON.parse(text) as { nodes: number[]; edges: number[]; strings: string[]; locations: number[] };
    for (const size of [1, 2, 3, 5, 7, 16, 64, text.length]) {
      const g = parseSnapshot(text, 'graph', size);
      expect([...g.nodes], `chunk ${size}`).toEqual(reference.nodes);
      expect([...g.edges], `chunk ${size}`).toEqual(reference.edges);
      expect(g.strings, `chunk ${size}`).toEqual(reference.strings);
      expect(g.locations, `chunk ${size}`).toEqual(reference.locations);
      expect(g.nodeCount).toBe(4);
    }
  });

  it('keeps only the node ids in ids mode', () => {
    const g = parseSnapshot(text, 'ids', 3);
    expect([...g.nodes]).toEqual([1, 3, 5, 7]);
    expect(g.edges.length).toBe(0);
    expect(g.strings).toEqual([]);
  });

  it('counts the characters it was fed and refuses a snapshot cut short', () => {
    const parser = new SnapshotParser();
    parser.write(text.slice(0, text.indexOf('"strings"') + 20));
    expect(parser.chars).toBe(text.indexOf('"strings"') + 20);
    expect(() => parser.finish()).toThrow(/ended early/);
    expect(() => parseSnapshot(text.slice(0, 100))).toThrow(/ended early/);
  });
});
