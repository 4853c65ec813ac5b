// A stand-in for npm in tests of Add package…: prints what npm would and writes the package into
// node_modules, or fails as FAKE_NPM says: "offline" (npm's ENOTFOUND output), "fail", "hang".
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const mode = process.env.FAKE_NPM ?? 'ok';
const spec = process.argv.at(-1);
process.stdout.write(`fake npm ${process.argv.slice(2).join(' ')}\n`);
if (mode === 'offline') {
  process.stderr.write('npm error code ENOTFOUND\nnpm error syscall getaddrinfo\nnpm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org\n');
  process.exit(1);
}
if (mode === 'fail') {
  process.stderr.write('npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/nope - Not found\n');
  process.exit(1);
}
if (mode === 'hang') setInterval(() => {}, 1000);
else {
  const name = spec.replace(/(.)@.*$/, '$1');
  mkdirSync(join(process.cwd(), 'node_modules', name), { recursive: true });
  writeFileSync(join(process.cwd(), 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.2.3', description: 'a fake package' }));
  writeFileSync(join(process.cwd(), 'package.json'), JSON.stringify({ dependencies: { [name]: '^1.2.3' } }));
  process.stdout.write(`\nadded 1 package in 5ms\n`);
}
