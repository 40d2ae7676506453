/**
 * The mocha runner VS Code's extension host loads (`extensionTestsPath`): runs every
 * `*.test.js` beside it. Works under @vscode/test-electron (desktop VS Code) and inside
 * code-server's extension host (test/e2e/run.js opens the workbench with the test payload).
 *
 * Environment: REDLINE_VSCODE_TEST_REPORT (a JSON report is written there), REDLINE_VSCODE_TEST_GREP.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

interface Report {
  passed: string[];
  failed: { title: string; error: string }[];
  pending: string[];
  vscodeVersion?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 20000, color: false, reporter: 'spec' });
  if (process.env.REDLINE_VSCODE_TEST_GREP) mocha.grep(process.env.REDLINE_VSCODE_TEST_GREP);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const report: Report = { passed: [], failed: [], pending: [] };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- 'vscode' exists only inside the extension host
    report.vscodeVersion = (require('vscode') as typeof import('vscode')).version;
  } catch {
    // not in an extension host
  }
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => report.passed.push(t.fullTitle()));
    runner.on('pending', (t) => report.pending.push(t.fullTitle()));
    runner.on('fail', (t, err: Error) => report.failed.push({ title: t.fullTitle(), error: String(err?.stack ?? err) }));
  });
  const out = process.env.REDLINE_VSCODE_TEST_REPORT;
  if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
  if (report.passed.length === 0) throw new Error('no extension-host test ran');
}
