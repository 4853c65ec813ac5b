/**
 * The fpm command line electron-builder writes for its deb target, as scripts/dist/fpm-deb.mjs
 * reads it (the args below are the shape FpmTarget.executeFpm produces), and the control file.
 */
import { describe, expect, it } from 'vitest';
import { controlFile, parseFpmArgs } from '../../../scripts/dist/fpm-deb.mjs';

const ARGS = [
  '-s', 'dir', '--force', '-t', 'deb',
  '-d', 'libgtk-3-0', '-d', 'libnss3',
  '--deb-recommends', 'libappindicator3-1',
  '--deb-compression', 'xz',
  '--architecture', 'amd64',
  '--after-install', '/tmp/after-install.tpl',
  '--after-remove', '/tmp/after-remove.tpl',
  '--description', 'Sandbox IDE\n Runs code in isolates.\n\n Second paragraph.',
  '--version', '0.1.0',
  '--package', '/tmp/out/isolab_0.1.0_amd64.deb',
  '--name', 'isolab',
  '--maintainer', 'Team <team@example.com>',
  '--url', 'https://example.com/isolab',
  '--category', 'devel',
  '--deb-priority', 'optional',
  '--license', 'MIT',
  '/tmp/linux-unpacked/=/opt/Isolab',
  '/tmp/icons/128x128.png=/usr/share/icons/hicolor/128x128/apps/isolab.png',
];

describe('fpm-deb', () => {
  it('reads the options, dependencies and file mappings', () => {
    const o = parseFpmArgs(ARGS);
    expect(o).toMatchObject({ source: 'dir', target: 'deb', name: 'isolab', version: '0.1.0', architecture: 'amd64', 'deb-compression': 'xz', 'after-install': '/tmp/after-install.tpl' });
    expect(o.depends).toEqual(['libgtk-3-0', 'libnss3']);
    expect(o.recommends).toEqual(['libappindicator3-1']);
    expect(o.mappings).toEqual([
      { from: '/tmp/linux-unpacked/', to: '/opt/Isolab' },
      { from: '/tmp/icons/128x128.png', to: '/usr/share/icons/hicolor/128x128/apps/isolab.png' },
    ]);
  });

  it('writes a Debian control file with a folded description', () => {
    const control = controlFile(parseFpmArgs(ARGS), 1234);
    expect(control).toBe(
      [
        'Package: isolab',
        'Version: 0.1.0',
        'Architecture: amd64',
        'Maintainer: Team <team@example.com>',
        'Installed-Size: 1234',
        'Depends: libgtk-3-0, libnss3',
        'Recommends: libappindicator3-1',
        'Section: devel',
        'Priority: optional',
        'Homepage: https://example.com/isolab',
        'License: MIT',
        'Description: Sandbox IDE',
        ' Runs code in isolates.',
        ' .',
        ' Second paragraph.',
        '',
      ].join('\n'),
    );
  });

  it('refuses what it does not build', () => {
    expect(() => parseFpmArgs(['-t'])).toThrow('-t needs a value');
    expect(() => parseFpmArgs(['no-equals-sign'])).toThrow('expected SOURCE=DESTINATION');
  });
});
