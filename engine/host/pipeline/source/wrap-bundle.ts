/**
 * A module script's bundle as the script the isolate compiles: the same async-function wrapper as
 * plain scripts (top-level await works, declarations stay local to the run, a reused context sees
 * no leftovers), in strict mode as modules are, with the bundle's closing `export { … }` turned
 * into what the run returns:
 * - the script's last top-level expression, when it ends with one (entry.ts captured it);
 * - otherwise its exports, as a frozen null-prototype object (`{ default: 42, f: [Function: f] }`),
 *   or undefined when it exports nothing;
 * - in call mode, the table of callable functions the guest looks the call up in: the script's
 *   top-level declarations and its exports.
 */
import { WRAPPER_PREFIX, type PositionMap, type WrappedSource } from '../../wrap.ts';
import type { EditedEntry } from './entry.ts';

/** One line, like WRAPPER_PREFIX, so the compile's lineOffset applies unchanged. */
export const MODULE_WRAPPER_PREFIX = WRAPPER_PREFIX.replace(/\n$/, '"use strict";\n');

/** esbuild ends an ES module bundle with one `export { local as name, … };` clause. */
const EXPORT_CLAUSE = /\nexport \{([^}]*)\};\s*$/;

/** `[exported name, local binding]` of each export. */
function parseExports(clause: string): [string, string][] {
  return clause
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(\S+)(?:\s+as\s+(.+))?$/.exec(part)!;
      const exported = m[2] ?? m[1]!;
      return [exported.startsWith('"') ? (JSON.parse(exported) as string) : exported, m[1]!];
    });
}

export interface ModuleWrapOptions {
  entry: EditedEntry;
  positions: PositionMap;
  /** Call mode: key of the function table (as for plain scripts). */
  callToken?: string;
}

export function wrapBundle(js: string, options: ModuleWrapOptions): WrappedSource {
  const { entry, callToken } = options;
  const m = EXPORT_CLAUSE.exec(js);
  const body = m ? js.slice(0, m.index) : js;
  const exports = m ? parseExports(m[1]!) : [];
  const local = (name: string | undefined) => exports.find(([exported]) => exported === name)?.[1];
  const visible = exports.filter(([exported]) => exported !== entry.resultExport && exported !== entry.callExport);
  let tail: string;
  if (callToken !== undefined) {
    const table = local(entry.callExport);
    const extra = visible.filter(([exported]) => !entry.topLevelNames.includes(exported)).map(([exported, l]) => `[${JSON.stringify(exported)}, ${l}]`);
    tail = `return { ${JSON.stringify(callToken)}: [${[...(table ? [`...${table}`] : []), ...extra].join(', ')}] };`;
  } else if (local(entry.resultExport) !== undefined) {
    tail = `return ${local(entry.resultExport)};`;
  } else if (visible.length > 0) {
    const props = visible.map(([exported, l]) => `${JSON.stringify(exported)}: ${l}`).join(', ');
    tail = `return Object.freeze({ __proto__: null, ${props} });`;
  } else {
    tail = 'return undefined;';
  }
  const names = [...new Set([...entry.topLevelNames, ...visible.map(([exported]) => exported)])];
  return {
    code: MODULE_WRAPPER_PREFIX + body + `\n;${tail}\n})`,
    insertions: [],
    positions: options.positions,
    topLevelNames: names,
    ...(callToken !== undefined ? { callToken } : {}),
  };
}
