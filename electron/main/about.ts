/** The About box text: the versions a bug report needs, for the app and for the engine host. */
export interface AboutVersions {
  app: string;
  electron: string;
  chrome: string;
  /** Node and V8 of the Electron main process. */
  electronNode: string;
  electronV8: string;
  /** Of the engine host process, which runs user code; absent while it is (re)starting. */
  engine?: { node: string; v8: string; isolatedVm: string };
}

export function aboutDetail(v: AboutVersions): string {
  const engine = v.engine
    ? [`Engine Node.js: ${v.engine.node}`, `Engine V8: ${v.engine.v8}`, `isolated-vm: ${v.engine.isolatedVm}`]
    : ['Engine: starting…'];
  return [`Version ${v.app}`, '', ...engine, '', `Electron: ${v.electron}`, `Chromium: ${v.chrome}`, `Electron Node.js: ${v.electronNode}`, `Electron V8: ${v.electronV8}`].join('\n');
}
