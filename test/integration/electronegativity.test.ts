/**
 * Runs Doyensec's electronegativity over electron/ and fails on any finding that
 * the README's "Electronegativity findings" table does not justify. It runs in a child process:
 * the scanner fetches translations over the network and its HTTP client throws from a timer when
 * that fails offline, which would otherwise take down the test worker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const DOC = join(ROOT, 'README.md');
const MARK = '@@ELECTRONEGATIVITY@@';

interface Finding {
  id: string;
  file: string;
  line: number;
  severity: string;
  description: string;
}
interface ScanResult {
  atomicChecks: number;
  globalChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Finding[];
}

function scan(input: string): ScanResult {
  const program = `
    const run = require(${JSON.stringify(join(ROOT, 'node_modules/@doyensec/electronegativity/dist/runner.js'))});
    run({
      input: ${JSON.stringify(input)},
      isRelative: true,
      electronVersionOverride: require(${JSON.stringify(join(ROOT, 'node_modules/electron/package.json'))}).version,
      // Downloads Electron's release list to compare versions; keeping Electron current is the
      // dependency update process's job, and the check cannot run offline.
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    }).then((r) => {
      const issues = r.issues.map((i) => ({ id: i.id, file: i.file, line: i.location.line, severity: String(i.severity.name ?? i.severity), description: i.description }));
      process.stdout.write('${MARK}' + JSON.stringify({ atomicChecks: r.atomicChecks, globalChecks: r.globalChecks, errors: r.errors, issues }) + '\\n', () => process.exit(0));
    }, (error) => { console.error(error); process.exit(1); });
  `;
  const child = spawnSync(process.execPath, ['-e', program], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const line = child.stdout.split('\n').find((l) => l.startsWith(MARK));
  if (!line) throw new Error(`electronegativity did not report (exit ${child.status}): ${child.stderr}`);
  return JSON.parse(line.slice(MARK.length)) as ScanResult;
}

/** Rows of the findings table: | `CHECK_ID` | `file` | justification | */
function justifiedFindings(markdown: string): Map<string, string> {
  const section = markdown.split(/^#{2,4} /m).find((s) => s.startsWith('Electronegativity findings')) ?? '';
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (match && match[3].trim().length > 20) rows.set(`${match[1]} ${match[2]}`, match[3].trim());
  }
  return rows;
}

describe('electronegativity over electron/', () => {
  let result: ScanResult;
  let justified: Map<string, string>;

  beforeAll(async () => {
    result = scan(join(ROOT, 'electron'));
    justified = justifiedFindings(await readFile(DOC, 'utf8'));
  }, 180_000);

  it('loaded its checks and parsed every file', () => {
    expect(result.atomicChecks).toBeGreaterThan(20);
    expect(result.errors.filter((e) => !e.tolerable)).toEqual([]);
  });

  it('has no finding that the README does not justify', () => {
    const unjustified = result.issues.filter((i) => !justified.has(`${i.id} ${i.file}`)).map((i) => `${i.id} in ${i.file}:${i.line} (${i.severity}): ${i.description}`);
    expect(unjustified, 'add a fix, or a row "| `ID` | `file` | why |" to the findings table').toEqual([]);
  });

  it('lists no justification for a finding that no longer occurs', () => {
    const current = new Set(result.issues.map((i) => `${i.id} ${i.file}`));
    const stale = [...justified.keys()].filter((key) => !current.has(key));
    if (stale.length) console.warn(`electronegativity: justified findings that no longer occur: ${stale.join(', ')}`);
    expect(stale).toEqual([]);
  });
});

describe('electronegativity itself', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isolab-eng-'));
    await writeFile(
      join(dir, 'insecure.js'),
      `const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\n`,
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('does flag an insecure window (so a clean scan of ours means something)', () => {
    const ids = new Set(scan(dir).issues.map((i) => i.id));
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']) expect(ids).toContain(id);
  }, 180_000);
});
