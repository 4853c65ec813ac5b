/**
 * The examples gallery: the scripts in resources/examples, bundled as text. Each one opens with a
 * comment whose first line is its title and whose next lines say what to try.
 */
const files = import.meta.glob('../../../../resources/examples/*.{js,ts}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Example {
  file: string;
  title: string;
  summary: string;
  content: string;
}

/** Title and first sentence from the leading `//` comment block. */
export function describeExample(file: string, content: string): Example {
  const comment: string[] = [];
  for (const line of content.split('\n')) {
    const match = /^\/\/\s?(.*)$/.exec(line);
    if (!match) break;
    comment.push(match[1]!);
  }
  const title = comment[0]?.trim() || file;
  const body = comment.slice(1).join(' ').replace(/\s+/g, ' ').trim();
  const sentence = /^(.*?[.!?])(\s|$)/.exec(body)?.[1] ?? body;
  return { file, title, summary: sentence, content };
}

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
