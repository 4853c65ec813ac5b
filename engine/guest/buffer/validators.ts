/** Node's argument validators (lib/internal/validators.js) and the bounds helpers of internal/buffer. */
import { ERR_BUFFER_OUT_OF_BOUNDS, ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE } from './errors.ts';
import { MathFloor, NumberIsInteger, NumberIsNaN, TypedArrayPrototypeGetLength } from '../primordials.ts';

/** buffer.constants.MAX_LENGTH on 64-bit Node 22+. */
export const kMaxLength = 2 ** 53 - 1;

export function validateNumber(value: unknown, name: string, min?: number, max?: number): asserts value is number {
  if (typeof value !== 'number') throw ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (
    (min != null && value < min) ||
    (max != null && value > max) ||
    ((min != null || max != null) && NumberIsNaN(value))
  ) {
    throw ERR_OUT_OF_RANGE(
      name,
      `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}${max != null ? `<= ${max}` : ''}`,
      value,
    );
  }
}

export function validateOffset(value: unknown, name: string, min = 0, max = kMaxLength): asserts value is number {
  if (typeof value !== 'number') throw ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!NumberIsInteger(value)) throw ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > max) throw ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

export function validateInteger(value: unknown, name: string, min = -(2 ** 53 - 1), max = 2 ** 53 - 1): asserts value is number {
  if (typeof value !== 'number') throw ERR_INVALID_ARG_TYPE(name, 'number', value);
  if (!NumberIsInteger(value)) throw ERR_OUT_OF_RANGE(name, 'an integer', value);
  if (value < min || value > max) throw ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, value);
}

export function boundsError(value: number, length: number, type?: string): never {
  if (MathFloor(value) !== value) {
    validateNumber(value, type ?? 'offset');
    throw ERR_OUT_OF_RANGE(type || 'offset', 'an integer', value);
  }
  if (length < 0) throw ERR_BUFFER_OUT_OF_BOUNDS();
  throw ERR_OUT_OF_RANGE(type || 'offset', `>= ${type ? 1 : 0} and <= ${length}`, value);
}

export function checkBounds(buf: Uint8Array, offset: unknown, byteLength: number): void {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + byteLength] === undefined) boundsError(offset, TypedArrayPrototypeGetLength(buf) - (byteLength + 1));
}

export function checkInt(value: number | bigint, min: number | bigint, max: number | bigint, buf: Uint8Array, offset: unknown, byteLength: number): void {
  if (value > max || value < min) {
    const n = typeof min === 'bigint' ? 'n' : '';
    let range: string;
    if (byteLength > 3) {
      if (min === 0 || min === 0n) range = `>= 0${n} and < 2${n} ** ${(byteLength + 1) * 8}${n}`;
      else range = `>= -(2${n} ** ${(byteLength + 1) * 8 - 1}${n}) and < 2${n} ** ${(byteLength + 1) * 8 - 1}${n}`;
    } else {
      range = `>= ${min}${n} and <= ${max}${n}`;
    }
    throw ERR_OUT_OF_RANGE('value', range, value);
  }
  checkBounds(buf, offset, byteLength);
}
