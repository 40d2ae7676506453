// The mocha suite of test/vscode/suite, run inside code-server's own extension host: the web
// workbench takes extensionDevelopmentPath / extensionTestsPath from its `payload` URL parameter
// (code-server's command line rejects them), loads the repository as the development extension,
// runs the suite in the Node extension host and reports the exit code to
// window.codeAutomationExit. The suite writes a JSON report (REDLINE_VSCODE_TEST_REPORT).
'use strict';

const fs = require('fs');
const path = require('path');

module.exports = [
  {
    name: 'extension-host mocha suite (test/vscode/suite) runs in code-server',
    extensions: 'none',
    waitForWorkbench: false,
    serverEnv: (dir) => ({ REDLINE_VSCODE_TEST_REPORT: path.join(dir, 'ext-host-report.json') }),
    payload: (remote) => {
      const root = path.resolve(__dirname, '..', '..', '..');
      return [
        ['extensionDevelopmentPath', remote(root)],
        ['extensionTestsPath', remote(path.join(root, 'out', 'test', 'vscode', 'suite', 'index.js'))],
      ];
    },
    async beforeOpen(ctx) {
      ctx.exitCode = new Promise((resolve) => {
        void ctx.page.exposeFunction('codeAutomationExit', (code) => resolve(code));
      });
    },
    async run(ctx) {
      const suite = path.join(ctx.root, 'out', 'test', 'vscode', 'suite', 'index.js');
      if (!fs.existsSync(suite)) throw new Error(`${suite} is missing: run \`npm run compile-tests\``);
      const code = await ctx.exitCode;
      const reportFile = path.join(ctx.dir, 'ext-host-report.json');
      if (!fs.existsSync(reportFile)) throw new Error(`the extension host exited with ${code} and wrote no report (did the suite load?)`);
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
      for (const t of report.passed) ctx.log(`✓ ${t}`);
      for (const t of report.pending) ctx.log(`- ${t} (pending)`);
      for (const f of report.failed) ctx.log(`✗ ${f.title}\n      ${f.error.split('\n').slice(0, 4).join('\n      ')}`);
      if (code !== 0 || report.failed.length) throw new Error(`extension-host suite: ${report.failed.length} failed, exit code ${code}`);
      if (report.passed.length === 0) throw new Error('extension-host suite: no test ran');
    },
  },
];
