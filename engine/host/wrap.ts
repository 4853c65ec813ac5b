/**
 * Turns user source into the script the isolate compiles: an async function expression around the
 * code (top-level `return` and `await` work; top-level declarations stay local to the run), with
 * the last top-level expression returned REPL-style when the code has no top-level return.
 * Positions stay the user's: the wrapper's first line is compiled with lineOffset -1, and the few
 * characters inserted on one line are recorded so columns can be mapped back.
 */
import { parse, type Comment, type Node } from 'acorn';
import { stripTypeScriptTypes } from 'node:module';
import type { Language } from '../common/contract.ts';
import { compareEdits, instrument, wrapEdits, type Edit, type InstrumentOptions, type Instrumentation } from './instrument.ts';

export const WRAPPER_PREFIX = '(async function () {\n';
export const WRAPPER_LINE_OFFSET = -1;

export interface Insertion {
  /** 1-based line in the user's source. */
  line: number;
  /** 1-based column where the text was inserted. */
  column: number;
  length: number;
}

/** A position in the user's own files: 1-based line and column; `file` only when it is not the run's own script. */
export interface SourcePosition {
  line: number;
  column: number;
  /** An imported file, relative to the module root ('/'-separated). */
  file?: string;
}

/** Where positions of the compiled script came from (module scripts: the bundle's source map). */
export interface PositionMap {
  /** The user's position of a compiled-script position (as V8 reports it, lineOffset applied); undefined for bundler glue. */
  original(line: number, column: number): SourcePosition | undefined;
}

export interface WrappedSource {
  code: string;
  insertions: Insertion[];
  /** Module scripts: positions go through the bundle's source map (`insertions` then are empty). */
  positions?: PositionMap;
  /** Key of the table of top-level functions the script returns in call mode. */
  callToken?: string;
  /** Names of top-level declarations (the candidates for `call`). */
  topLevelNames: string[];
  /** When the source did not parse; V8 will report the same error when compiling. */
  parseError?: { message: string; line: number; column: number };
  /** Present when the code was instrumented: the wrapper then takes the run's recorder (see the ABI). */
  instrumentation?: Instrumentation;
}

export class TypeScriptError extends Error {
  override name = 'SyntaxError';
  line?: number;
  column?: number;
}

/**
 * Strips TypeScript types, keeping every position (types become whitespace). The source is stripped
 * inside the same function wrapper it will run in, so top-level `return` and `await` parse.
 */
export function stripTypes(source: string): string {
  const suffix = '\n})';
  try {
    const stripped = stripTypeScriptTypes(WRAPPER_PREFIX + source + suffix, { mode: 'strip' });
    return stripped.slice(WRAPPER_PREFIX.length, stripped.length - suffix.length);
  } catch (error) {
    const err = error as { message?: string; code?: string };
    const out = new TypeScriptError(
      (err.message ?? 'TypeScript could not be stripped').replace(/^\s*x\s*/, '') +
        (err.code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ? ' (Isolab runs TypeScript by erasing types: enums, namespaces and parameter properties are not supported)' : ''),
    );
    // Node puts the position at the head of the stack: ":LINE", the source line, then a caret line.
    // Lines count from the wrapper's first line.
    const stack = (error as { stack?: string }).stack ?? '';
    const line = /^:(\d+)\n/.exec(stack);
    if (line && Number(line[1]) > 1) {
      out.line = Number(line[1]) - 1;
      const caret = stack.split('\n').find((l) => /^\s*\^+\s*$/.test(l));
      out.column = caret ? caret.indexOf('^') + 1 : 1;
    }
    throw out;
  }
}

function neutraliseHashbang(source: string): string {
  return source.startsWith('#!') ? '//' + source.slice(2) : source;
}

export interface AnyNode extends Node {
  [key: string]: unknown;
}

function isFunctionLike(node: AnyNode): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'ClassDeclaration' ||
    node.type === 'ClassExpression'
  );
}

/** Does a `return` occur outside every nested function? */
function hasTopLevelReturn(node: AnyNode): boolean {
  if (node.type === 'ReturnStatement') return true;
  if (isFunctionLike(node)) return false;
  for (const key of Object.keys(node)) {
    const child = node[key];
    if (Array.isArray(child)) {
      for (const c of child) if (c && typeof c === 'object' && typeof (c as AnyNode).type === 'string' && hasTopLevelReturn(c as AnyNode)) return true;
    } else if (child && typeof child === 'object' && typeof (child as AnyNode).type === 'string') {
      if (hasTopLevelReturn(child as AnyNode)) return true;
    }
  }
  return false;
}

function patternNames(pattern: AnyNode, out: string[]): void {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name as string);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties as AnyNode[]) patternNames((p.type === 'RestElement' ? p.argument : p.value) as AnyNode, out);
      break;
    case 'ArrayPattern':
      for (const p of pattern.elements as (AnyNode | null)[]) if (p) patternNames(p, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument as AnyNode, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left as AnyNode, out);
      break;
  }
}

/** The names a declaration statement binds (function, class, var/let/const with patterns). */
export function declarationNames(stmt: AnyNode, names: string[]): void {
  if ((stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') && stmt.id) names.push((stmt.id as AnyNode).name as string);
  if (stmt.type === 'VariableDeclaration') for (const d of stmt.declarations as AnyNode[]) patternNames(d.id as AnyNode, names);
}

function topLevelNames(body: AnyNode[]): string[] {
  const names: string[] = [];
  for (const stmt of body) declarationNames(stmt, names);
  return [...new Set(names)];
}

export function lineColumnAt(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export interface WrapOptions {
  language?: Language;
  /** Call mode: the script must end by handing its top-level functions to the engine. */
  callToken?: string;
  /** Record values and/or coverage (instrument.ts). */
  instrument?: InstrumentOptions;
}

/** Parameter names for the instrumented wrapper that the source does not contain (so it cannot name them). */
function hiddenNames(code: string): { recorder: string; hits: string } {
  let base = '$isolab';
  while (code.includes(base)) base += '$';
  return { recorder: base + 'R', hits: base + 'K' };
}

/** Applies the insertions; each is recorded at its column in the output, as mapColumn expects. */
export function applyEdits(code: string, edits: Edit[]): { code: string; insertions: Insertion[] } {
  if (edits.length === 0) return { code, insertions: [] };
  const sorted = [...edits].sort(compareEdits);
  const parts: string[] = [];
  const insertions: Insertion[] = [];
  // Line breaks as JavaScript counts them (V8 reports lines the same way).
  const breaks = /\r\n?|[\n\u2028\u2029]/g;
  let next = breaks.exec(code);
  let from = 0;
  let line = 1;
  let lineStart = 0;
  // Text inserted earlier on the same line moves the output column of later insertions.
  let shift = 0;
  for (const edit of sorted) {
    while (next && next.index < edit.pos) {
      line++;
      lineStart = next.index + next[0].length;
      shift = 0;
      next = breaks.exec(code);
    }
    parts.push(code.slice(from, edit.pos), edit.text);
    from = edit.pos;
    insertions.push({ line, column: edit.pos - lineStart + 1 + shift, length: edit.text.length });
    shift += edit.text.length;
  }
  parts.push(code.slice(from));
  return { code: parts.join(''), insertions };
}

export function wrapSource(source: string, options: WrapOptions = {}): WrappedSource {
  const code = neutraliseHashbang(options.language === 'typescript' ? stripTypes(source) : source);
  const edits: Edit[] = [];
  let names: string[] = [];
  let parseError: WrappedSource['parseError'];
  let instrumentation: Instrumentation | undefined;
  try {
    const comments: Comment[] = [];
    const program = parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      locations: true,
      ...(options.instrument ? { onComment: comments } : {}),
    }) as unknown as AnyNode;
    const body = program.body as AnyNode[];
    names = topLevelNames(body);
    const last = body[body.length - 1];
    if (options.callToken === undefined && last?.type === 'ExpressionStatement' && !body.some(hasTopLevelReturn)) {
      // The statement's span, not the expression's: acorn drops parentheses, so `({ a: 1 })` has an
      // expression that starts inside them. Close before the statement's own semicolon.
      const end = code[last.end - 1] === ';' ? last.end - 1 : last.end;
      edits.push(...wrapEdits(last.start, end, 'return (', ')', 0));
    }
    if (options.instrument) {
      const planned = instrument(program, comments, hiddenNames(code), options.instrument);
      edits.push(...planned.edits);
      instrumentation = planned.instrumentation;
    }
  } catch (error) {
    const e = error as { message?: string; loc?: { line: number; column: number } };
    if (e.loc) parseError = { message: (e.message ?? '').replace(/\s*\(\d+:\d+\)$/, ''), line: e.loc.line, column: e.loc.column + 1 };
  }
  const applied = applyEdits(code, edits);
  let tail = '\n}';
  if (options.callToken !== undefined) {
    const entries = names.map((n) => `[${JSON.stringify(n)}, typeof ${n} === "undefined" ? undefined : ${n}]`).join(', ');
    tail = `\n;return { ${JSON.stringify(options.callToken)}: [${entries}] };\n}`;
  }
  // Instrumented: an outer function takes the recorder and returns the same async function.
  const prefix = instrumentation ? `(function (${instrumentation.recorder}, ${instrumentation.hits}) { return async function () {\n` : WRAPPER_PREFIX;
  return {
    code: prefix + applied.code + tail + (instrumentation ? '})' : ')'),
    insertions: applied.insertions,
    topLevelNames: names,
    ...(options.callToken !== undefined ? { callToken: options.callToken } : {}),
    ...(parseError ? { parseError } : {}),
    ...(instrumentation ? { instrumentation } : {}),
  };
}

/** Maps a V8 position (already line-corrected by lineOffset) back to the user's column. */
export function mapColumn(wrapped: Pick<WrappedSource, 'insertions'>, line: number, column: number): number {
  let out = column;
  for (const ins of wrapped.insertions) if (ins.line === line && column > ins.column) out -= ins.length;
  return out;
}

type Mapping = Pick<WrappedSource, 'insertions' | 'positions'>;

/** The user's position of a V8 position (lineOffset applied): through the bundle's map, or the wrapper's insertions. */
export function originalPosition(wrapped: Mapping, line: number, column: number): SourcePosition | undefined {
  if (wrapped.positions) return wrapped.positions.original(line, column);
  return { line, column: mapColumn(wrapped, line, column) };
}

function framePattern(filename: string, flags: string): RegExp {
  const escaped = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(${escaped}):(\\d+):(\\d+)`, flags);
}

const inPackage = (position: SourcePosition) => position.file !== undefined && /(^|\/)node_modules\//.test(position.file);

/**
 * Finds the frame an error is reported at: the first stack frame in the user's code, and, in a
 * module script, the first that is not inside a package (a package throwing on bad input is
 * reported where the user's code called it; the stack still lists the package's frames).
 * Frames look like `    at fn (file:3:7)` or `    at file:3:7`.
 */
export function positionFromStack(stack: string | undefined, filename: string, wrapped: Mapping): SourcePosition | undefined {
  if (!stack) return undefined;
  let first: SourcePosition | undefined;
  for (const m of stack.matchAll(framePattern(filename, 'g'))) {
    const position = originalPosition(wrapped, Number(m[2]), Number(m[3]));
    if (!position) continue;
    if (!inPackage(position)) return position;
    first ??= position;
  }
  return first;
}

/**
 * Rewrites user frames to the user's files and positions and drops the engine's own frames (and,
 * in a module script, the bundler's glue, which has no original position).
 */
export function cleanStack(stack: string | undefined, filename: string, wrapped: Mapping): string | undefined {
  if (!stack) return stack;
  const re = framePattern(filename, 'g');
  const out: string[] = [];
  for (const line of stack.split('\n')) {
    if (/^\s+at .*(isolab:guest|<isolated-vm boundary>)/.test(line)) continue;
    let unmapped = false;
    const mapped = line.replace(re, (_m, f: string, l: string, c: string) => {
      const position = originalPosition(wrapped, Number(l), Number(c));
      if (!position) {
        unmapped = true;
        return `${f}:${l}:${c}`;
      }
      return `${position.file ?? f}:${position.line}:${position.column}`;
    });
    if (!(unmapped && /^\s+at /.test(line))) out.push(mapped);
  }
  return out.join('\n');
}
