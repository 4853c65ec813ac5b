/**
 * Where the engine host's runtime comes from: the ONE decision between a packaged app and a
 * development checkout. Electron main, the CLI, web mode and the packaging test all get their
 * launcher from here.
 *
 * The engine host never runs on Electron's Node: isolated-vm is compiled for Node's ABI. So a
 * packaged app ships a real Node 24 next to the host bundle, outside the asar (a separate Node
 * process cannot read asar archives, and native modules cannot be loaded from one):
 *
 *   <resources>/engine/bin/node            (bin\node.exe on Windows)
 *   <resources>/engine/host.mjs            the engine host bundled to JavaScript (no type stripping)
 *   <resources>/engine/guest.js            the guest bundle (the host snapshots it at start)
 *   <resources>/engine/node_modules/isolated-vm/…   its .node prebuild for the target
 *
 * <resources> is Electron's process.resourcesPath: `/opt/Isolab/resources` (deb),
 * `$APPDIR/resources` (AppImage), `Isolab.app/Contents/Resources` (macOS),
 * `C:\Program Files\Isolab\resources` (Windows). In development the host is engine/host/main.ts,
 * run by the Node 24 that the project pins as a devDependency.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Node flags the host needs whatever its runtime: isolated-vm 7 requires --no-node-snapshot.
 * --max-semi-space-size bounds the host's own young generation: under a console flood (20,000
 * lines per run, each a host call and then a RunResult) V8 grew it to 128 MB of a 173 MB heap
 * whose live part after a full GC was 17 MB (measured, bench:soak); at 16 MB per semi-space the
 * heap stays near 77 MB at the same throughput.
 */
export const HOST_NODE_FLAGS = ['--no-node-snapshot', '--disable-warning=ExperimentalWarning', '--max-semi-space-size=16'] as const;

/**
 * Environment defaults of the host process; the user's own environment wins. glibc's malloc gives
 * every thread that allocates its own arena (up to 8 per core), isolated-vm runs isolates on a
 * pool of threads, and over a long mixed load those arenas fragment: +40 MB in 8 minutes of the
 * soak, flat with two. Other C libraries ignore the variable.
 */
export const HOST_ENV_DEFAULTS: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** The engine folder under the app's resources, and the files in it (relative, '/'-separated). */
export const PACKAGED_ENGINE_DIR = 'engine';
export const PACKAGED_HOST_ENTRY = 'host.mjs';
export const PACKAGED_GUEST_BUNDLE = 'guest.js';

export function packagedNodeName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'bin/node.exe' : 'bin/node';
}

export interface EngineRuntime {
  /** A Node ≥ 24 executable. */
  node: string;
  /** The host's entry script. */
  hostEntry: string;
  /** Prebuilt guest bundle (packaged apps; development bundles it at host start). */
  guestBundle?: string;
  packaged: boolean;
}

export interface RuntimeContext {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** process.resourcesPath of a packaged Electron app; undefined in development. */
  resourcesPath?: string;
  /** The repository root (development only). */
  repoRoot: string;
  /** The pinned `node` devDependency's executable, if installed. */
  pinnedNode: () => string | undefined;
  /** This process, which may itself qualify as the host's Node. */
  self: { execPath: string; nodeMajor: number; electron: boolean };
  exists: (path: string) => boolean;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function pinnedNodeOfRepo(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('node/package.json');
    const candidate = join(dirname(pkg), 'bin', 'node');
    return existsSync(candidate) ? candidate : undefined;
  } catch {
    return undefined; // not installed
  }
}

export interface RuntimeLocation {
  /** process.resourcesPath, for a packaged app. */
  resourcesPath?: string;
  /** The repository root, when the caller knows it better than this module (Electron's bundled main). */
  repoRoot?: string;
}

export function currentRuntimeContext(location: RuntimeLocation = {}): RuntimeContext {
  return {
    platform: process.platform,
    env: process.env,
    resourcesPath: location.resourcesPath,
    repoRoot: location.repoRoot ?? REPO_ROOT,
    pinnedNode: pinnedNodeOfRepo,
    self: { execPath: process.execPath, nodeMajor: Number(process.versions.node.split('.')[0]), electron: Boolean(process.versions.electron) },
    exists: existsSync,
  };
}

/** The engine runtime for this context: the packaged one when resourcesPath is given, else the repository's. */
export function resolveEngineRuntime(context: RuntimeContext = currentRuntimeContext()): EngineRuntime {
  return context.resourcesPath !== undefined ? packagedRuntime(context, context.resourcesPath) : developmentRuntime(context);
}

function packagedRuntime(context: RuntimeContext, resourcesPath: string): EngineRuntime {
  const path = context.platform === 'win32' ? win32 : posix;
  const engineDir = path.join(resourcesPath, PACKAGED_ENGINE_DIR);
  const runtime: EngineRuntime = {
    node: path.join(engineDir, ...packagedNodeName(context.platform).split('/')),
    hostEntry: path.join(engineDir, PACKAGED_HOST_ENTRY),
    guestBundle: path.join(engineDir, PACKAGED_GUEST_BUNDLE),
    packaged: true,
  };
  // A damaged install says which file is missing instead of failing later with a spawn ENOENT.
  for (const file of [runtime.node, runtime.hostEntry, runtime.guestBundle!]) {
    if (!context.exists(file)) throw new Error(`This Isolab installation is incomplete: ${file} is missing (reinstall Isolab)`);
  }
  return runtime;
}

function developmentRuntime(context: RuntimeContext): EngineRuntime {
  const path = context.platform === 'win32' ? win32 : posix;
  return { node: developmentNode(context), hostEntry: path.join(context.repoRoot, 'engine', 'host', 'main.ts'), packaged: false };
}

/** The first Node ≥ 24: $ISOLAB_NODE, the pinned `node` package, or this process if it qualifies. */
function developmentNode(context: RuntimeContext): string {
  if (context.env.ISOLAB_NODE) return context.env.ISOLAB_NODE;
  const pinned = context.pinnedNode();
  if (pinned) return pinned;
  if (context.self.nodeMajor >= 24 && !context.self.electron) return context.self.execPath;
  throw new Error('Isolab needs Node.js 24 or newer for its engine host: run `npm install` (it pins Node 24), or set ISOLAB_NODE to a Node 24 executable');
}
