/**
 * The layering table of ../shared/ARCHITECTURE.md, as rules: each folder may import only what the
 * table allows. `npm run lint` checks it; the test suite runs it too (test/unit/layering.test.ts).
 */

module.exports = {
  forbidden: [
    { name: 'common-is-pure', severity: 'error', comment: 'engine/common is pure TS: no Node, no DOM libraries, no other layer.',
      from: { path: '^engine/common/' },
      to: { pathNot: ['^engine/common/', '^node_modules/zod/'] } },
    { name: 'guest-imports-nothing', severity: 'error', comment: 'engine/guest runs inside an isolate: it imports only itself.',
      from: { path: '^engine/guest/' },
      to: { pathNot: '^engine/guest/' } },
    { name: 'host-not-electron-or-fronts', severity: 'error',
      from: { path: '^engine/host/' },
      to: { path: ['^node_modules/electron/', '^engine/(client|cli|web)/', '^electron/', '^renderer/'] } },
    { name: 'client-no-isolated-vm', severity: 'error', comment: 'EngineClient talks to a host process; it never loads isolated-vm itself.',
      from: { path: '^engine/client/' },
      to: { path: ['^node_modules/isolated-vm/', '^engine/(host|guest|cli|web)/', '^electron/', '^renderer/'] } },
    { name: 'cli-uses-client', severity: 'error',
      from: { path: '^engine/cli/' },
      to: { path: ['^node_modules/isolated-vm/', '^engine/(host|guest)/', '^electron/', '^renderer/'] } },
    { name: 'workspace-is-files-only', severity: 'error', comment: 'engine/workspace is plain file handling shared by Electron main and web mode: common, node:* and the zip library (yauzl/yazl) only.',
      from: { path: '^engine/workspace/' },
      to: { pathNot: ['^engine/workspace/', '^engine/common/', '^node_modules/(zod|yauzl|yazl)/'], dependencyTypesNot: ['core'] } },
    { name: 'web-uses-client', severity: 'error',
      from: { path: '^engine/web/' },
      to: { path: ['^node_modules/isolated-vm/', '^engine/(host|guest)/', '^electron/', '^renderer/'] } },
    { name: 'electron-uses-client', severity: 'error',
      from: { path: '^electron/' },
      to: { path: ['^node_modules/isolated-vm/', '^engine/(host|guest)/', '^renderer/'] } },
    { name: 'renderer-is-web', severity: 'error', comment: 'The renderer never sees Node, Electron or the engine internals.',
      from: { path: '^renderer/' },
      to: { path: ['^node_modules/(electron|isolated-vm|ws)/', '^engine/(host|guest|client|cli|web)/', '^electron/'] } },
    { name: 'renderer-no-node-builtins', severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] } },
    { name: 'common-no-node-builtins', severity: 'error',
      from: { path: '^engine/(common|guest)/' },
      to: { dependencyTypes: ['core'] } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
