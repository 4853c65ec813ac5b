/**
 * The sandbox's `buffer` module: what `import { Buffer } from 'buffer'` or `require('node:buffer')`
 * gives a module script. Node's exports over the sandbox's own Buffer; `INSPECT_MAX_BYTES` is a
 * validated accessor, as in Node, and what it is set to is what inspecting a Buffer shows.
 */
import { BUFFER_MODULE_KEY } from '../../common/guest-abi.ts';
import { ObjectDefineProperty, ObjectSetPrototypeOf, SymbolFor, Uint8ArrayCtor } from '../primordials.ts';
import { inspectLimit, type BufferConstructorLike } from './buffer.ts';
import { MAX_STRING_LENGTH } from './errors.ts';
import { kMaxLength, validateNumber } from './validators.ts';

export function installBufferModule(Buffer: BufferConstructorLike, atob: unknown, btoa: unknown): void {
  const allocUnsafeSlow = Buffer.allocUnsafeSlow as (size: unknown) => Uint8Array;
  // Deprecated in Node (DEP0030) and still exported: a slow buffer is an unpooled one.
  function SlowBuffer(size: unknown): Uint8Array {
    return allocUnsafeSlow(size);
  }
  ObjectSetPrototypeOf(SlowBuffer.prototype, Uint8ArrayCtor.prototype);
  ObjectSetPrototypeOf(SlowBuffer, Uint8ArrayCtor);
  const module = {
    Buffer,
    SlowBuffer,
    kMaxLength,
    kStringMaxLength: MAX_STRING_LENGTH,
    constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH },
    atob,
    btoa,
  };
  ObjectDefineProperty(module, 'INSPECT_MAX_BYTES', {
    get: () => inspectLimit.maxBytes,
    set: (value: unknown) => {
      validateNumber(value, 'INSPECT_MAX_BYTES', 0);
      inspectLimit.maxBytes = value;
    },
    enumerable: true,
    configurable: true,
  });
  ObjectDefineProperty(Buffer, SymbolFor(BUFFER_MODULE_KEY), { value: module, enumerable: false, writable: false, configurable: false });
}
