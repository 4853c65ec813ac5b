/**
 * Encodes a guest value as inert JSON with `$isolab` tags (the format is declared in the ABI,
 * engine/common/guest-abi.ts; engine/common/value.ts decodes it).
 * Accessors are shown as [Getter], never invoked; everything is bounded so a huge or cyclic value
 * cannot stall the engine or flood the host.
 */
import { BASE64_ALPHABET as B64 } from '../common/guest-abi.ts';
import * as I from './intrinsics.ts';

export interface SerializeLimits {
  depth: number;
  /** Items shown per array, object, Map or Set. */
  items: number;
  /** Characters kept of each string. */
  stringChars: number;
  /** Bytes kept of each typed array / ArrayBuffer. */
  bytes: number;
  /** Nodes in the whole value before everything else is elided. */
  nodes: number;
}

export const RESULT_LIMITS: SerializeLimits = { depth: 24, items: 10_000, stringChars: 4_000_000, bytes: 1_000_000, nodes: 200_000 };
export const CONSOLE_LIMITS: SerializeLimits = { depth: 6, items: 200, stringChars: 100_000, bytes: 4_096, nodes: 5_000 };
/** Inline values (instrumented runs): enough for a one-line preview and a small tree on hover. */
export const VALUE_LIMITS: SerializeLimits = { depth: 4, items: 50, stringChars: 1_000, bytes: 256, nodes: 500 };

type Enc = null | boolean | number | string | Enc[] | { [key: string]: Enc };
type Rec = { [key: string]: Enc };

/** Records are null-prototype so that assigning to them can never reach a setter user code defined on Object.prototype. */
function rec(): Rec {
  return I.ObjectCreate(null) as Rec;
}

let isBufferHook: (value: unknown) => boolean = () => false;
let inspectMaxHook: () => number = () => DEFAULT_INSPECT_MAX_BYTES;

/** `require('buffer').INSPECT_MAX_BYTES` before anyone sets it. */
const DEFAULT_INSPECT_MAX_BYTES = 50;

/** How to tell the sandbox's Buffers, and how many of their bytes inspecting shows (INSPECT_MAX_BYTES). */
export function setBufferDetector(detector: (value: unknown) => boolean, inspectMaxBytes?: () => number): void {
  isBufferHook = detector;
  if (inspectMaxBytes) inspectMaxHook = inspectMaxBytes;
}

function bytesToBase64(bytes: Uint8Array, length: number): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < length ? bytes[i + 1]! : 0;
    const c = i + 2 < length ? bytes[i + 2]! : 0;
    chunk +=
      B64[a >> 2]! +
      B64[((a & 3) << 4) | (b >> 4)]! +
      (i + 1 < length ? B64[((b & 15) << 2) | (c >> 6)]! : '=') +
      (i + 2 < length ? B64[c & 63]! : '=');
    if (chunk.length > 8192) {
      I.ArrayPush(parts, chunk);
      chunk = '';
    }
  }
  I.ArrayPush(parts, chunk);
  return I.ArrayJoin(parts, '');
}

function functionKind(fn: Function): 'function' | 'class' | 'async' | 'generator' | 'arrow' | 'native' {
  const proto = I.ObjectGetPrototypeOf(fn);
  if (proto === I.AsyncFunctionPrototype) return 'async';
  if (proto === I.GeneratorFunctionPrototype || proto === I.AsyncGeneratorFunctionPrototype) return 'generator';
  let source = '';
  try {
    source = I.FunctionToString(fn);
  } catch {
    return 'function';
  }
  if (I.StringStartsWith(source, 'class')) return 'class';
  if (I.StringIncludes(source, '[native code]')) return 'native';
  return 'function';
}

function functionName(fn: Function): string {
  const d = I.ObjectGetOwnPropertyDescriptor(fn, 'name');
  return d && typeof d.value === 'string' ? d.value : '';
}

export function serialize(root: unknown, limits: SerializeLimits): Enc {
  let nodes = 0;
  const ancestors = new I.SetCtor<object>();

  const bytesTag = (kind: string, view: Uint8Array, length: number): Enc => {
    const shown = I.MathMin(view.length, limits.bytes);
    const tag = rec();
    tag.$isolab = 'bytes';
    tag.kind = kind;
    tag.length = length;
    tag.base64 = bytesToBase64(view, shown);
    if (view.length > shown) tag.more = view.length - shown;
    if (kind === 'Buffer') {
      const inspectMax = inspectMaxHook();
      if (inspectMax !== DEFAULT_INSPECT_MAX_BYTES) tag.inspectMaxBytes = inspectMax;
    }
    return tag;
  };

  const encode = (value: unknown, depth: number): Enc => {
    switch (typeof value) {
      case 'undefined':
        return { $isolab: 'undefined' };
      case 'boolean':
        return value;
      case 'string':
        return value.length > limits.stringChars
          ? I.StringSlice(value, 0, limits.stringChars) + `… (${value.length - limits.stringChars} more characters)`
          : value;
      case 'number':
        if (value !== value) return { $isolab: 'number', value: 'NaN' };
        if (value === Infinity) return { $isolab: 'number', value: 'Infinity' };
        if (value === -Infinity) return { $isolab: 'number', value: '-Infinity' };
        if (value === 0 && 1 / value < 0) return { $isolab: 'number', value: '-0' };
        return value;
      case 'bigint':
        return { $isolab: 'bigint', value: I.StringFn(value) };
      case 'symbol':
        return { $isolab: 'symbol', description: I.SymbolDescription(value) ?? null };
      case 'function':
        return { $isolab: 'function', name: functionName(value), kind: functionKind(value) };
    }
    if (value === null) return null;
    const obj = value as object;
    if (I.SetHas(ancestors, obj)) return { $isolab: 'circular', path: '' };
    if (++nodes > limits.nodes) return { $isolab: 'preview', className: I.className(obj) ?? 'Object', text: '…' };

    const tag = I.ObjectToString(obj);
    if (I.ArrayBufferIsView(obj)) {
      if (tag === '[object DataView]') {
        const dv = obj as DataView;
        const view = new I.Uint8ArrayCtor(I.DataViewBuffer(dv), I.DataViewByteOffset(dv), I.DataViewByteLength(dv));
        return bytesTag('DataView', view, view.length);
      }
      const kind = I.TypedArrayToStringTag(obj);
      if (kind !== undefined) {
        const view = new I.Uint8ArrayCtor(I.TypedArrayBuffer(obj), I.TypedArrayByteOffset(obj), I.TypedArrayByteLength(obj));
        return bytesTag(isBufferHook(obj) ? 'Buffer' : kind, view, I.TypedArrayLength(obj));
      }
    }
    if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
      const view = new I.Uint8ArrayCtor(obj as ArrayBuffer);
      return bytesTag(tag === '[object ArrayBuffer]' ? 'ArrayBuffer' : 'SharedArrayBuffer', view, view.length);
    }
    if (I.hasProto(obj, I.DatePrototype)) {
      let time = NaN;
      try {
        time = I.DateGetTime(obj as Date);
      } catch {
        /* a Date-derived object without the internal slot */
      }
      return { $isolab: 'date', iso: time === time ? I.DateToISOString(obj as Date) : null };
    }
    if (I.hasProto(obj, I.RegExpPrototype)) {
      try {
        return { $isolab: 'regexp', source: I.RegExpSource(obj as RegExp), flags: I.RegExpFlags(obj as RegExp) };
      } catch {
        /* fall through to a plain object */
      }
    }
    if (I.hasProto(obj, I.PromisePrototype)) return { $isolab: 'preview', className: 'Promise', text: 'Promise { <pending or settled> }' };
    if (I.hasProto(obj, I.WeakMapPrototype)) return { $isolab: 'preview', className: 'WeakMap', text: 'WeakMap { <items unknown> }' };
    if (I.hasProto(obj, I.WeakSetPrototype)) return { $isolab: 'preview', className: 'WeakSet', text: 'WeakSet { <items unknown> }' };
    if (I.hasProto(obj, I.WeakRefPrototype)) return { $isolab: 'preview', className: 'WeakRef', text: 'WeakRef { <target unknown> }' };

    if (depth >= limits.depth) {
      return { $isolab: 'depth', className: I.className(obj), kind: I.ArrayIsArray(obj) ? 'array' : 'object' };
    }

    I.SetAdd(ancestors, obj);
    try {
      if (I.hasProto(obj, I.MapPrototype)) {
        let size = 0;
        try {
          size = I.MapSize(obj as Map<unknown, unknown>);
        } catch {
          return { $isolab: 'preview', className: 'Map', text: 'Map {}' };
        }
        const entries: Enc[] = [];
        const it = I.MapEntries(obj as Map<unknown, unknown>);
        for (let i = 0; i < limits.items; i++) {
          const step = I.MapIteratorNext(it) as IteratorResult<[unknown, unknown]>;
          if (step.done) break;
          I.ArrayPush(entries, [encode(step.value[0], depth + 1), encode(step.value[1], depth + 1)]);
        }
        const out = rec();
        out.$isolab = 'map';
        out.size = size;
        out.entries = entries;
        if (size > entries.length) out.more = size - entries.length;
        return out;
      }
      if (I.hasProto(obj, I.SetPrototype)) {
        let size = 0;
        try {
          size = I.SetSize(obj as Set<unknown>);
        } catch {
          return { $isolab: 'preview', className: 'Set', text: 'Set {}' };
        }
        const values: Enc[] = [];
        const it = I.SetValues(obj as Set<unknown>);
        for (let i = 0; i < limits.items; i++) {
          const step = I.SetIteratorNext(it);
          if (step.done) break;
          I.ArrayPush(values, encode(step.value, depth + 1));
        }
        const out = rec();
        out.$isolab = 'set';
        out.size = size;
        out.values = values;
        if (size > values.length) out.more = size - values.length;
        return out;
      }
      if (I.ArrayIsArray(obj)) return encodeArray(obj as unknown[], depth);
      if (I.hasProto(obj, I.ErrorPrototype)) return encodeError(obj, depth);
      return encodeObject(obj, depth);
    } finally {
      I.SetDelete(ancestors, obj);
    }
  };

  const readProp = (obj: object, key: string, depth: number): Enc | undefined => {
    const d = I.ObjectGetOwnPropertyDescriptor(obj, key);
    if (d === undefined) return undefined;
    if ('value' in d) return encode(d.value, depth + 1);
    return d.get ? { $isolab: 'getter', setter: d.set !== undefined } : { $isolab: 'getter', setter: true };
  };

  const encodeArray = (arr: unknown[], depth: number): Enc => {
    const lengthDesc = I.ObjectGetOwnPropertyDescriptor(arr, 'length');
    const length = lengthDesc && typeof lengthDesc.value === 'number' ? lengthDesc.value : 0;
    const shown = I.MathMin(length, limits.items);
    const items: Enc[] = [];
    let plain = true;
    for (let i = 0; i < shown; i++) {
      const item = readProp(arr, I.StringFn(i), depth);
      if (item === undefined) {
        plain = false;
        I.ArrayPush(items, { $isolab: 'hole' });
      } else {
        I.ArrayPush(items, item);
      }
    }
    if (plain && shown === length) return items;
    const out = rec();
    out.$isolab = 'array';
    out.items = items;
    out.length = length;
    if (length > shown) out.more = length - shown;
    return out;
  };

  const encodeError = (err: object, depth: number): Enc => {
    const nameOf = (): string => {
      const own = I.ObjectGetOwnPropertyDescriptor(err, 'name');
      if (own && typeof own.value === 'string') return own.value;
      return I.className(err) ?? 'Error';
    };
    const text = (key: string): string | undefined => {
      const d = I.ObjectGetOwnPropertyDescriptor(err, key);
      if (d && typeof d.value === 'string') return d.value;
      if (key === 'stack') {
        try {
          const s = (err as { stack?: unknown }).stack;
          return typeof s === 'string' ? s : undefined;
        } catch {
          return undefined;
        }
      }
      return undefined;
    };
    const out = rec();
    out.$isolab = 'error';
    out.name = nameOf();
    out.message = text('message') ?? '';
    const stack = text('stack');
    if (stack !== undefined) out.stack = stack;
    const props = rec();
    let any = false;
    const keys = I.ObjectGetOwnPropertyNames(err);
    for (let i = 0; i < keys.length && i < limits.items; i++) {
      const key = keys[i]!;
      if (key === 'stack' || key === 'message') continue;
      const d = I.ObjectGetOwnPropertyDescriptor(err, key);
      if (!d || !d.enumerable) continue;
      const v = readProp(err, key, depth);
      if (v !== undefined) {
        props[key] = v;
        any = true;
      }
    }
    if (any) out.props = props;
    return out;
  };

  const encodeObject = (obj: object, depth: number): Enc => {
    const cls = I.className(obj);
    const props = rec();
    let keys: string[];
    try {
      keys = I.ObjectGetOwnPropertyNames(obj);
    } catch {
      return { $isolab: 'preview', className: cls ?? 'Object', text: `${cls ?? 'Object'} {}` };
    }
    let shown = 0;
    let more = 0;
    let escaped = false;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const d = I.ObjectGetOwnPropertyDescriptor(obj, key);
      if (!d || !d.enumerable) continue;
      if (shown >= limits.items) {
        more++;
        continue;
      }
      if (key === '$isolab') escaped = true;
      const v = readProp(obj, key, depth);
      if (v !== undefined) {
        props[key] = v;
        shown++;
      }
    }
    if (cls === 'Object' && !escaped && more === 0) return props;
    const out = rec();
    out.$isolab = 'object';
    out.className = cls;
    out.props = props;
    if (more > 0) out.more = more;
    return out;
  };

  return encode(root, 0);
}

/**
 * JSON text of an encoded value. Not JSON.stringify: that would look up `toJSON` on our records'
 * and arrays' prototypes, where user code may have put one. Reads own data properties only.
 */
export function stringify(value: Enc): string {
  const parts: string[] = [];
  const walk = (v: Enc): void => {
    if (v === null || typeof v !== 'object') {
      I.ArrayPush(parts, I.JSONStringify(v));
      return;
    }
    if (I.ArrayIsArray(v)) {
      I.ArrayPush(parts, '[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) I.ArrayPush(parts, ',');
        const d = I.ObjectGetOwnPropertyDescriptor(v, I.StringFn(i));
        walk(d && 'value' in d ? (d.value as Enc) : null);
      }
      I.ArrayPush(parts, ']');
      return;
    }
    I.ArrayPush(parts, '{');
    const keys = I.ObjectGetOwnPropertyNames(v);
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const d = I.ObjectGetOwnPropertyDescriptor(v, keys[i]!);
      if (!d || !('value' in d) || d.value === undefined) continue;
      if (!first) I.ArrayPush(parts, ',');
      first = false;
      I.ArrayPush(parts, I.JSONStringify(keys[i]!), ':');
      walk(d.value as Enc);
    }
    I.ArrayPush(parts, '}');
  };
  walk(value);
  return I.ArrayJoin(parts, '');
}
