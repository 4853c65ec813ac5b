/**
 * Builds small V8 heap snapshots (the `.heapsnapshot` JSON layout V8 writes) for tests of the
 * snapshot reader and the diff: nodes by type and name, edges by type and name or index.
 */
const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

export interface TestNode {
  type: string;
  name: string;
  id: number;
  size: number;
  edges: { type: string; name: string | number; to: number }[];
  /** For closures: [script id, 0-based line, 0-based column]. */
  location?: [number, number, number];
}

export function snapshotJson(nodes: readonly TestNode[]): string {
  const strings: string[] = [''];
  const str = (s: string) => {
    const at = strings.indexOf(s);
    return at >= 0 ? at : strings.push(s) - 1;
  };
  const flatNodes: number[] = [];
  const flatEdges: number[] = [];
  const locations: number[] = [];
  nodes.forEach((n, i) => {
    flatNodes.push(NODE_TYPES.indexOf(n.type), str(n.name), n.id, n.size, n.edges.length, 0);
    for (const e of n.edges) {
      const named = e.type !== 'element' && e.type !== 'hidden';
      flatEdges.push(EDGE_TYPES.indexOf(e.type), named ? str(String(e.name)) : Number(e.name), e.to * 6);
    }
    if (n.location) locations.push(i * 6, ...n.location);
  });
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'],
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  };
  const head = JSON.stringify({ snapshot: { meta, node_count: nodes.length, edge_count: flatEdges.length / 3, trace_function_count: 0 } });
  return `${head.slice(0, -1)},\n"nodes":[${flatNodes.join(',')}],\n"edges":[${flatEdges.join(',')}],\n"trace_function_infos":[],\n"trace_tree":[[1,0,[]],[2,[3,[]]]],\n"samples":[],\n"locations":[${locations.join(',')}],\n"strings":[${strings.map((s) => JSON.stringify(s)).join(',\n')}]}`;
}
