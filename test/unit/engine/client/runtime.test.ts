/**
 * The engine runtime decision: packaged app (Node, host bundle and guest bundle under the app's
 * resources, per platform) versus development (the repository's host on the pinned Node 24).
 */
import { describe, expect, it } from 'vitest';
import { launcherFor } from '../../../../engine/client/launcher.ts';
import { resolveEngineRuntime, type RuntimeContext } from '../../../../engine/client/runtime.ts';

function context(overrides: Partial<RuntimeContext> = {}): RuntimeContext {
  return {
    platform: 'linux',
    env: {},
    repoRoot: '/src/isolab',
    pinnedNode: () => '/src/isolab/node_modules/node/bin/node',
    self: { execPath: '/usr/bin/node', nodeMajor: 20, electron: false },
    exists: () => true,
    ...overrides,
  };
}

describe('packaged runtime', () => {
  const cases: [NodeJS.Platform, string, { node: string; host: string; guest: string }][] = [
    ['linux', '/opt/Isolab/resources', { node: '/opt/Isolab/resources/engine/bin/node', host: '/opt/Isolab/resources/engine/host.mjs', guest: '/opt/Isolab/resources/engine/guest.js' }],
    ['linux', '/tmp/.mount_IsolabX1/resources', { node: '/tmp/.mount_IsolabX1/resources/engine/bin/node', host: '/tmp/.mount_IsolabX1/resources/engine/host.mjs', guest: '/tmp/.mount_IsolabX1/resources/engine/guest.js' }],
    [
      'darwin',
      '/Applications/Isolab.app/Contents/Resources',
      {
        node: '/Applications/Isolab.app/Contents/Resources/engine/bin/node',
        host: '/Applications/Isolab.app/Contents/Resources/engine/host.mjs',
        guest: '/Applications/Isolab.app/Contents/Resources/engine/guest.js',
      },
    ],
    [
      'win32',
      'C:\\Program Files\\Isolab\\resources',
      {
        node: 'C:\\Program Files\\Isolab\\resources\\engine\\bin\\node.exe',
        host: 'C:\\Program Files\\Isolab\\resources\\engine\\host.mjs',
        guest: 'C:\\Program Files\\Isolab\\resources\\engine\\guest.js',
      },
    ],
  ];
  for (const [platform, resourcesPath, expected] of cases) {
    it(`${platform}: ${resourcesPath}`, () => {
      const runtime = resolveEngineRuntime(context({ platform, resourcesPath }));
      expect(runtime).toEqual({ node: expected.node, hostEntry: expected.host, guestBundle: expected.guest, packaged: true });
      const launcher = launcherFor(runtime);
      expect(launcher.command).toBe(expected.node);
      expect(launcher.args).toEqual(['--no-node-snapshot', '--disable-warning=ExperimentalWarning', '--max-semi-space-size=16', expected.host]);
      expect(launcher.env).toEqual({ ISOLAB_GUEST_BUNDLE: expected.guest });
    });
  }

  it('uses its own Node even when ISOLAB_NODE or a pinned Node exists (the tested runtime ships with the app)', () => {
    const runtime = resolveEngineRuntime(context({ resourcesPath: '/opt/Isolab/resources', env: { ISOLAB_NODE: '/elsewhere/node' } }));
    expect(runtime.node).toBe('/opt/Isolab/resources/engine/bin/node');
  });

  it('names the missing file of an incomplete installation', () => {
    const missing = '/opt/Isolab/resources/engine/host.mjs';
    expect(() => resolveEngineRuntime(context({ resourcesPath: '/opt/Isolab/resources', exists: (p) => p !== missing }))).toThrow(
      `This Isolab installation is incomplete: ${missing} is missing (reinstall Isolab)`,
    );
  });
});

describe('development runtime', () => {
  it('runs engine/host/main.ts on the pinned Node 24 with no prebuilt guest', () => {
    const runtime = resolveEngineRuntime(context());
    expect(runtime).toEqual({ node: '/src/isolab/node_modules/node/bin/node', hostEntry: '/src/isolab/engine/host/main.ts', packaged: false });
    expect(launcherFor(runtime).env).toBeUndefined();
  });

  it('prefers $ISOLAB_NODE', () => {
    expect(resolveEngineRuntime(context({ env: { ISOLAB_NODE: '/opt/node24/bin/node' } })).node).toBe('/opt/node24/bin/node');
  });

  it('falls back to this process when it is Node 24 or newer, never Electron', () => {
    const none = () => undefined;
    expect(resolveEngineRuntime(context({ pinnedNode: none, self: { execPath: '/usr/bin/node24', nodeMajor: 24, electron: false } })).node).toBe('/usr/bin/node24');
    expect(() => resolveEngineRuntime(context({ pinnedNode: none, self: { execPath: '/electron', nodeMajor: 24, electron: true } }))).toThrow(/needs Node.js 24/);
    expect(() => resolveEngineRuntime(context({ pinnedNode: none }))).toThrow(/run `npm install`/);
  });

  it('joins Windows paths with backslashes', () => {
    const runtime = resolveEngineRuntime(context({ platform: 'win32', repoRoot: 'C:\\src\\isolab' }));
    expect(runtime.hostEntry).toBe('C:\\src\\isolab\\engine\\host\\main.ts');
  });
});
