/**
 * Canonical description of a value or thrown error, used to compare the sandbox Buffer with host
 * Node's. It is kept as source text so the integration tests can run the very same function inside
 * the isolate (where it cannot import anything).
 */
export const DESCRIBE_SOURCE = String.raw`function describe(run) {
  function d(v, depth) {
    if (v === undefined) return 'undefined';
    if (v === null) return 'null';
    var t = typeof v;
    if (t === 'number') return Object.is(v, -0) ? 'number:-0' : 'number:' + String(v);
    if (t === 'bigint') return 'bigint:' + String(v);
    if (t === 'string') return 'string:' + JSON.stringify(v);
    if (t === 'boolean') return 'boolean:' + v;
    if (t === 'symbol' || t === 'function') return t;
    if (ArrayBuffer.isView(v)) {
      var u = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      var hex = '';
      for (var i = 0; i < u.length; i++) hex += (u[i] < 16 ? '0' : '') + u[i].toString(16);
      var kind = Object.prototype.toString.call(v) === '[object Uint8Array]' && typeof Buffer === 'function' && Buffer.isBuffer(v) ? 'Buffer' : Object.prototype.toString.call(v).slice(8, -1);
      return kind + '<' + hex + '>';
    }
    if (depth > 3) return '...';
    if (Array.isArray(v)) { var parts = []; for (var j = 0; j < v.length; j++) parts.push(d(v[j], depth + 1)); return '[' + parts.join(',') + ']'; }
    var keys = Object.keys(v).sort();
    var out = [];
    for (var k = 0; k < keys.length; k++) out.push(keys[k] + '=' + d(v[keys[k]], depth + 1));
    return '{' + out.join(',') + '}';
  }
  try {
    return d(run(), 0);
  } catch (e) {
    if (e === null || typeof e !== 'object') return 'throw:' + d(e, 0);
    var name = e.constructor && e.constructor.name;
    // Node's DOMException is a class of its own; the sandbox uses an Error named the same way.
    if (name === 'DOMException') name = 'Error';
    return 'throw:' + name + '|' + e.name + '|' + (e.code === undefined ? '' : e.code) + '|' + e.message;
  }
}`;

export type DescribeOutcome = (run: () => unknown) => string;

export const describeOutcome: DescribeOutcome = new Function(`return (${DESCRIBE_SOURCE})`)() as DescribeOutcome;
