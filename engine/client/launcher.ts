/**
 * How an engine host process is started. Development and tests run it on the Node 24 binary the
 * project pins as a devDependency; a packaged app supplies its own launcher (the one place that
 * decides how the installed app ships its runtime).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface HostLauncher {
  /** The Node ≥ 24 executable. */
  command: string;
  /** Arguments before the host's own options (flags and the entry script). */
  args: string[];
  env?: Record<string, string>;
}

export const HOST_ENTRY = fileURLToPath(new URL('../host/main.ts', import.meta.url));

/** The first Node ≥ 24: $ISOLAB_NODE, the pinned `node` package, or this process if it qualifies. */
export function resolveNode24(): string {
  const fromEnv = process.env.ISOLAB_NODE;
  if (fromEnv) return fromEnv;
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('node/package.json');
    const candidate = join(dirname(pkg), 'bin', 'node');
    if (existsSync(candidate)) return candidate;
  } catch {
    /* not installed: fall through */
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 24 && !process.versions.electron) return process.execPath;
  throw new Error('Isolab needs Node.js 24 or newer for its engine host: run `npm install` (it pins Node 24), or set ISOLAB_NODE to a Node 24 executable');
}

export function defaultLauncher(): HostLauncher {
  return {
    command: resolveNode24(),
    args: ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', HOST_ENTRY],
  };
}
