#!/usr/bin/env node
// A deb builder that understands the fpm command line electron-builder writes for its deb target
// (`fpm -s dir -t deb … src=dst …`) and builds the package with Debian's own dpkg-deb.
//
// Why: electron-builder gets fpm (a Ruby gem) as a prebuilt bundle from GitHub releases, which our
// build machines cannot reach, and Debian does not package fpm. dpkg-deb is on every Debian and
// Ubuntu machine. scripts/dist.mjs points electron-builder at this file (CUSTOM_FPM_PATH) only
// when no fpm is installed; a real fpm is always preferred.
//
// The output is a real .deb: control file, maintainer scripts, files under their install paths,
// owned by root (dpkg-deb --root-owner-group), compressed as asked.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Options that take a value; every other `--flag` is a boolean. */
const VALUED = new Set([
  '-s', '-t', '-d', '--depends', '-n', '--name', '-v', '--version', '-p', '--package', '-a', '--architecture', '-m', '--maintainer',
  '--vendor', '--url', '--description', '--license', '--category', '--iteration', '--after-install', '--after-remove',
  '--before-install', '--before-remove', '--deb-compression', '--deb-priority', '--deb-recommends', '--deb-suggests', '--log',
  '--rpm-os', '--rpm-compression', '--rpm-summary',
]);

export function parseFpmArgs(argv) {
  const options = { depends: [], recommends: [], suggests: [], mappings: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      if (eq <= 0) throw new Error(`fpm-deb: expected SOURCE=DESTINATION, got ${JSON.stringify(arg)}`);
      options.mappings.push({ from: arg.slice(0, eq), to: arg.slice(eq + 1) });
      continue;
    }
    if (!VALUED.has(arg)) continue; // --force, --debug …: no effect on what is built
    const value = argv[++i];
    if (value === undefined) throw new Error(`fpm-deb: ${arg} needs a value`);
    if (arg === '-d' || arg === '--depends') options.depends.push(value);
    else if (arg === '--deb-recommends') options.recommends.push(value);
    else if (arg === '--deb-suggests') options.suggests.push(value);
    else options[arg.replace(/^-+/, '')] = value;
  }
  const short = { s: 'source', t: 'target', n: 'name', v: 'version', p: 'package', a: 'architecture', m: 'maintainer' };
  for (const [from, to] of Object.entries(short)) if (options[from] !== undefined) options[to] ??= options[from];
  return options;
}

/** Debian control fields; the description's first line is the synopsis, the rest indented. */
export function controlFile(o, installedSizeKb) {
  const [synopsis, ...rest] = (o.description ?? o.name).split('\n');
  const body = rest.map((line) => (line.trim() === '' ? ' .' : ` ${line.trim()}`)).join('\n');
  const fields = [
    ['Package', o.name],
    ['Version', o.iteration ? `${o.version}-${o.iteration}` : o.version],
    ['Architecture', o.architecture],
    ['Maintainer', o.maintainer],
    ['Installed-Size', String(installedSizeKb)],
    ['Depends', o.depends.join(', ')],
    ['Recommends', o.recommends.join(', ')],
    ['Suggests', o.suggests.join(', ')],
    ['Section', o.category],
    ['Priority', o['deb-priority'] ?? 'optional'],
    ['Homepage', o.url],
    ['License', o.license],
    ['Vendor', o.vendor],
    ['Description', synopsis.trim() || o.name],
  ];
  return `${fields.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`).join('\n')}${body ? `\n${body}` : ''}\n`;
}

function du(path) {
  const out = spawnSync('du', ['-sk', path], { encoding: 'utf8' });
  return Number(out.stdout.split('\t')[0]) || 0;
}

export function buildDeb(o) {
  if (o.source !== 'dir' || o.target !== 'deb') throw new Error(`fpm-deb builds only -s dir -t deb (asked: -s ${o.source} -t ${o.target})`);
  for (const key of ['name', 'version', 'architecture', 'package']) if (!o[key]) throw new Error(`fpm-deb: --${key} is required`);
  const root = mkdtempSync(join(tmpdir(), 'isolab-deb-'));
  chmodSync(root, 0o755); // mkdtemp makes it 0700, and the package's ./ entry carries that mode
  try {
    for (const { from, to } of o.mappings) {
      const target = join(root, to.replace(/\/$/, ''));
      mkdirSync(dirname(target), { recursive: true });
      if (statSync(from).isDirectory()) cpSync(from.replace(/\/$/, ''), target, { recursive: true, verbatimSymlinks: true });
      else copyFileSync(from, target);
    }
    const control = join(root, 'DEBIAN');
    mkdirSync(control);
    for (const [flag, script] of [['after-install', 'postinst'], ['after-remove', 'postrm'], ['before-install', 'preinst'], ['before-remove', 'prerm']]) {
      if (!o[flag]) continue;
      copyFileSync(o[flag], join(control, script));
      chmodSync(join(control, script), 0o755);
    }
    writeFileSync(join(control, 'control'), controlFile(o, du(root)));
    const compression = o['deb-compression'] ?? 'xz';
    rmSync(o.package, { force: true });
    const result = spawnSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', root, o.package], { encoding: 'utf8' });
    if (result.error) throw new Error(`fpm-deb: dpkg-deb could not run (${result.error.message}); install dpkg (Debian/Ubuntu) or fpm`);
    if (result.status !== 0) throw new Error(`fpm-deb: dpkg-deb failed: ${result.stderr.trim()}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replaceAll('\\', '/').split('/').pop())) {
  try {
    buildDeb(parseFpmArgs(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
