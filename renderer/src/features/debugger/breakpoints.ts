/**
 * Breakpoints, per script of the workspace: a line (1-based, as the editor shows it), optionally a
 * condition, or a log message instead of a stop (a logpoint). Kept in localStorage under the
 * workspace folder's name, so each workspace has its own and a reload keeps them.
 */
import { createStore, type Store } from '../../state/store.ts';

export interface Breakpoint {
  line: number;
  /** Stops only when this expression is truthy. */
  condition?: string;
  /** A logpoint: logs this message (`{expr}` parts are evaluated) and does not stop. */
  logMessage?: string;
}

export type BreakpointMap = Readonly<Record<string, readonly Breakpoint[]>>;

const KEY_PREFIX = 'isolab:breakpoints:';

/**
 * What V8 is given as the breakpoint's condition. A logpoint is a condition that logs and is never
 * true, as DevTools does it: the log line comes from the script's own console, at that line.
 */
export function cdpCondition(bp: Breakpoint): string | undefined {
  if (bp.logMessage !== undefined) return `console.log(${templateLiteral(bp.logMessage)}), false`;
  return bp.condition?.trim() ? bp.condition : undefined;
}

/** `x is {x}` → a template literal `\`x is ${x}\``; other text stays literal. */
export function templateLiteral(message: string): string {
  let out = '';
  let rest = message;
  for (;;) {
    const open = rest.indexOf('{');
    const close = open < 0 ? -1 : rest.indexOf('}', open + 1);
    if (open < 0 || close < 0) {
      out += escapeLiteral(rest);
      break;
    }
    out += escapeLiteral(rest.slice(0, open)) + '${' + rest.slice(open + 1, close) + '}';
    rest = rest.slice(close + 1);
  }
  return '`' + out + '`';
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\`]/g, (c) => `\\${c}`).replace(/\$(?=\{)/g, '\\$');
}

export class Breakpoints {
  readonly store: Store<{ byScript: BreakpointMap }>;
  private readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  private key = KEY_PREFIX;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'>) {
    this.storage = storage;
    this.store = createStore<{ byScript: BreakpointMap }>({ byScript: {} });
  }

  /** Switches to a workspace folder's breakpoints. */
  load(workspaceDir: string): void {
    this.key = KEY_PREFIX + workspaceDir;
    let byScript: BreakpointMap = {};
    try {
      const parsed = JSON.parse(this.storage.getItem(this.key) ?? '{}') as unknown;
      if (parsed && typeof parsed === 'object') byScript = sanitize(parsed as Record<string, unknown>);
    } catch {
      // A damaged entry costs the breakpoints, not the IDE.
    }
    this.store.set({ byScript });
  }

  of(script: string): readonly Breakpoint[] {
    return this.store.get().byScript[script] ?? [];
  }

  at(script: string, line: number): Breakpoint | undefined {
    return this.of(script).find((bp) => bp.line === line);
  }

  /** F9 and a gutter click: adds a plain breakpoint, or removes whatever is on the line. */
  toggle(script: string, line: number): void {
    if (this.at(script, line)) this.remove(script, line);
    else this.put(script, { line });
  }

  put(script: string, bp: Breakpoint): void {
    const others = this.of(script).filter((b) => b.line !== bp.line);
    this.save(script, [...others, bp].sort((a, b) => a.line - b.line));
  }

  remove(script: string, line: number): void {
    this.save(
      script,
      this.of(script).filter((b) => b.line !== line),
    );
  }

  /** The editor moved lines (typing above a breakpoint): keep each on its statement. */
  moveAll(script: string, lines: ReadonlyMap<number, number>): void {
    const moved = this.of(script).map((bp) => ({ ...bp, line: lines.get(bp.line) ?? bp.line }));
    const unique = [...new Map(moved.map((bp) => [bp.line, bp])).values()].sort((a, b) => a.line - b.line);
    this.save(script, unique);
  }

  private save(script: string, list: Breakpoint[]): void {
    const byScript = { ...this.store.get().byScript };
    if (list.length > 0) byScript[script] = list;
    else delete byScript[script];
    this.store.set({ byScript });
    try {
      this.storage.setItem(this.key, JSON.stringify(byScript));
    } catch {
      // Storage full: they live until the tab closes.
    }
  }
}

function sanitize(raw: Record<string, unknown>): BreakpointMap {
  const out: Record<string, Breakpoint[]> = {};
  for (const [script, list] of Object.entries(raw)) {
    if (!Array.isArray(list)) continue;
    const valid = list.filter((bp): bp is Breakpoint => !!bp && Number.isInteger(bp.line) && bp.line >= 1);
    if (valid.length > 0) out[script] = valid;
  }
  return out;
}
