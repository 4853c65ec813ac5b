/**
 * Instrumentation for inline values and coverage: which text to insert where, so an instrumented
 * run records (through the guest's recorder, see the ABI) the value of every top-level expression
 * statement, the arguments of `console.log/info/warn/error/debug` calls, the value of expressions
 * marked with a `//?` comment, and which statements ran.
 *
 * Only insertions, never deletions, and each one inside a single line, so every position of the
 * user's code is still where V8 reports it once the insertions are mapped back (wrap.ts).
 * Semantics are kept by construction: a value is wrapped as `R.v(id,(expr))`, which evaluates
 * `expr` exactly once, in the same place and order, and returns it unchanged (`this`, getters,
 * `arguments`, `yield` and `await` inside `expr` are untouched); a statement in a statement list
 * gets `K[id]=1;` before it (never before a directive or a function declaration, whose meaning
 * depends on where they stand). Inserted text starts with an identifier, so it can never continue
 * the previous line across a missing semicolon.
 */
import type { Comment, Node } from 'acorn';
import { full } from 'acorn-walk';

export type SiteKind = 'expression' | 'log' | 'probe';

export interface Site {
  /** 1-based line the value belongs to (where the expression ends, or the `//?` line). */
  line: number;
  /** 1-based column where the recorded expression starts. */
  column: number;
  kind: SiteKind;
  /** A call statement's `undefined` says nothing (`list.forEach(…)`): not shown. */
  quietUndefined?: boolean;
}

export interface Instrumentation {
  /** Names of the wrapper's two parameters: the recorder and the statement-hit array. */
  recorder: string;
  hits: string;
  /** Value sites by id. */
  sites: Site[];
  /** Line of each statement counted for coverage, by id. */
  statementLines: number[];
}

export interface InstrumentOptions {
  values?: boolean;
  coverage?: boolean;
}

/** Bounds: sites past these are not instrumented (the first ones in the source are). */
export const MAX_VALUE_SITES = 1_000;
export const MAX_COVERED_STATEMENTS = 50_000;

/**
 * One piece of inserted text. `open`/`close` pairs wrap the span [start, end); at one position
 * closings come before openings, inner closings before outer ones, outer openings before inner
 * ones; `rank` orders wraps of the very same span (lower is outer).
 */
export interface Edit {
  pos: number;
  text: string;
  close: boolean;
  start: number;
  end: number;
  rank: number;
}

export function wrapEdits(start: number, end: number, open: string, close: string, rank: number): Edit[] {
  return [
    { pos: start, text: open, close: false, start, end, rank },
    { pos: end, text: close, close: true, start, end, rank },
  ];
}

export function compareEdits(a: Edit, b: Edit): number {
  if (a.pos !== b.pos) return a.pos - b.pos;
  if (a.close !== b.close) return a.close ? -1 : 1;
  if (a.close) return b.start - a.start || b.rank - a.rank;
  return b.end - a.end || a.rank - b.rank;
}

interface AnyNode extends Node {
  [key: string]: unknown;
}

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug']);

function isConsoleCall(node: AnyNode | undefined): boolean {
  if (!node || node.type !== 'CallExpression') return false;
  const callee = node.callee as AnyNode;
  if (callee.type !== 'MemberExpression' || callee.computed) return false;
  const object = callee.object as AnyNode;
  return object.type === 'Identifier' && object.name === 'console' && CONSOLE_METHODS.has((callee.property as AnyNode).name as string);
}

/** A statement whose value is `undefined` as a rule: its `undefined` is not worth showing. */
function isQuiet(expression: AnyNode): boolean {
  return expression.type === 'CallExpression' || expression.type === 'AwaitExpression' || expression.type === 'ChainExpression' || (expression.type === 'UnaryExpression' && expression.operator === 'void');
}

interface Candidate {
  node: AnyNode;
  site: Omit<Site, 'line' | 'column'>;
  line: number;
  /** Console calls: one site, every argument wrapped. */
  args?: AnyNode[];
}

export interface Instrumented {
  edits: Edit[];
  instrumentation: Instrumentation;
}

/** Plans the insertions for `program` (parsed with `locations`). `names` are the two parameter names. */
export function instrument(program: Node, comments: Comment[], names: { recorder: string; hits: string }, options: InstrumentOptions): Instrumented {
  const nodes = collect(program as AnyNode);
  const edits: Edit[] = [];
  const sites: Site[] = [];
  if (options.values) {
    const candidates = [...topLevelExpressions(program as AnyNode), ...consoleCalls(nodes.calls), ...probes(comments, nodes.probeable)];
    candidates.sort((a, b) => a.node.start - b.node.start);
    const seen = new Map<AnyNode, number>();
    for (const c of candidates) {
      const known = seen.get(c.node);
      // A top-level expression marked `//?` as well: the mark says the user wants it, undefined too.
      if (known !== undefined && c.site.kind === 'probe') sites[known] = { line: sites[known]!.line, column: sites[known]!.column, kind: 'probe' };
      if (known !== undefined || sites.length >= MAX_VALUE_SITES) continue;
      const id = sites.length;
      seen.set(c.node, id);
      sites.push({ ...c.site, line: c.line, column: c.node.loc!.start.column + 1 });
      if (c.args) {
        c.args.forEach((arg, i) => edits.push(...wrapEdits(arg.start, arg.end, `${names.recorder}.${i === 0 ? 'l' : 'm'}(${id},(`, '))', 1)));
      } else {
        edits.push(...wrapEdits(c.node.start, c.node.end, `${names.recorder}.v(${id},(`, '))', 1));
      }
    }
  }
  const statementLines: number[] = [];
  if (options.coverage) {
    const counted = nodes.statements.slice(0, MAX_COVERED_STATEMENTS);
    // `K[id]=K[n]=id+1;`: the statement ran, and it is the last one that started (see RecordSizes).
    counted.forEach((stmt, id) => {
      edits.push({ pos: stmt.start, text: `${names.hits}[${id}]=${names.hits}[${counted.length}]=${id + 1};`, close: false, start: stmt.start, end: Infinity, rank: -1 });
      statementLines.push(stmt.loc!.start.line);
    });
  }
  return { edits, instrumentation: { ...names, sites, statementLines } };
}

interface Collected {
  calls: AnyNode[];
  /** Expressions a `//?` may mark: statement expressions, initialisers, returned values. */
  probeable: AnyNode[];
  /** Statements counted for coverage, in source order. */
  statements: AnyNode[];
}

function collect(program: AnyNode): Collected {
  const out: Collected = { calls: [], probeable: [], statements: [] };
  const countable = (list: AnyNode[]) => {
    for (const stmt of list) {
      if (stmt.type === 'FunctionDeclaration' || stmt.type === 'EmptyStatement' || typeof stmt.directive === 'string') continue;
      out.statements.push(stmt);
    }
  };
  full(program, (n) => {
    const node = n as AnyNode;
    switch (node.type) {
      case 'Program':
      case 'BlockStatement':
      case 'StaticBlock':
        countable(node.body as AnyNode[]);
        break;
      case 'SwitchCase':
        countable(node.consequent as AnyNode[]);
        break;
      case 'CallExpression':
        if (isConsoleCall(node)) out.calls.push(node);
        break;
      case 'ExpressionStatement':
        if (typeof node.directive !== 'string') out.probeable.push(node.expression as AnyNode);
        break;
      case 'VariableDeclarator':
        if (node.init) out.probeable.push(node.init as AnyNode);
        break;
      case 'ReturnStatement':
        if (node.argument) out.probeable.push(node.argument as AnyNode);
        break;
    }
  });
  out.statements.sort((a, b) => a.start - b.start);
  return out;
}

function topLevelExpressions(program: AnyNode): Candidate[] {
  const out: Candidate[] = [];
  for (const stmt of program.body as AnyNode[]) {
    if (stmt.type !== 'ExpressionStatement' || typeof stmt.directive === 'string') continue;
    const expression = stmt.expression as AnyNode;
    if (isConsoleCall(expression)) continue;
    out.push({ node: expression, line: expression.loc!.end.line, site: { kind: 'expression', ...(isQuiet(expression) ? { quietUndefined: true } : {}) } });
  }
  return out;
}

function consoleCalls(calls: AnyNode[]): Candidate[] {
  const out: Candidate[] = [];
  for (const call of calls) {
    const args = call.arguments as AnyNode[];
    if (args.length === 0 || args.some((a) => a.type === 'SpreadElement')) continue;
    out.push({ node: call, line: call.loc!.end.line, site: { kind: 'log' }, args });
  }
  return out;
}

/** `expr //?`: the expression that ends last on the comment's line, before the comment. */
function probes(comments: Comment[], probeable: AnyNode[]): Candidate[] {
  const out: Candidate[] = [];
  for (const comment of comments) {
    if (comment.type !== 'Line' || !comment.value.trimStart().startsWith('?')) continue;
    const line = comment.loc!.start.line;
    let best: AnyNode | undefined;
    for (const node of probeable) {
      if (node.loc!.end.line !== line || node.end > comment.start || isConsoleCall(node)) continue;
      if (!best || node.end > best.end || (node.end === best.end && node.start < best.start)) best = node;
    }
    if (best) out.push({ node: best, line, site: { kind: 'probe' } });
  }
  return out;
}
