/** The script a brand-new workspace starts with: short, runnable, and showing what the tool does. */
export const WELCOME_SCRIPT_NAME = 'welcome.js';

export const WELCOME_SCRIPT = `// Welcome to Isolab: this script runs in its own V8 isolate.
// Ctrl/Cmd+Enter runs it; what it returns shows up as the result.

const started = performance.now();
const primes = [];
for (let n = 2; primes.length < 1000; n++) {
  if (primes.every((p) => p * p > n || n % p !== 0)) primes.push(n);
}
const ms = (performance.now() - started).toFixed(2);
console.log('found', primes.length, 'primes in', ms, 'ms');

// Top-level await works. An endless loop is ended by the timeout
// or by the Stop button.
await new Promise((resolve) => setTimeout(resolve, 100));

return { last: primes.at(-1), first: new Map([['first', primes[0]]]) };
`;
