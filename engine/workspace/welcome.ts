/** The script a brand-new workspace starts with: short, runnable, and showing what the tool does. */
export const WELCOME_SCRIPT_NAME = 'welcome.js';

export const WELCOME_SCRIPT = `// Welcome to Isolab. This script runs in its own V8 isolate, not in the app.
// Press Ctrl/Cmd+Enter to run it; the value of the last \`return\` shows up as the result.

const started = performance.now();
const primes = [];
for (let n = 2; primes.length < 1000; n++) {
  if (primes.every((p) => p * p > n || n % p !== 0)) primes.push(n);
}
console.log('found', primes.length, 'primes in', (performance.now() - started).toFixed(2), 'ms');

// Top-level await works, and an endless loop is stopped by the timeout or the Stop button.
await new Promise((resolve) => setTimeout(resolve, 100));

return { last: primes.at(-1), sample: new Map([['first', primes[0]]]) };
`;
