/** Size of the production bundle (aim < 1.5 MB), built into a temp folder so dist/ is left alone. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Figures } from '../util';

const ROOT = path.resolve(__dirname, '../../..');

export function bundleSize(): Figures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-bundle-'));
  try {
    const outfile = path.join(dir, 'extension.js');
    execFileSync(process.execPath, ['esbuild.js', '--production', `--outfile=${outfile}`], { cwd: ROOT, stdio: 'pipe' });
    const bytes = fs.statSync(outfile).size;
    const ranks = path.join(dir, 'cl100k_base.json');
    return {
      extensionJsBytes: bytes,
      extensionJsMB: Math.round((bytes / (1024 * 1024)) * 1000) / 1000,
      tokenizerRanksBytes: fs.existsSync(ranks) ? fs.statSync(ranks).size : 0,
      aimMB: 1.5,
      withinAim: bytes < 1.5 * 1024 * 1024,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
