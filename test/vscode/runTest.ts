/**
 * `npm run test:vscode`: runs test/vscode/suite inside desktop VS Code's extension host through
 * @vscode/test-electron. VS Code cannot be downloaded on machines without internet access, so the
 * executable comes from VSCODE_EXECUTABLE (e.g. /usr/share/code/code). Without it this says so and
 * fails; `npm run test:e2e` runs the same suite inside code-server's extension host instead.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const executable = process.env.VSCODE_EXECUTABLE;
  if (!executable) {
    process.stderr.write(
      'test:vscode: VSCODE_EXECUTABLE is not set, so there is no VS Code to run the extension-host suite in.\n' +
        '  Set it to a desktop VS Code ≥ 1.100 (e.g. VSCODE_EXECUTABLE=/usr/share/code/code npm run test:vscode).\n' +
        '  @vscode/test-electron would download one, which machines without internet access cannot do.\n' +
        '  The same suite also runs inside code-server as part of `npm run test:e2e`.\n',
    );
    return 1;
  }
  if (!fs.existsSync(executable)) {
    process.stderr.write(`test:vscode: VSCODE_EXECUTABLE=${executable} does not exist.\n`);
    return 1;
  }
  const root = path.resolve(__dirname, '..', '..', '..');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-vscode-test-'));
  const workspace = path.join(tmp, 'sample');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspaces', 'sample'), workspace, { recursive: true });
  const report = path.join(tmp, 'report.json');
  try {
    const code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      extensionTestsEnv: { REDLINE_VSCODE_TEST_REPORT: report },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', path.join(tmp, 'user'), '--extensions-dir', path.join(tmp, 'extensions')],
    });
    return code;
  } catch (err) {
    process.stderr.write(`test:vscode failed: ${String(err)}\n`);
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
