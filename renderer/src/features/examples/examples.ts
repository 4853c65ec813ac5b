/**
 * Isolab's own examples: the scripts in resources/examples, bundled as text. Each one opens with a
 * comment whose first line is its title and whose next lines say what to try (gallery.ts reads it,
 * and puts a team's own examples next to these).
 */
import { describeExample, type Example } from './gallery.ts';

const files = import.meta.glob('../../../../resources/examples/*.{js,ts}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

const ORDER = [
  'runaway-loop.js',
  'never-settling-promise.js',
  'reused-context.js',
  'buffer-encodings.js',
  'leaking-closure.js',
  'bounded-cache.js',
  'memory-bomb.js',
  'parallel-runs.js',
  'method-call.ts',
];

export const EXAMPLES: Example[] = Object.entries(files)
  .map(([path, content]) => describeExample(path.slice(path.lastIndexOf('/') + 1), content))
  .sort((a, b) => (ORDER.indexOf(a.file) + 1 || 99) - (ORDER.indexOf(b.file) + 1 || 99));
