#!/usr/bin/env node
// `npm start`: build the app with electron-vite, then launch Electron. On the first launch the
// Electron binary is not there yet (`npm install` leaves electron's download off so that it works
// offline): electron's own installer runs once, then Electron starts. Where that fails (offline:
// it fails in a fraction of a second) or there is no display, say so in one line and start
// `isolab serve` instead, so `npm start` still opens the IDE, in a browser tab.
// Extra arguments go to whichever starts: `npm start -- --port 0 --no-open`.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureElectron } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const windows = process.platform === 'win32';

function run(file, argv) {
  const child = spawn(file, argv, { cwd: root, stdio: 'inherit', shell: windows && !file.endsWith('.exe') });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit', shell: windows });
if (build.status !== 0) {
  process.stderr.write('Isolab: the build failed (see above).\n');
  process.exit(build.status ?? 1);
}
const electron = ensureElectron({ log: (line) => process.stderr.write(`${line}\n`) });
if (electron.ok) {
  run(electron.binary, ['.', ...args]);
} else {
  process.stderr.write(`Isolab: Electron cannot start here (${electron.reason}); opening Isolab in your browser instead (isolab serve).\n`);
  // The bin shim moves to the pinned Node 24 if this is an older Node.
  run(process.execPath, [fileURLToPath(new URL('../bin/isolab.mjs', import.meta.url)), 'serve', ...args]);
}
