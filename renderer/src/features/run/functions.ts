/**
 * The functions a script defines at top level, for the "Call a function" picker. A lexical scan,
 * not a parser: it must work on TypeScript and on half-typed code, and an unparsable script should
 * still offer its functions. Only unindented declarations count as top level.
 */
const PATTERNS = [
  /^(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(/,
  /^(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/,
];

export function topLevelFunctions(source: string): string[] {
  const names: string[] = [];
  let inBlockComment = false;
  for (const line of source.split('\n')) {
    if (inBlockComment) {
      if (line.includes('*/')) inBlockComment = false;
      continue;
    }
    if (/^\s*\/\*/.test(line) && !line.includes('*/')) {
      inBlockComment = true;
      continue;
    }
    for (const pattern of PATTERNS) {
      const match = pattern.exec(line);
      if (match && !names.includes(match[1]!)) names.push(match[1]!);
    }
  }
  return names;
}

/** Parses the arguments box: a JSON array, or a bare list of JSON values (`2, 3`). */
export function parseArgs(text: string): { ok: true; args: unknown[] } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, args: [] };
  const source = trimmed.startsWith('[') ? trimmed : `[${trimmed}]`;
  try {
    const value: unknown = JSON.parse(source);
    if (!Array.isArray(value)) return { ok: false, message: 'arguments must be a JSON array' };
    return { ok: true, args: value };
  } catch (error) {
    return { ok: false, message: `not JSON: ${(error as Error).message}` };
  }
}
