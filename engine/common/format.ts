/**
 * Renders encoded values the way Node's util.inspect does, for console lines, the CLI report and
 * the renderer's previews. Works on inert data only (see value.ts), so formatting never runs user
 * code.
 */
import { base64ToBytes, isTagged, type Encoded, type Tagged } from './value.ts';

const BREAK_LENGTH = 72;
const INDENT = '  ';
const MAX_BUFFER_BYTES = 50;

export interface FormatOptions {
  /** Top-level strings print raw (as console.log does) instead of quoted. Default true. */
  rawStrings?: boolean;
}

export function formatValue(value: Encoded, options: FormatOptions = {}): string {
  if (typeof value === 'string' && options.rawStrings !== false) return value;
  return render(value, '');
}

/** Longest one-line preview (value trees' summaries, inline values beside code). */
export const PREVIEW_CHARS = 100;

/** Any text on one line, cut to `max` characters (an ellipsis says it was cut). */
export function oneLine(text: string, max = PREVIEW_CHARS): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** A value as one short line, strings quoted: `[ 1, 2, 3 ]`, `'hi'`, `Map(2) { 'a' => 1, … }`. */
export function formatPreview(value: Encoded, max = PREVIEW_CHARS): string {
  return oneLine(formatValue(value, { rawStrings: false }), max);
}

/**
 * console.log's argument handling: printf-style directives in a leading string (%s %d %i %f %j %o
 * %O %c %%), then the remaining arguments separated by spaces.
 */
export function formatLogArgs(args: readonly Encoded[]): string {
  if (args.length === 0) return '';
  const first = args[0];
  let rest = 1;
  let head: string;
  if (typeof first === 'string' && first.includes('%')) {
    head = first.replace(/%([sdifjoOc%])/g, (match, directive: string) => {
      if (directive === '%') return '%';
      if (rest >= args.length) return match;
      const arg = args[rest++]!;
      switch (directive) {
        case 's':
          // Node prints String(value) for objects with their own toString; of the values that
          // cross, only Buffer has one (its bytes as UTF-8).
          if (isTagged(arg) && arg.$isolab === 'bytes' && arg.kind === 'Buffer') return new TextDecoder().decode(base64ToBytes(arg.base64));
          return typeof arg === 'string' ? arg : formatValue(arg);
        case 'd':
        case 'i': {
          const n = toNumber(arg);
          return directive === 'i' ? String(Math.trunc(n)) : String(n);
        }
        case 'f':
          return String(toNumber(arg));
        case 'j':
          return JSON.stringify(arg);
        case 'c':
          return '';
        default:
          return render(arg, '');
      }
    });
  } else {
    head = formatValue(first!);
  }
  const parts = [head];
  for (; rest < args.length; rest++) parts.push(formatValue(args[rest]!));
  return parts.join(' ');
}

function toNumber(value: Encoded): number {
  if (typeof value === 'number') return value;
  if (isTagged(value) && value.$isolab === 'number') return value.value === '-0' ? -0 : Number(value.value);
  if (isTagged(value) && value.$isolab === 'bigint') return Number(value.value);
  if (typeof value === 'string') return Number(value);
  return Number.NaN;
}

function quote(text: string): string {
  const q = !text.includes("'") ? "'" : !text.includes('"') ? '"' : !text.includes('`') ? '`' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
    .replace(new RegExp(q, 'g'), `\\${q}`);
  return q + escaped + q;
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

function block(open: string, entries: string[], close: string, indent: string, more?: number): string {
  if (more) entries = [...entries, `... ${more} more item${more === 1 ? '' : 's'}`];
  if (entries.length === 0) return `${open}${close}`;
  const single = `${open} ${entries.join(', ')} ${close}`;
  if (single.length + indent.length <= BREAK_LENGTH && !entries.some((e) => e.includes('\n'))) return single;
  const inner = indent + INDENT;
  return `${open}\n${entries.map((e) => inner + e).join(',\n')}\n${indent}${close}`;
}

function render(value: Encoded, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return block('[', value.map((v) => render(v, indent + INDENT)), ']', indent);
  }
  if (isTagged(value)) return renderTag(value, indent);
  const entries = Object.entries(value).map(([k, v]) => `${key(k)}: ${render(v, indent + INDENT)}`);
  return block('{', entries, '}', indent);
}

function renderTag(tag: Tagged, indent: string): string {
  const inner = indent + INDENT;
  switch (tag.$isolab) {
    case 'undefined':
      return 'undefined';
    case 'hole':
      return '<empty item>';
    case 'number':
      return tag.value;
    case 'bigint':
      return `${tag.value}n`;
    case 'symbol':
      return `Symbol(${tag.description ?? ''})`;
    case 'date':
      return tag.iso ?? 'Invalid Date';
    case 'regexp':
      return `/${tag.source}/${tag.flags}`;
    case 'map': {
      const entries = tag.entries.map(([k, v]) => `${render(k, inner)} => ${render(v, inner)}`);
      return block(`Map(${tag.size}) {`, entries, '}', indent, tag.more);
    }
    case 'set':
      return block(`Set(${tag.size}) {`, tag.values.map((v) => render(v, inner)), '}', indent, tag.more);
    case 'bytes':
      return renderBytes(tag, indent);
    case 'error':
      return tag.stack && tag.stack.includes(tag.message) ? tag.stack : `${tag.name}: ${tag.message}`;
    case 'function': {
      if (tag.kind === 'class') return `[class ${tag.name || '(anonymous)'}]`;
      const label = tag.kind === 'async' ? 'AsyncFunction' : tag.kind === 'generator' ? 'GeneratorFunction' : 'Function';
      return `[${label}${tag.name ? `: ${tag.name}` : ' (anonymous)'}]`;
    }
    case 'object': {
      const entries = Object.entries(tag.props).map(([k, v]) => `${key(k)}: ${render(v, inner)}`);
      const prefix = tag.className === null ? '[Object: null prototype] {' : `${tag.className} {`;
      return block(prefix, entries, '}', indent, tag.more);
    }
    case 'array': {
      const items = tag.items.map((v) => render(v, inner));
      return block('[', items, ']', indent, tag.more);
    }
    case 'circular':
      return '[Circular]';
    case 'getter':
      return tag.setter ? '[Getter/Setter]' : '[Getter]';
    case 'preview':
      return tag.text;
    case 'depth':
      return tag.kind === 'array' ? '[Array]' : `[${tag.className ?? 'Object'}]`;
  }
}

function renderBytes(tag: Extract<Tagged, { $isolab: 'bytes' }>, indent: string): string {
  const bytes = base64ToBytes(tag.base64);
  if (tag.kind === 'Buffer') {
    // As Node's buffer.inspect: the script may have changed INSPECT_MAX_BYTES.
    const max = tag.inspectMaxBytes ?? MAX_BUFFER_BYTES;
    const shown = Array.from(bytes.subarray(0, Math.trunc(max)), (b) => b.toString(16).padStart(2, '0'));
    // Node counts the rest from the limit itself (a fractional limit leaves "1.5 more bytes").
    const hidden = tag.length - (shown.length < Math.trunc(max) ? shown.length : max);
    return `<Buffer${shown.length ? ' ' + shown.join(' ') : ''}${hidden > 0 ? ` ... ${hidden} more byte${hidden === 1 ? '' : 's'}` : ''}>`;
  }
  if (tag.kind === 'ArrayBuffer' || tag.kind === 'SharedArrayBuffer') {
    const hex = Array.from(bytes.subarray(0, MAX_BUFFER_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
    const hidden = tag.length - Math.min(bytes.length, MAX_BUFFER_BYTES);
    return `${tag.kind} { [Uint8Contents]: <${hex}${hidden > 0 ? ` ... ${hidden} more bytes` : ''}>, byteLength: ${tag.length} }`;
  }
  if (tag.kind === 'DataView') return `DataView { byteLength: ${tag.length} }`;
  const values = typedValues(tag.kind, bytes);
  const items = values.slice(0, 100).map(String);
  const more = tag.length - items.length;
  return block(`${tag.kind}(${tag.length}) [`, items, ']', indent, more > 0 ? more : undefined);
}

function typedValues(kind: string, bytes: Uint8Array): (number | string)[] {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const make: Record<string, () => ArrayLike<number | bigint>> = {
    Int8Array: () => new Int8Array(buffer),
    Uint8ClampedArray: () => new Uint8ClampedArray(buffer),
    Uint16Array: () => new Uint16Array(buffer, 0, buffer.byteLength >> 1),
    Int16Array: () => new Int16Array(buffer, 0, buffer.byteLength >> 1),
    Uint32Array: () => new Uint32Array(buffer, 0, buffer.byteLength >> 2),
    Int32Array: () => new Int32Array(buffer, 0, buffer.byteLength >> 2),
    Float32Array: () => new Float32Array(buffer, 0, buffer.byteLength >> 2),
    Float64Array: () => new Float64Array(buffer, 0, buffer.byteLength >> 3),
    BigInt64Array: () => new BigInt64Array(buffer, 0, buffer.byteLength >> 3),
    BigUint64Array: () => new BigUint64Array(buffer, 0, buffer.byteLength >> 3),
  };
  const view = (make[kind] ?? (() => bytes))();
  return Array.from(view, (v) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : v));
}
