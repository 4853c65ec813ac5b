#!/usr/bin/env node
// The `isolab` command. The CLI is TypeScript run directly by Node 24 (type stripping), so no build
// step stands between `npm install` and `npx isolab`. On an older Node, re-run on the Node 24 the
// project pins (node_modules/node).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  let node = process.env.ISOLAB_NODE;
  if (!node) {
    try {
      const pkg = createRequire(import.meta.url).resolve('node/package.json');
      const candidate = join(dirname(pkg), 'bin', 'node');
      if (existsSync(candidate)) node = candidate;
    } catch {}
  }
  if (!node) {
    process.stderr.write(`isolab needs Node.js 24 or newer (this is ${process.version}); run \`npm install\` in the Isolab folder, or set ISOLAB_NODE\n`);
    process.exit(2);
  }
  const result = spawnSync(node, [new URL(import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
