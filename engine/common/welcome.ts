/**
 * The script a brand-new workspace starts with (the renderer writes it too, as scratch.js, when it
 * finds a workspace without scripts): short, runnable, and showing what the tool does.
 */
import { SHORTCUTS, chordLabel } from './shortcuts.ts';

export const WELCOME_SCRIPT_NAME = 'welcome.js';

export const WELCOME_SCRIPT = `// Welcome to Isolab: this script runs in its own V8 isolate.
// ${chordLabel(SHORTCUTS.run.keys[0], 'doc')} runs it; what it returns shows up as the result.

const started = performance.now();
const primes = [];
for (let n = 2; primes.length < 1000; n++) {
  if (primes.every((p) => p * p > n || n % p !== 0)) primes.push(n);
}
const ms = (performance.now() - started).toFixed(2);
console.log('found', primes.length, 'primes in', ms, 'ms');

// Top-level await works. An endless loop is ended by the timeout,
// by the Stop button or by ${chordLabel(SHORTCUTS.stop.keys[0], 'doc')}.
await new Promise((resolve) => setTimeout(resolve, 100));

return { last: primes.at(-1), first: new Map([['first', primes[0]]]) };
`;
