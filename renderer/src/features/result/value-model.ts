/**
 * Encoded values (engine/common/value.ts) seen as a tree: a one-line summary for every node and
 * the children of the expandable ones. Pure, so the tree view and "copy as JSON" share it and it
 * can be tested without a DOM.
 */
import { formatPreview, formatValue } from '../../../../engine/common/format.ts';
import { base64ToBytes, isTagged, type Encoded } from '../../../../engine/common/value.ts';

export interface Child {
  /** Property name, index, or the formatted key of a Map entry. */
  key: string;
  value: Encoded;
  /** Map entries show `key => value`. */
  arrow?: boolean;
}

export type Leaf = 'string' | 'number' | 'boolean' | 'null' | 'special';

/** The class of leaf, for colouring; null when the node can expand. */
export function leafKind(value: Encoded): Leaf | null {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (childrenOf(value).length > 0) return null;
  if (isTagged(value) && (value.$isolab === 'number' || value.$isolab === 'bigint')) return 'number';
  return 'special';
}

export function summary(value: Encoded): string {
  return formatPreview(value);
}

/** A heading for an expandable node: `Array(3)`, `Map(2)`, `Buffer(1024)`, `Foo {…}`. */
export function heading(value: Encoded): string {
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (!isTagged(value)) return 'Object';
  switch (value.$isolab) {
    case 'array':
      return `Array(${value.length})`;
    case 'map':
      return `Map(${value.size})`;
    case 'set':
      return `Set(${value.size})`;
    case 'bytes':
      return `${value.kind}(${value.length})`;
    case 'object':
      return value.className ?? '[Object: null prototype]';
    case 'error':
      return value.name;
    default:
      return value.$isolab;
  }
}

export function childrenOf(value: Encoded): Child[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.map((v, i) => ({ key: String(i), value: v }));
  if (!isTagged(value)) return Object.entries(value).map(([key, v]) => ({ key, value: v }));
  switch (value.$isolab) {
    case 'array': {
      const out: Child[] = value.items.map((v, i) => ({ key: String(i), value: v }));
      if (value.more) out.push({ key: '…', value: { $isolab: 'preview', className: 'more', text: `${value.more} more items` } });
      return out;
    }
    case 'object': {
      const out: Child[] = Object.entries(value.props).map(([key, v]) => ({ key, value: v }));
      if (value.more) out.push({ key: '…', value: { $isolab: 'preview', className: 'more', text: `${value.more} more properties` } });
      return out;
    }
    case 'map': {
      const out: Child[] = value.entries.map(([k, v]) => ({ key: formatValue(k, { rawStrings: false }), value: v, arrow: true }));
      if (value.more) out.push({ key: '…', value: { $isolab: 'preview', className: 'more', text: `${value.more} more entries` } });
      return out;
    }
    case 'set': {
      const out: Child[] = value.values.map((v, i) => ({ key: String(i), value: v }));
      if (value.more) out.push({ key: '…', value: { $isolab: 'preview', className: 'more', text: `${value.more} more values` } });
      return out;
    }
    case 'error': {
      const out: Child[] = [
        { key: 'name', value: value.name },
        { key: 'message', value: value.message },
      ];
      if (value.stack) out.push({ key: 'stack', value: { $isolab: 'preview', className: 'stack', text: value.stack } });
      for (const [key, v] of Object.entries(value.props ?? {})) out.push({ key, value: v });
      return out;
    }
    case 'bytes': {
      const rows = hexDump(base64ToBytes(value.base64));
      const out: Child[] = rows.map((row) => ({ key: row.offset, value: { $isolab: 'preview', className: 'hex', text: row.text } }));
      const shown = base64ToBytes(value.base64).length;
      if (value.length > shown) out.push({ key: '…', value: { $isolab: 'preview', className: 'more', text: `${value.length - shown} more bytes` } });
      return out;
    }
    default:
      return [];
  }
}

/** Rows of 16 bytes: offset, hex, and the printable ASCII, as `xxd` shows them. */
export function hexDump(bytes: Uint8Array, maxRows = 256): { offset: string; text: string }[] {
  const rows: { offset: string; text: string }[] = [];
  for (let start = 0; start < bytes.length && rows.length < maxRows; start += 16) {
    const chunk = bytes.subarray(start, start + 16);
    const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push({ offset: start.toString(16).padStart(8, '0'), text: `${hex.padEnd(47)}  ${ascii}` });
  }
  return rows;
}

/**
 * Plain JSON for the clipboard. Values JSON cannot hold become their closest JSON shape (Map →
 * object of formatted keys, Set → array, BigInt → string, bytes → array of numbers) or, for what
 * has no data at all (functions, symbols), their preview text.
 */
export function toPlainJson(value: Encoded): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (!isTagged(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlainJson(v)]));
  switch (value.$isolab) {
    case 'undefined':
    case 'hole':
      return null;
    case 'number':
      return value.value === '-0' ? 0 : null;
    case 'bigint':
      return value.value;
    case 'date':
      return value.iso;
    case 'array':
      return value.items.map(toPlainJson);
    case 'object':
      return Object.fromEntries(Object.entries(value.props).map(([k, v]) => [k, toPlainJson(v)]));
    case 'map':
      return Object.fromEntries(value.entries.map(([k, v]) => [typeof k === 'string' ? k : formatValue(k), toPlainJson(v)]));
    case 'set':
      return value.values.map(toPlainJson);
    case 'bytes':
      return Array.from(base64ToBytes(value.base64));
    case 'error':
      return { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) };
    default:
      return formatValue(value);
  }
}
