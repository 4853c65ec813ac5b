/**
 * Node's internal error shapes: the base class is the plain builtin (`err instanceof RangeError`,
 * `err.constructor === RangeError`), `code` is an own enumerable property, and both the stack header
 * and `toString()` read `RangeError [ERR_OUT_OF_RANGE]: ...`. Messages follow lib/internal/errors.js.
 */
import {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ErrorCaptureStackTrace,
  JSONStringify,
  MathAbs,
  NumberIsInteger,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectSetPrototypeOf,
  RangeErrorCtor,
  RegExpPrototypeExec,
  StringCtor,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeCharCodeAt,
  SymbolPrototypeToString,
  TypeErrorCtor,
  ErrorCtor,
  isTypedArray,
  TypedArrayPrototypeGetLength,
} from '../primordials.ts';

type ErrorClass = typeof RangeErrorCtor | typeof TypeErrorCtor | typeof ErrorCtor;

const HEX_UPPER = '0123456789ABCDEF';
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
// Read once: a user who renames RangeError later must not change our headers.
const baseNames = new Map<ErrorClass, string>([
  [ErrorCtor, 'Error'],
  [TypeErrorCtor, 'TypeError'],
  [RangeErrorCtor, 'RangeError'],
]);

const protoCache = new Map<string, object>();
const MapGet = Map.prototype.get;
const MapSet = Map.prototype.set;
const ReflectApply = Reflect.apply;

/** One prototype per code (like Node's NodeError classes), inheriting from the builtin's prototype. */
function protoFor(Base: ErrorClass, code: string): object {
  let proto = ReflectApply(MapGet, protoCache, [code]) as object | undefined;
  if (proto !== undefined) return proto;
  proto = ObjectCreate(Base.prototype, {
    constructor: { value: Base, writable: true, enumerable: false, configurable: true },
    toString: {
      value: function toString(this: { name: string; message: string }) {
        return `${this.name} [${code}]: ${this.message}`;
      },
      writable: true,
      enumerable: false,
      configurable: true,
    },
  }) as object;
  ReflectApply(MapSet, protoCache, [code, proto]);
  return proto;
}

export type NodeError = Error & { code: string };

/**
 * Builds the error. `skip` is the public function the user called: frames above it (our internals)
 * are left out of the stack, as Node's own frames are hidden behind `node:buffer`.
 */
export function makeError(Base: ErrorClass, code: string, message: string, skip?: Function): NodeError {
  const err = new Base(message) as NodeError;
  ObjectSetPrototypeOf(err, protoFor(Base, code));
  // V8 formats `stack` lazily from `name`; a temporary own name gives Node's "Name [CODE]: msg" header.
  ObjectDefineProperty(err, 'name', { value: `${ReflectApply(MapGet, baseNames, [Base]) as string} [${code}]`, configurable: true, writable: true, enumerable: false });
  if (ErrorCaptureStackTrace !== undefined) ErrorCaptureStackTrace(err, skip ?? makeError);
  void err.stack;
  delete (err as { name?: string }).name;
  ObjectDefineProperty(err, 'code', { value: code, writable: true, enumerable: true, configurable: true });
  return err;
}

// --- a small util.inspect for the "Received ..." part of messages --------------------------------

function quote(str: string): string {
  if (StringPrototypeIndexOf(str, "'") === -1) return `'${escape(str, "'")}'`;
  if (StringPrototypeIndexOf(str, '"') === -1) return `"${escape(str, '"')}"`;
  if (StringPrototypeIndexOf(str, '`') === -1 && StringPrototypeIndexOf(str, '${') === -1) return `\`${escape(str, '`')}\``;
  return `'${escape(str, "'")}'`;
}

function escape(str: string, q: string): string {
  let out = '';
  for (let i = 0; i < str.length; i++) {
    const ch = str[i]!;
    const c = StringPrototypeCharCodeAt(ch, 0);
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else if (c === 13) out += '\\r';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${HEX_UPPER[c >> 4]}${HEX_UPPER[c & 15]}`;
    else out += ch;
  }
  return out;
}

function ctorName(value: object): string | undefined {
  try {
    let proto = ObjectGetPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
    while (proto !== null) {
      const name = proto.constructor?.name;
      if (typeof name === 'string' && name !== '') return name;
      proto = ObjectGetPrototypeOf(proto) as typeof proto;
    }
  } catch {
    // A hostile proxy: fall through to the generic rendering.
  }
  return undefined;
}

/** util.inspect(value) for the shapes error messages print; objects get a one-level summary. */
export function inspect(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return ObjectIs(value, -0) ? '-0' : StringCtor(value);
    case 'bigint':
      return `${StringCtor(value)}n`;
    case 'symbol':
      return SymbolPrototypeToString(value);
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'function': {
      const name = (value as { name?: unknown }).name;
      return typeof name === 'string' && name !== '' ? `[Function: ${name}]` : '[Function (anonymous)]';
    }
    default: {
      if (value === null) return 'null';
      if (ArrayIsArray(value)) return value.length === 0 ? '[]' : `[ ${ArrayPrototypeJoin(value, ', ')} ]`;
      if (isTypedArray(value)) {
        // Like util.inspect: a custom inspector (Buffer.prototype.inspect) decides the rendering.
        const custom = (value as unknown as Record<symbol, unknown>)[inspectCustom];
        if (typeof custom === 'function') {
          const shown = ReflectApply(custom as () => unknown, value, []);
          if (typeof shown === 'string') return shown;
        }
        const name = ctorName(value) ?? 'Uint8Array';
        return `${name}(${TypedArrayPrototypeGetLength(value)}) [ ... ]`;
      }
      const name = ctorName(value as object);
      if (name === undefined) return '[Object: null prototype] {}';
      return name === 'Object' ? '{}' : `${name} {}`;
    }
  }
}

/** Node's determineSpecificType: the "Received ..." tail of ERR_INVALID_ARG_TYPE. */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'bigint':
      return `type bigint (${StringCtor(value)}n)`;
    case 'number':
      if (value === 0) return ObjectIs(value, -0) ? 'type number (-0)' : 'type number (0)';
      return `type number (${StringCtor(value)})`;
    case 'boolean':
      return value ? 'type boolean (true)' : 'type boolean (false)';
    case 'symbol':
      return `type symbol (${SymbolPrototypeToString(value)})`;
    case 'function':
      return `function ${StringCtor((value as { name?: unknown }).name)}`;
    case 'object': {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      if (ctor && 'name' in ctor) return `an instance of ${StringCtor(ctor.name)}`;
      return inspect(value);
    }
    case 'string': {
      let str = value as string;
      if (str.length > 28) str = `${StringPrototypeSlice(str, 0, 25)}...`;
      if (StringPrototypeIndexOf(str, "'") === -1) return `type string ('${str}')`;
      return `type string (${JSONStringify(str)})`;
    }
    default:
      return `type ${typeof value}`;
  }
}

const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];
const classRegExp = /^([A-Z][a-z0-9]*)+$/;

function listIncludes(list: readonly string[], value: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}

function joinList(list: string[], lastSep: string): string {
  if (list.length > 2) {
    let head = '';
    for (let i = 0; i < list.length - 1; i++) head += (i === 0 ? '' : ', ') + list[i];
    return `${head}, ${lastSep} ${list[list.length - 1]}`;
  }
  return list.length === 2 ? `${list[0]} ${lastSep} ${list[1]}` : list[0]!;
}

export function invalidArgTypeMessage(name: string, expected: string | readonly string[], actual: unknown): string {
  const wanted: readonly string[] = typeof expected === 'string' ? [expected] : expected;
  let msg = 'The ';
  if (StringPrototypeEndsWith(name, ' argument')) msg += `${name} `;
  else msg += `"${name}" ${StringPrototypeIncludes(name, '.') ? 'property' : 'argument'} `;
  msg += 'must be ';
  // Plain index writes on fresh arrays: safe, these arrays never escape and have own elements only.
  const types: string[] = [];
  const instances: string[] = [];
  const other: string[] = [];
  let nt = 0;
  let ni = 0;
  let no = 0;
  for (let i = 0; i < wanted.length; i++) {
    const v = wanted[i]!;
    if (listIncludes(kTypes, v)) ObjectDefineProperty(types, nt++, { value: StringPrototypeToLowerCase(v), writable: true, enumerable: true, configurable: true });
    else if (RegExpPrototypeExec(classRegExp, v) !== null) ObjectDefineProperty(instances, ni++, { value: v, writable: true, enumerable: true, configurable: true });
    else ObjectDefineProperty(other, no++, { value: v, writable: true, enumerable: true, configurable: true });
  }
  if (instances.length > 0) {
    let pos = -1;
    for (let i = 0; i < types.length; i++) if (types[i] === 'object') pos = i;
    if (pos !== -1) {
      const kept: string[] = [];
      let k = 0;
      for (let i = 0; i < types.length; i++) if (i !== pos) ObjectDefineProperty(kept, k++, { value: types[i], writable: true, enumerable: true, configurable: true });
      types.length = 0;
      for (let i = 0; i < kept.length; i++) ObjectDefineProperty(types, i, { value: kept[i], writable: true, enumerable: true, configurable: true });
      ObjectDefineProperty(instances, instances.length, { value: 'Object', writable: true, enumerable: true, configurable: true });
    }
  }
  if (types.length > 0) {
    if (types.length > 2) msg += `one of type ${joinList(types, 'or')}`;
    else if (types.length === 2) msg += `one of type ${types[0]} or ${types[1]}`;
    else msg += `of type ${types[0]}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    if (instances.length > 2) msg += `an instance of ${joinList(instances, 'or')}`;
    else {
      msg += `an instance of ${instances[0]}`;
      if (instances.length === 2) msg += ` or ${instances[1]}`;
    }
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 0) {
    if (other.length > 2) msg += `one of ${joinList(other, 'or')}`;
    else if (other.length === 2) msg += `one of ${other[0]} or ${other[1]}`;
    else {
      if (StringPrototypeToLowerCase(other[0]!) !== other[0]) msg += 'an ';
      msg += other[0];
    }
  }
  return `${msg}. Received ${describeReceived(actual)}`;
}

function addNumericalSeparator(val: string): string {
  let res = '';
  let i = val.length;
  const start = val[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${StringPrototypeSlice(val, i - 3, i)}${res}`;
  return `${StringPrototypeSlice(val, 0, i)}${res}`;
}

export function outOfRangeMessage(name: string, range: string, input: unknown): string {
  let received: string;
  if (NumberIsInteger(input) && MathAbs(input as number) > 2 ** 32) received = addNumericalSeparator(StringCtor(input));
  else if (typeof input === 'bigint') {
    received = StringCtor(input);
    if (input > 2n ** 32n || input < -(2n ** 32n)) received = addNumericalSeparator(received);
    received += 'n';
  } else received = inspect(input);
  return `The value of "${name}" is out of range. It must be ${range}. Received ${received}`;
}

export const ERR_INVALID_ARG_TYPE = (name: string, expected: string | readonly string[], actual: unknown, skip?: Function) =>
  makeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', invalidArgTypeMessage(name, expected, actual), skip);

export const ERR_OUT_OF_RANGE = (name: string, range: string, input: unknown, skip?: Function) =>
  makeError(RangeErrorCtor, 'ERR_OUT_OF_RANGE', outOfRangeMessage(name, range, input), skip);

export const ERR_UNKNOWN_ENCODING = (encoding: unknown, skip?: Function) =>
  makeError(TypeErrorCtor, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${formatS(encoding)}`, skip);

export const ERR_BUFFER_OUT_OF_BOUNDS = (name?: string, skip?: Function) =>
  makeError(
    RangeErrorCtor,
    'ERR_BUFFER_OUT_OF_BOUNDS',
    name ? `"${name}" is outside of buffer bounds` : 'Attempt to access memory outside buffer bounds',
    skip,
  );

export const ERR_INVALID_ARG_VALUE = (name: string, value: unknown, reason = 'is invalid', skip?: Function) => {
  let inspected = inspect(value);
  if (inspected.length > 128) inspected = `${StringPrototypeSlice(inspected, 0, 128)}...`;
  const type = StringPrototypeIncludes(name, '.') ? 'property' : 'argument';
  return makeError(TypeErrorCtor, 'ERR_INVALID_ARG_VALUE', `The ${type} '${name}' ${reason}. Received ${inspected}`, skip);
};

export const ERR_INVALID_BUFFER_SIZE = (bits: string, skip?: Function) =>
  makeError(RangeErrorCtor, 'ERR_INVALID_BUFFER_SIZE', `Buffer size must be a multiple of ${bits}`, skip);

export const ERR_STRING_TOO_LONG = (skip?: Function) =>
  makeError(ErrorCtor, 'ERR_STRING_TOO_LONG', 'Cannot create a string longer than 0x1fffffe8 characters', skip);

export const ERR_MISSING_ARGS = (name: string, skip?: Function) =>
  makeError(TypeErrorCtor, 'ERR_MISSING_ARGS', `The "${name}" argument must be specified`, skip);

export const ERR_ENCODING_NOT_SUPPORTED = (label: string, skip?: Function) =>
  makeError(RangeErrorCtor, 'ERR_ENCODING_NOT_SUPPORTED', `The "${label}" encoding is not supported`, skip);

export const ERR_ENCODING_INVALID_ENCODED_DATA = (encoding: string, skip?: Function) =>
  makeError(TypeErrorCtor, 'ERR_ENCODING_INVALID_ENCODED_DATA', `The encoded data was not valid for encoding ${encoding}`, skip);

/** V8's String::kMaxLength on 64-bit. */
export const MAX_STRING_LENGTH = 0x1fffffe8;

/** `%s` of util.format: strings as-is, the rest inspected (numbers, symbols, objects). */
function formatS(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return `${StringCtor(value)}n`;
  if (typeof value === 'object' && value !== null) return inspect(value);
  return inspect(value);
}

/** DOMException stand-in for atob/btoa (the isolate has no DOMException). */
export function domException(message: string, name: string, code: number): Error {
  const err = new ErrorCtor(message);
  ObjectDefineProperty(err, 'name', { value: name, writable: true, enumerable: false, configurable: true });
  ObjectDefineProperty(err, 'code', { value: code, writable: true, enumerable: false, configurable: true });
  return err;
}

export { isTypedArray };
