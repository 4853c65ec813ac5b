/**
 * The sandbox's console. Arguments are encoded in the guest (serialize.ts) and handed to the host
 * as one JSON string per line; the host formats them (engine/common/format.ts). Output is bounded
 * per run: past the bound one marker line says how much was dropped.
 */
import type { LogLevel } from '../common/guest-abi.ts';
import * as I from './intrinsics.ts';
import type { LogBatcher } from './log-batch.ts';
import { CONSOLE_LIMITS, serialize, stringify } from './serialize.ts';

export interface ConsoleBounds {
  maxLines: number;
  maxBytes: number;
}

export interface ConsoleState {
  /** Lines handed to the host this run (including the truncation marker). */
  emitted: number;
  truncated: boolean;
  reset(startMs: number): void;
}

export function installConsole(global: typeof globalThis, out: LogBatcher, bounds: ConsoleBounds): ConsoleState {
  let lines = 0;
  let bytes = 0;
  let startMs = I.DateNow();
  let groupIndent = '';
  const counts = new I.MapCtor<string, number>();
  const timers = new I.MapCtor<string, number>();

  const state: ConsoleState = {
    emitted: 0,
    truncated: false,
    reset(start: number) {
      lines = 0;
      bytes = 0;
      startMs = start;
      state.emitted = 0;
      state.truncated = false;
    },
  };

  const send = (level: LogLevel, json: string): void => {
    state.emitted++;
    out.add(level, I.DateNow() - startMs, json);
  };

  const write = (level: LogLevel, args: unknown[]): void => {
    if (state.truncated) return;
    const encoded: unknown[] = [];
    for (let i = 0; i < args.length; i++) I.ArrayPush(encoded, serialize(args[i], CONSOLE_LIMITS));
    if (groupIndent !== '' && encoded.length > 0 && typeof encoded[0] === 'string') encoded[0] = groupIndent + (encoded[0] as string);
    const json = stringify(encoded as never);
    if (lines + 1 > bounds.maxLines || bytes + json.length > bounds.maxBytes) {
      state.truncated = true;
      send('warn', I.JSONStringify([`… console output truncated: more than ${bounds.maxLines} lines or ${bounds.maxBytes} bytes in this run`]));
      return;
    }
    lines++;
    bytes += json.length;
    send(level, json);
  };

  const text = (value: unknown): string => (typeof value === 'string' ? value : I.StringFn(value));

  const table = (data: unknown, columns?: unknown): string | undefined => {
    if (data === null || typeof data !== 'object') return undefined;
    const rows: [string, unknown][] = [];
    if (I.hasProto(data, I.MapPrototype)) {
      let i = 0;
      for (const [k, v] of data as Map<unknown, unknown>) I.ArrayPush(rows, [I.StringFn(i++) + ' ' + text(k), v]);
    } else {
      const keys = I.ObjectGetOwnPropertyNames(data);
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] === 'length' && I.ArrayIsArray(data)) continue;
        const d = I.ObjectGetOwnPropertyDescriptor(data, keys[i]!);
        if (d && d.enumerable) I.ArrayPush(rows, [keys[i]!, 'value' in d ? d.value : '[Getter]']);
      }
    }
    const cols: string[] = [];
    let hasValues = false;
    for (const [, row] of rows) {
      if (row !== null && typeof row === 'object') {
        const keys = I.ObjectGetOwnPropertyNames(row);
        for (let i = 0; i < keys.length; i++) if (!cols.includes(keys[i]!) && keys[i] !== 'length') I.ArrayPush(cols, keys[i]!);
      } else {
        hasValues = true;
      }
    }
    const shownCols = I.ArrayIsArray(columns) ? (columns as unknown[]).map((c) => I.StringFn(c)) : cols;
    const header = ['(index)', ...shownCols, ...(hasValues ? ['Values'] : [])];
    const cell = (v: unknown): string => {
      if (v === undefined) return '';
      if (typeof v === 'string') return `'${v}'`;
      if (v !== null && typeof v === 'object') return I.ArrayIsArray(v) ? '[Array]' : '[Object]';
      return I.StringFn(v);
    };
    const body = rows.map(([index, row]) => {
      const out = [index];
      for (const c of shownCols) {
        if (row !== null && typeof row === 'object') {
          const d = I.ObjectGetOwnPropertyDescriptor(row, c);
          out.push(d && 'value' in d ? cell(d.value) : '');
        } else out.push('');
      }
      if (hasValues) out.push(row !== null && typeof row === 'object' ? '' : cell(row));
      return out;
    });
    const widths = header.map((h, i) => I.MathMax(h.length, ...body.map((r) => r[i]!.length)) + 2);
    const line = (l: string, m: string, r: string) => l + widths.map((w) => I.StringRepeat('─', w)).join(m) + r;
    const center = (s: string, w: number) => {
      const left = (w - s.length) >> 1;
      return I.StringRepeat(' ', left) + s + I.StringRepeat(' ', w - s.length - left);
    };
    const row = (cells: string[]) => '│' + cells.map((c, i) => center(c, widths[i]!)).join('│') + '│';
    return [line('┌', '┬', '┐'), row(header), line('├', '┼', '┤'), ...body.map(row), line('└', '┴', '┘')].join('\n');
  };

  const con = {
    log: (...args: unknown[]) => write('log', args),
    info: (...args: unknown[]) => write('info', args),
    warn: (...args: unknown[]) => write('warn', args),
    error: (...args: unknown[]) => write('error', args),
    debug: (...args: unknown[]) => write('debug', args),
    trace: (...args: unknown[]) => {
      const stack = new I.ErrorCtor().stack ?? '';
      const frames = I.StringSplit(stack, '\n').slice(2).join('\n');
      write('debug', ['Trace' + (args.length ? ': ' + args.map(text).join(' ') : ''), '\n' + frames]);
    },
    dir: (value: unknown) => write('log', [value]),
    dirxml: (...args: unknown[]) => write('log', args),
    table: (data: unknown, columns?: unknown) => {
      const rendered = table(data, columns);
      write('log', rendered === undefined ? [data] : [rendered]);
    },
    assert: (condition: unknown, ...args: unknown[]) => {
      if (condition) return;
      if (typeof args[0] === 'string') write('error', ['Assertion failed: ' + args[0], ...args.slice(1)]);
      else write('error', ['Assertion failed', ...args]);
    },
    count: (label: unknown = 'default') => {
      const key = text(label);
      const n = ((I.MapGet(counts, key) as number | undefined) ?? 0) + 1;
      I.MapSet(counts, key, n);
      write('info', [`${key}: ${n}`]);
    },
    countReset: (label: unknown = 'default') => {
      I.MapDelete(counts, text(label));
    },
    time: (label: unknown = 'default') => {
      I.MapSet(timers, text(label), I.DateNow());
    },
    timeLog: (label: unknown = 'default', ...args: unknown[]) => {
      const start = I.MapGet(timers, text(label)) as number | undefined;
      if (start === undefined) return write('warn', [`Warning: No such label '${text(label)}' for console.timeLog()`]);
      write('info', [`${text(label)}: ${I.DateNow() - start}ms`, ...args]);
    },
    timeEnd: (label: unknown = 'default') => {
      const key = text(label);
      const start = I.MapGet(timers, key) as number | undefined;
      if (start === undefined) return write('warn', [`Warning: No such label '${key}' for console.timeEnd()`]);
      I.MapDelete(timers, key);
      write('info', [`${key}: ${I.DateNow() - start}ms`]);
    },
    group: (...args: unknown[]) => {
      if (args.length) write('log', args);
      groupIndent += '  ';
    },
    groupCollapsed: (...args: unknown[]) => {
      if (args.length) write('log', args);
      groupIndent += '  ';
    },
    groupEnd: () => {
      groupIndent = I.StringSlice(groupIndent, 2);
    },
    clear: () => {},
  };
  I.ObjectDefineProperty(global, 'console', { value: con, writable: true, configurable: true, enumerable: false });
  return state;
}
