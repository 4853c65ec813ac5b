// Buffer encodings and a large hex dump
// The sandbox has a Node-compatible Buffer. Run it, then expand the values in the Result panel:
// the 4 KiB buffer opens as a hex dump (offset, bytes, ASCII). Try other encodings, or
// Buffer.from('…', 'base64url').

const text = 'Grüße, 世界! 🚀';
const utf8 = Buffer.from(text, 'utf8');

console.log('utf8 bytes', utf8.length, 'chars', text.length);
console.log('hex     ', utf8.toString('hex'));
console.log('base64  ', utf8.toString('base64'));
console.log('latin1  ', Buffer.from('café', 'latin1'));
console.log('utf16le ', Buffer.from('hi', 'utf16le'));
console.log('round trip ok:', Buffer.from(utf8.toString('base64'), 'base64').toString('utf8') === text);

// A larger buffer: a counting pattern with some text in the middle.
const big = Buffer.alloc(4096);
for (let i = 0; i < big.length; i++) big[i] = i & 0xff;
big.write('Isolab hex dump', 0x100, 'ascii');

return { text, utf8, base64: utf8.toString('base64'), big, crc: big.reduce((a, b) => (a + b) & 0xffff, 0) };
