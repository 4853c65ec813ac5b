/**
 * The conformance suite: expressions over `Buffer`, `TextEncoder`, `TextDecoder`, `atob`, `btoa`,
 * written from Node's documentation and the expectations of Node's test/parallel/test-buffer-*.js
 * (encodings, invalid input, the read/write family, edge offsets, error classes and codes).
 *
 * Each case is evaluated twice, with host Node's globals and with the sandbox's, and the described
 * outcomes (value bytes, or error class|name|code|message) must be identical. The unit tests do
 * this with the guest module in-process; test/integration/buffer-sandbox.test.ts runs the same list
 * inside a real isolate. A few cases also pin literal values (LITERAL_CASES) so that the suite does
 * not depend on the host alone.
 */

const ENCODINGS = [
  'utf8', 'utf-8', 'UTF8', 'Utf-8', 'hex', 'HEX', 'base64', 'Base64', 'base64url', 'latin1', 'binary', 'ascii',
  'utf16le', 'utf-16le', 'ucs2', 'ucs-2', 'UCS2',
];

const SAMPLE_STRINGS = [
  '', 'a', 'hello', 'h\u00e9llo w\u00f6rld', '\u20ac', '\u{1F600}', 'x\u{1F600}y', '\ud800', '\udc00', 'a\ud800b', 'a\udc00\ud800b',
  '\ud83d', 'ab\u0000cd', '\u00ff\u0100\u0141', 'deadbeef', 'DEADBEEF', 'abz', '0g12', '123', '1x', 'zz', 'aGVsbG8=', 'aGVs bG8=',
  'aGVs\nbG8=\n', 'aGVs*bG8=', 'aGVsbG8=aGVs', 'aGV=sbG8', 'YQ', 'YQ=', 'Y===', '-_-_', '+/+/', 'a=b=c', 'ab==c', '=abc',
  'ab\u0100cd', 'ab\u013dcd', 'ab\u0141\u0142', 'SGVsbG8gV29ybGQh', 'SGVsbG8gV29ybGQ', '  ', '\t\r\n', '\u00e9\u00e8',
];

const SAMPLE_BYTES = [
  [], [0], [0x61, 0x62, 0x63], [0xff], [0x80], [0xc0, 0x80], [0xc2, 0xa9], [0xc2], [0xe0, 0x80, 0x80], [0xe0, 0xa0, 0x80],
  [0xed, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xef, 0xbb, 0xbf, 0x41], [0xf0, 0x9f, 0x98, 0x80], [0xf0, 0x9f, 0x98], [0xf0, 0x8f, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf5, 0x80], [0xe2, 0x82, 0x41], [0x41, 0xe2, 0x82], [0x00, 0xd8, 0x41, 0x00],
  [0x3d, 0xd8, 0x00, 0xde], [0x41, 0x00, 0x42], [0xfe, 0xff, 0x00, 0x80, 0x7f], [0x9f, 0x92, 0x96],
];

const js = (v: unknown) => JSON.stringify(v);

export interface Case {
  readonly expr: string;
}

function encodingCases(out: string[]): void {
  for (const enc of ENCODINGS) {
    for (const s of SAMPLE_STRINGS) {
      out.push(`Buffer.from(${js(s)}, ${js(enc)})`);
      out.push(`Buffer.byteLength(${js(s)}, ${js(enc)})`);
    }
    for (const bytes of SAMPLE_BYTES) {
      out.push(`Buffer.from(${js(bytes)}).toString(${js(enc)})`);
    }
    out.push(`Buffer.from([1,2,3,4,5,6,7]).toString(${js(enc)}, 1, 6)`);
    out.push(`Buffer.isEncoding(${js(enc)})`);
    out.push(`Buffer.alloc(9, 'ab', ${js(enc)})`);
    out.push(`Buffer.from('abcdef').indexOf(Buffer.from('cd').toString(${js(enc)}), 0, ${js(enc)})`);
  }
  for (const s of SAMPLE_STRINGS) {
    out.push(`(() => { const b = Buffer.alloc(5); const n = b.write(${js(s)}); return [n, b]; })()`);
    out.push(`(() => { const b = Buffer.alloc(5); const n = b.write(${js(s)}, 1, 3, 'utf16le'); return [n, b]; })()`);
    out.push(`(() => { const b = Buffer.alloc(4); const n = b.write(${js(s)}, 'base64'); return [n, b]; })()`);
    out.push(`(() => { const b = Buffer.alloc(3); const n = b.write(${js(s)}, 0, 'hex'); return [n, b]; })()`);
    out.push(`new TextEncoder().encode(${js(s)})`);
    out.push(`(() => { const u = new Uint8Array(5); const r = new TextEncoder().encodeInto(${js(s)}, u); return [r.read, r.written, u]; })()`);
    out.push(`btoa(${js(s)})`);
    out.push(`atob(${js(s)})`);
  }
  for (const bytes of SAMPLE_BYTES) {
    out.push(`new TextDecoder().decode(new Uint8Array(${js(bytes)}))`);
    out.push(`new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(${js(bytes)}))`);
    out.push(`new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(${js(bytes)}))`);
    out.push(`new TextDecoder('utf-16le').decode(new Uint8Array(${js(bytes)}))`);
    out.push(`new TextDecoder('latin1').decode(new Uint8Array(${js(bytes)}))`);
    out.push(`Buffer.from(${js(bytes)}).toString('utf8', 1)`);
  }
  out.push(`Buffer.from([${Array.from({ length: 256 }, (_, i) => i).join(',')}]).toString('latin1')`);
  out.push(`Buffer.from([${Array.from({ length: 256 }, (_, i) => i).join(',')}]).toString('ascii')`);
  out.push(`Buffer.from([${Array.from({ length: 256 }, (_, i) => i).join(',')}]).toString('base64')`);
  out.push(`Buffer.from([${Array.from({ length: 256 }, (_, i) => i).join(',')}]).toString('base64url')`);
  out.push(`new TextDecoder('windows-1252').decode(Uint8Array.from({ length: 256 }, (_, i) => i))`);
}

const READS = [
  ['readUInt8', 1], ['readInt8', 1], ['readUInt16LE', 2], ['readUInt16BE', 2], ['readInt16LE', 2], ['readInt16BE', 2],
  ['readUInt32LE', 4], ['readUInt32BE', 4], ['readInt32LE', 4], ['readInt32BE', 4], ['readFloatLE', 4], ['readFloatBE', 4],
  ['readDoubleLE', 8], ['readDoubleBE', 8], ['readBigUInt64LE', 8], ['readBigUInt64BE', 8], ['readBigInt64LE', 8], ['readBigInt64BE', 8],
  ['readUint8', 1], ['readUint16LE', 2], ['readUint32BE', 4], ['readBigUint64LE', 8],
] as const;

const OFFSETS = ['0', '1', '-1', '1.5', 'NaN', "'1'", 'undefined', 'null', 'Infinity', '10', '11', '12', '2 ** 53'];

function readWriteCases(out: string[]): void {
  const buf = `Buffer.from([0x80, 0x01, 0xfe, 0xff, 0x7f, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc])`;
  for (const [name] of READS) {
    for (const off of OFFSETS) out.push(`${buf}.${name}(${off})`);
    out.push(`${buf}.${name}()`);
  }
  for (const name of ['readUIntLE', 'readUIntBE', 'readIntLE', 'readIntBE', 'readUintLE', 'readUintBE']) {
    for (const bl of [1, 2, 3, 4, 5, 6, 0, 7, 1.5, "'2'"]) out.push(`${buf}.${name}(0, ${bl})`);
    for (const off of ['6', '7', '-1', '1.5', 'undefined']) out.push(`${buf}.${name}(${off}, 6)`);
  }
  const writes: [string, string[]][] = [
    ['writeUInt8', ['0', '255', '256', '-1', '1.7', 'NaN', "'7'", 'true']],
    ['writeInt8', ['-128', '127', '128', '-129', '-1']],
    ['writeUInt16LE', ['0xffff', '0x10000', '-1', '0x1234']],
    ['writeUInt16BE', ['0xffff', '0x1234', '65536']],
    ['writeInt16LE', ['-32768', '32767', '32768', '-0x1234']],
    ['writeInt16BE', ['-32768', '-32769', '0x1234']],
    ['writeUInt32LE', ['0xffffffff', '2 ** 32', '0x12345678', '-1']],
    ['writeUInt32BE', ['0xffffffff', '0x12345678', '4294967296.5']],
    ['writeInt32LE', ['-(2 ** 31)', '2 ** 31', '-1']],
    ['writeInt32BE', ['-(2 ** 31) - 1', '0x7fffffff', '-2']],
    ['writeFloatLE', ['1.5', '-0', 'NaN', 'Infinity', '3.4e39', '1e-50']],
    ['writeFloatBE', ['1.5', '0.1', "'x'"]],
    ['writeDoubleLE', ['Math.PI', '-0', 'NaN', '1e308']],
    ['writeDoubleBE', ['Math.E', '5e-324']],
    ['writeBigUInt64LE', ['0n', '2n ** 64n - 1n', '2n ** 64n', '-1n', '1', '0x0102030405060708n']],
    ['writeBigUInt64BE', ['0x0102030405060708n', '2n ** 64n']],
    ['writeBigInt64LE', ['-(2n ** 63n)', '2n ** 63n', '-1n']],
    ['writeBigInt64BE', ['-(2n ** 63n) - 1n', '2n ** 63n - 1n', '-2n']],
    ['writeUint8', ['1', '300']],
    ['writeUint32LE', ['1']],
    ['writeBigUint64LE', ['5n']],
  ];
  for (const [name, values] of writes) {
    for (const v of values) {
      for (const off of ['0', '1', '4', '5', '-1', '1.5', "'0'", 'undefined']) {
        out.push(`(() => { const b = Buffer.alloc(9); const r = b.${name}(${v}, ${off}); return [r, b]; })()`);
      }
    }
  }
  const variable: [string, number[], string[]][] = [
    ['writeUIntLE', [1, 2, 3, 4, 5, 6], ['0', '1', '2 ** 48 - 1', '2 ** 48', '-1', '0x123456789a']],
    ['writeUIntBE', [1, 2, 3, 4, 5, 6], ['0', '255', '2 ** 40', '0x123456789abc']],
    ['writeIntLE', [1, 2, 3, 4, 5, 6], ['0', '-1', '-(2 ** 47)', '2 ** 47', '-129', '0x7fffff']],
    ['writeIntBE', [1, 2, 3, 4, 5, 6], ['-1', '-(2 ** 39)', '0x7fffffffff', '-0x800000']],
  ];
  for (const [name, lengths, values] of variable) {
    for (const bl of lengths) {
      for (const v of values) out.push(`(() => { const b = Buffer.alloc(8); const r = b.${name}(${v}, 1, ${bl}); return [r, b]; })()`);
      out.push(`(() => { const b = Buffer.alloc(8); return b.${name}(1, ${9 - bl}, ${bl}); })()`);
      out.push(`(() => { const b = Buffer.alloc(8); return b.${name}(1, undefined, ${bl}); })()`);
    }
    out.push(`Buffer.alloc(8).${name}(1, 0, 7)`);
    out.push(`Buffer.alloc(8).${name}(1, 0, 0)`);
    out.push(`Buffer.alloc(8).${name}(1, 0)`);
  }
  // Round trips through every width.
  for (const bl of [1, 2, 3, 4, 5, 6]) {
    for (const v of [0, 1, 2 ** (8 * bl - 1) - 1, -(2 ** (8 * bl - 1))]) {
      out.push(`(() => { const b = Buffer.alloc(8); b.writeIntLE(${v}, 2, ${bl}); return [b.readIntLE(2, ${bl}), b.readIntBE(2, ${bl}), b.readUIntLE(2, ${bl})]; })()`);
      out.push(`(() => { const b = Buffer.alloc(8); b.writeIntBE(${v}, 1, ${bl}); return [b.readIntBE(1, ${bl}), b.readUIntBE(1, ${bl})]; })()`);
    }
  }
}

function apiCases(out: string[]): void {
  const a = `Buffer.from('abcdefabc')`;
  // indexOf family
  const needles = ["'c'", "'abc'", "'fab'", "''", "'z'", '99', '0x163', '-157', "Buffer.from('bc')", 'new Uint8Array([100, 101])', 'Buffer.alloc(0)', '{}', 'null', "'YmM='"];
  const offsets = ['undefined', '0', '3', '-3', '-100', '100', '8', '9', "'b'", 'null', '[]', '1.9', '-1.9', 'NaN', "'2'", 'Infinity', '-Infinity'];
  for (const n of needles) {
    for (const o of offsets) {
      out.push(`${a}.indexOf(${n}, ${o})`);
      out.push(`${a}.lastIndexOf(${n}, ${o})`);
    }
    out.push(`${a}.includes(${n})`);
    out.push(`${a}.indexOf(${n}, 0, 'latin1')`);
    out.push(`${a}.indexOf(${n}, 0, 'base64')`);
    out.push(`${a}.indexOf(${n}, 0, 'bogus')`);
  }
  const u16 = `Buffer.from('abcdefabc', 'utf16le')`;
  for (const n of ["'c'", "'abc'", "'fa'", "''", "Buffer.from('b', 'utf16le')", "Buffer.from([0, 99])"]) {
    for (const o of ['undefined', '0', '1', '3', '4', '-4', '100', '-100']) {
      out.push(`${u16}.indexOf(${n}, ${o}, 'utf16le')`);
      out.push(`${u16}.lastIndexOf(${n}, ${o}, 'ucs2')`);
    }
  }
  out.push(`Buffer.from('abc').indexOf('x', 0, 'ucs2')`);
  out.push(`Buffer.from('abcd').indexOf('x', 0, 'ucs2')`);
  out.push(`Buffer.from('a').indexOf('a', 0, 'ucs2')`);
  out.push(`Buffer.from('\u00e9t\u00e9').indexOf('t\u00e9')`);
  out.push(`Buffer.from('\u00e9t\u00e9').indexOf('\u00e9', 1, 'latin1')`);
  out.push(`Buffer.from('deadbeef', 'hex').indexOf('beef', 'hex')`);
  out.push(`Buffer.from('deadbeef', 'hex').indexOf('bee', 'hex')`);
  out.push(`Buffer.alloc(0).indexOf('')`);
  out.push(`Buffer.alloc(0).lastIndexOf('')`);
  out.push(`Buffer.alloc(0).indexOf(0)`);

  // fill
  const fills = ["'ab'", "'abc', 'hex'", "'zz', 'hex'", "'6162', 'hex'", "''", "'\u00e9'", "'\u00e9', 'latin1'", "'\u00e9', 'utf16le'", '0x101', '-1', '1.9', 'true', 'null',
    "Buffer.from('xy')", 'Buffer.alloc(0)', "new Uint16Array([0x4142])", "'YWJj', 'base64'", "'a', 'bogus'", "'a', 5", "'a', 1", "'a', 1, 3", "'a', 1, 3, 'latin1'",
    "'a', -1", "'a', 1, 10", "'a', 3, 1", '7, 1.5', "'\u{1F600}'", "'x', 0, 0"];
  for (const f of fills) out.push(`Buffer.alloc(6).fill(${f})`);
  for (const args of ["5, 'abc'", "5, 'abc', 'base64'", "5, 'zz', 'hex'", "3, 0", "3, 1", "-1", "'5'", 'NaN', '2 ** 53', '1.5', "4, ''", "2, Buffer.from('xyz')"]) {
    out.push(`Buffer.alloc(${args})`);
  }
  // from
  for (const src of ['5', 'null', 'undefined', '{}', "{ length: 3, 0: 1, 1: 2, 2: 3 }", "{ length: 'x' }", "{ type: 'Buffer', data: [1, 2, 300] }",
    '[1, 256, -1, 1.5, "7", null]', 'new Uint16Array([0x1234, 0x56])', 'new Float64Array([1.9, -2])', "new String('str')",
    "{ valueOf() { return 'val' } }", "{ [Symbol.toPrimitive]() { return 'prim' } }", "{ valueOf() { return 5 } }", 'Symbol("s")', 'true', '() => 1',
    "Buffer.from('copy')", '[]', 'new ArrayBuffer(4)', '5n']) {
    out.push(`Buffer.from(${src})`);
  }
  for (const args of ['0', '1', '1, 2', '4', '5', '-1', "'1'", 'NaN, 2', '1, 5', '1, -1', '1, NaN', 'undefined, 3', '2.5, 1']) {
    out.push(`Buffer.from(new Uint8Array([1, 2, 3, 4]).buffer, ${args})`);
  }
  out.push(`(() => { const ab = new ArrayBuffer(4); const b = Buffer.from(ab, 1, 2); new Uint8Array(ab)[1] = 9; return b; })()`);
  out.push(`Buffer.from('abc', 'bogus')`);
  out.push(`Buffer.from('abc', '')`);
  out.push(`Buffer.from('abc', 5)`);
  out.push(`Buffer.from('', 'bogus')`);
  out.push(`Buffer(3)`);
  out.push(`Buffer('ab')`);
  out.push(`Buffer(3, 'hex')`);
  out.push(`new Buffer('xy', 'latin1')`);
  // alloc & sizes
  for (const s of ['0', '1', '-0', '8.5', "'3'", 'NaN', '-1', '2 ** 53', 'Infinity', 'undefined', '{}']) {
    out.push(`Buffer.alloc(${s})`);
    out.push(`Buffer.allocUnsafe(${s}).length`);
    out.push(`Buffer.allocUnsafeSlow(${s}).length`);
  }
  out.push(`Buffer.alloc(2 ** 40)`);
  // statics
  for (const e of ["'utf8'", "'UTF-8'", "'hex'", "'binary'", "'ucs-2'", "'bogus'", "''", 'undefined', '5', 'null', "'utf-16'", "'base64URL'"]) {
    out.push(`Buffer.isEncoding(${e})`);
    out.push(`Buffer.from('ab').toString(${e})`);
    out.push(`Buffer.byteLength('\u00e9\u00e9', ${e})`);
  }
  for (const v of ["'abc'", 'new ArrayBuffer(7)', 'new Uint16Array(3)', 'new DataView(new ArrayBuffer(5))', '5', '{}', "Buffer.from('ab')"]) {
    out.push(`Buffer.byteLength(${v})`);
  }
  out.push(`Buffer.isBuffer(Buffer.alloc(1))`);
  out.push(`Buffer.isBuffer(new Uint8Array(1))`);
  out.push(`Buffer.isBuffer('a')`);
  out.push(`Buffer.poolSize`);
  out.push(`Buffer.of(1, 2, 300)`);
  out.push(`Buffer.of()`);
  // compare / equals
  const pairs = [["'abc'", "'abd'"], ["'abc'", "'abc'"], ["'abcd'", "'abc'"], ["''", "'a'"], ["'b'", "'abc'"]];
  for (const [x, y] of pairs) {
    out.push(`Buffer.compare(Buffer.from(${x}), Buffer.from(${y}))`);
    out.push(`Buffer.from(${x}).equals(Buffer.from(${y}))`);
    out.push(`Buffer.from(${x}).compare(Buffer.from(${y}))`);
  }
  for (const args of ['0', '0, 2', '0, 2, 0, 2', '1, 3, 1, 3', '2, 1', '0, 0, 0, 0', '0, 10', '-1', '1.5', "'1'", '5, 6', '0, 3, 5, 6', '0, 3, 0, 10', 'undefined, undefined, 3', '4, 5, 0, 1']) {
    out.push(`Buffer.from('abcdef').compare(Buffer.from('bcd'), ${args})`);
  }
  out.push(`Buffer.compare('a', Buffer.alloc(1))`);
  out.push(`Buffer.compare(Buffer.alloc(1), 1)`);
  out.push(`Buffer.alloc(1).equals('a')`);
  out.push(`Buffer.alloc(1).compare([1])`);
  // concat
  for (const args of ["[Buffer.from('ab'), Buffer.from('cd')]", '[]', "[Buffer.from('ab')], 5", "[Buffer.from('abcd')], 2", "[new Uint8Array([1, 2])]", "'ab'",
    "[Buffer.from('a'), 'b']", "[Buffer.from('ab')], -1", "[Buffer.from('ab')], 1.5", "[Buffer.from('a'), new Uint16Array([1])]", "[Buffer.from('ab')], 0"]) {
    out.push(`Buffer.concat(${args})`);
  }
  // copy
  for (const args of ['', '1', '1, 2', '1, 2, 4', '0, 0, 10', '-1', '0, -1', '0, 7', '0, 0, -1', '10', '0, 4, 2', "'1'", '1.5', 'NaN, NaN', '0, 2, 2']) {
    out.push(`(() => { const t = Buffer.alloc(4); const n = Buffer.from('abcdef').copy(t${args ? ', ' + args : ''}); return [n, t]; })()`);
  }
  out.push(`(() => { const b = Buffer.from('abcdef'); b.copy(b, 2, 0, 4); return b; })()`);
  out.push(`(() => { const b = Buffer.from('abcdef'); b.copy(b, 0, 2); return b; })()`);
  out.push(`Buffer.from('ab').copy('x')`);
  out.push(`(() => { const t = new Uint16Array(2); Buffer.from('abcd').copy(t); return t; })()`);
  // slice / subarray
  for (const args of ['', '1', '1, 3', '-2', '-2, -1', '3, 1', '10', '-10', '1.7, 3.2', "'1'", 'NaN', 'undefined, 2', '0, -0', '2 ** 40', '-(2 ** 40)']) {
    out.push(`Buffer.from('abcdef').slice(${args})`);
    out.push(`Buffer.from('abcdef').subarray(${args})`);
  }
  out.push(`(() => { const b = Buffer.from('abc'); const s = b.slice(1); s[0] = 120; return b; })()`);
  // toString ranges
  for (const args of ["'utf8', 1", "'utf8', 1, 3", "'utf8', -1", "'utf8', 2, 1", "'hex', 0, 100", "'hex', 1.5, 3.5", "undefined, 1", "'latin1', '1', '3'", "'utf8', NaN, NaN",
    "'hex', 0, -1", "'ascii', 10", "'base64', 0, 2", 'null', "'utf8', undefined, 2"]) {
    out.push(`Buffer.from('abc\u00e9def').toString(${args})`);
  }
  out.push(`String(Buffer.from('str'))`);
  out.push(`Buffer.from('abc') + ''`);
  out.push(`\`\${Buffer.from('tpl')}\``);
  out.push(`Buffer.from('ab').toLocaleString()`);
  out.push(`Buffer.from('abc').toJSON()`);
  out.push(`JSON.stringify(Buffer.from('abc'))`);
  out.push(`JSON.stringify({ b: Buffer.alloc(0) })`);
  out.push(`Buffer.from(JSON.parse(JSON.stringify(Buffer.from('rt'))))`);
  out.push(`Buffer.from('abc').inspect()`);
  out.push(`Buffer.alloc(60).inspect()`);
  out.push(`Buffer.alloc(51).inspect()`);
  out.push(`Buffer.alloc(0).inspect()`);
  // swap
  for (const n of [0, 2, 3, 4, 8, 9, 16, 130]) {
    const bytes = `Buffer.from(Array.from({ length: ${n} }, (_, i) => i))`;
    out.push(`${bytes}.swap16()`);
    out.push(`${bytes}.swap32()`);
    out.push(`${bytes}.swap64()`);
  }
  // write argument handling
  for (const args of ["'xy'", "'xy', 1", "'xy', 1, 1", "'xy', 'latin1'", "'xy', 1, 'hex'", "'xy', -1", "'xy', 5", "'xy', 1.5", "'xy', 0, 10", "'xy', 0, -1", "'xy', 0, 1, 'bogus'", '5', "'xy', '1'",
    "'\u00e9\u00e9', 0, 3", "'\u{1F600}', 1", "'\u{1F600}', 0, 3", "'abcd', 2, 'ucs2'", "'616263', 'hex'", "'YWJj', 0, 2, 'base64'"]) {
    out.push(`(() => { const b = Buffer.alloc(4); const n = b.write(${args}); return [n, b]; })()`);
  }
  // copyBytesFrom
  for (const args of ["new Uint16Array([1, 2, 3])", "new Uint16Array([1, 2, 3]), 1", "new Uint16Array([1, 2, 3]), 1, 1", "new Uint16Array([1, 2, 3]), 5", "new Float32Array([1.5]), 0, 1",
    "new Uint8Array(0)", "[1, 2]", "new Uint8Array([1]), -1", "new Uint8Array([1]), 1.5", "new Uint8Array([1, 2]), 0, '1'"]) {
    out.push(`Buffer.copyBytesFrom(${args})`);
  }
  // iteration and typed-array behaviour inherited from Uint8Array
  out.push(`[...Buffer.from('ab')]`);
  out.push(`[...Buffer.from('ab').entries()].map(String)`);
  out.push(`[...Buffer.from('ab').keys()]`);
  out.push(`Buffer.from('abc').map((x) => x + 1)`);
  out.push(`Buffer.from('abc').filter((x) => x > 97)`);
  out.push(`Buffer.from('abc').reverse()`);
  out.push(`Buffer.from('abc') instanceof Uint8Array`);
  out.push(`Buffer.from('abc').constructor === Buffer`);
  out.push(`Object.getPrototypeOf(Buffer) === Uint8Array`);
  out.push(`Buffer.from('abc').parent === Buffer.from('abc').buffer`);
  out.push(`Buffer.prototype.readUint8 === Buffer.prototype.readUInt8`);
  out.push(`Buffer.prototype.toLocaleString === Buffer.prototype.toString`);
  out.push(`Object.keys(Buffer.prototype).length > 0`);
  out.push(`typeof Buffer.prototype.utf8Slice`);
  out.push(`Buffer.from('abc').utf8Slice(1, 3)`);
  out.push(`Buffer.from('abc').hexSlice()`);
  out.push(`Buffer.from('abc').latin1Slice(0, 2)`);
  out.push(`(() => { const b = Buffer.alloc(3); return [b.hexWrite('abcd', 1), b]; })()`);
  // TextDecoder / TextEncoder / atob / btoa extras
  out.push(`new TextDecoder().encoding`);
  out.push(`new TextDecoder('  UTF8 ').encoding`);
  out.push(`new TextDecoder('ascii').encoding`);
  out.push(`new TextDecoder('utf-16').encoding`);
  out.push(`new TextDecoder('bogus')`);
  out.push(`new TextDecoder('utf-8', { fatal: true }).fatal`);
  out.push(`new TextDecoder().ignoreBOM`);
  out.push(`new TextDecoder().decode()`);
  out.push(`new TextDecoder().decode('str')`);
  out.push(`new TextDecoder().decode(new Uint16Array([0x6261]))`);
  out.push(`new TextDecoder().decode(new Uint8Array([0x61, 0x62]).buffer)`);
  out.push(`new TextDecoder().decode(new DataView(new Uint8Array([0x61]).buffer))`);
  out.push(`(() => { const d = new TextDecoder(); return [d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }), d.decode(new Uint8Array([0xac]))]; })()`);
  out.push(`(() => { const d = new TextDecoder(); return [d.decode(new Uint8Array([0xf0]), { stream: true }), d.decode(new Uint8Array([0x9f, 0x98]), { stream: true }), d.decode(new Uint8Array([0x80, 0x41]))]; })()`);
  out.push(`(() => { const d = new TextDecoder(); return [d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }), d.decode()]; })()`);
  out.push(`(() => { const d = new TextDecoder(); return [d.decode(new Uint8Array([0xef, 0xbb]), { stream: true }), d.decode(new Uint8Array([0xbf, 0x41]), { stream: true }), d.decode(new Uint8Array([0xef, 0xbb, 0xbf]))]; })()`);
  out.push(`(() => { const d = new TextDecoder('utf-16le'); return [d.decode(new Uint8Array([0x41]), { stream: true }), d.decode(new Uint8Array([0x00, 0x3d, 0xd8]), { stream: true }), d.decode(new Uint8Array([0x00, 0xde]))]; })()`);
  out.push(`new TextDecoder('utf-16le').decode(new Uint8Array([0xff, 0xfe, 0x41, 0x00]))`);
  out.push(`new TextDecoder('utf-16le', { fatal: true }).decode(new Uint8Array([0x00, 0xd8]))`);
  out.push(`new TextEncoder().encoding`);
  out.push(`new TextEncoder().encode()`);
  out.push(`new TextEncoder().encode(123)`);
  out.push(`new TextEncoder().encodeInto('a', [])`);
  out.push(`Object.prototype.toString.call(new TextEncoder())`);
  out.push(`Object.prototype.toString.call(new TextDecoder())`);
  out.push(`atob()`);
  out.push(`btoa()`);
  out.push(`atob(null)`);
  out.push(`atob(undefined)`);
  out.push(`btoa(null)`);
  out.push(`atob(' YW Jj ')`);
  out.push(`atob('YQ==')`);
  out.push(`atob('YQ=')`);
  out.push(`atob('YQ-_')`);
  out.push(`atob('YWJj\\f')`);
  out.push(`btoa('\u00ff\u00fe')`);
  out.push(`btoa('\u0100')`);
}

export function conformanceCases(): string[] {
  const out: string[] = [];
  encodingCases(out);
  readWriteCases(out);
  apiCases(out);
  return out;
}

/** Values pinned from Node's documentation, independent of the host. */
export const LITERAL_CASES: [string, string][] = [
  [`Buffer.from('tést').toString('hex')`, `string:"74c3a97374"`],
  [`Buffer.from('1ag123', 'hex')`, `Buffer<1a>`],
  [`Buffer.from('1a7', 'hex')`, `Buffer<1a>`],
  [`Buffer.from('this is a tést').toString('base64')`, `string:"dGhpcyBpcyBhIHTDqXN0"`],
  [`Buffer.from('dGhpcyBpcyBhIHTDqXN0', 'base64').toString()`, `string:"this is a tést"`],
  [`Buffer.from([0x62, 0x75, 0x66, 0x66, 0x65, 0x72]).toString()`, `string:"buffer"`],
  [`Buffer.from('\\u00bd + \\u00bc = \\u00be').length`, `number:12`],
  [`Buffer.byteLength('\\u00bd + \\u00bc = \\u00be', 'utf8')`, `number:12`],
  [`Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).swap16()`, `Buffer<0201040306050807>`],
  [`Buffer.from([0x12, 0x34, 0x56]).readUIntBE(0, 3).toString(16)`, `string:"123456"`],
  [`Buffer.from([0, 5]).readInt16BE(0)`, `number:5`],
  [`Buffer.from([1, 2, 3, 4]).readUInt32LE(1)`, `throw:RangeError|RangeError|ERR_OUT_OF_RANGE|The value of "offset" is out of range. It must be >= 0 and <= 0. Received 1`],
  [`Buffer.alloc(5, 'aGVsbG8gd29ybGQ=', 'base64')`, `Buffer<68656c6c6f>`],
  [`Buffer.from('buffer').indexOf('ff')`, `number:2`],
  [`Buffer.from('this buffer is a buffer').lastIndexOf('buffer', -7)`, `number:5`],
  [`Buffer.from('abc').toString('bogus')`, `throw:TypeError|TypeError|ERR_UNKNOWN_ENCODING|Unknown encoding: bogus`],
  [`Buffer.from(5)`, `throw:TypeError|TypeError|ERR_INVALID_ARG_TYPE|The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received type number (5)`],
  [`Buffer.alloc(-1)`, `throw:RangeError|RangeError|ERR_OUT_OF_RANGE|The value of "size" is out of range. It must be >= 0 && <= 9007199254740991. Received -1`],
  [`Buffer.alloc(4).fill('zz', 'hex')`, `throw:TypeError|TypeError|ERR_INVALID_ARG_VALUE|The argument 'value' is invalid. Received 'zz'`],
  [`Buffer.from([1, 2, 3]).swap16()`, `throw:RangeError|RangeError|ERR_INVALID_BUFFER_SIZE|Buffer size must be a multiple of 16-bits`],
  [`Buffer.from('\\ud800').toString('hex')`, `string:"efbfbd"`],
  [`atob('a')`, `throw:Error|InvalidCharacterError|5|The string to be decoded is not correctly encoded.`],
];
