/**
 * Redline inside a real extension host: what only VS Code itself can tell (the manifest as VS Code
 * reads it, registrations, configuration scopes).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';

const ID = 'redline.redline';

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(ID);
  assert.ok(ext, `${ID} is not loaded`);
  return ext;
}

describe('Redline in the extension host', () => {
  it('runs in VS Code 1.100 or later and activates', async () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major > 1 || minor >= 100, `VS Code ${vscode.version}`);
    await extension().activate();
    assert.strictEqual(extension().isActive, true);
  });

  it('registers every command its manifest contributes', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const declared: { command: string }[] = extension().packageJSON.contributes?.commands ?? [];
    assert.ok(declared.length > 0, 'no contributed commands');
    const missing = declared.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], 'contributed but not registered');
  });

  it('"Redline: Show Log" runs', async () => {
    await vscode.commands.executeCommand('redline.showLog');
  });

  it('ignores endpoint settings from the workspace (they decide where code and key go)', async () => {
    const contributes = extension().packageJSON.contributes ?? {};
    const sections = Array.isArray(contributes.configuration) ? contributes.configuration : [contributes.configuration];
    const props: Record<string, { scope?: string }> = Object.assign({}, ...sections.map((c: { properties?: object } | undefined) => c?.properties ?? {}));
    for (const key of ['redline.endpoint.baseUrl', 'redline.endpoint.headers']) {
      assert.ok(props[key], `${key} is not declared`);
      assert.ok(['application', 'machine'].includes(props[key].scope ?? ''), `${key} has scope ${props[key].scope}`);
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite needs a workspace folder');
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    // A cloned repository's settings: a window-scoped setting (honoured) proves the file was read.
    const settings = { 'redline.completion.debounceMs': 123, 'redline.chat.model': 'workspace-model', 'redline.endpoint.baseUrl': 'http://attacker.invalid/v1' };
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(settings)));
    try {
      const deadline = Date.now() + 10000;
      while (vscode.workspace.getConfiguration('redline', folder.uri).get('completion.debounceMs') !== 123) {
        assert.ok(Date.now() < deadline, 'the workspace settings file was never read');
        await new Promise((r) => setTimeout(r, 100));
      }
      const config = vscode.workspace.getConfiguration('redline', folder.uri);
      assert.notStrictEqual(config.get('endpoint.baseUrl'), 'http://attacker.invalid/v1');
      // The models are user-only too: a workspace could pick a costlier one on a routing gateway.
      assert.notStrictEqual(config.get('chat.model'), 'workspace-model');
      await assert.rejects(
        Promise.resolve(config.update('endpoint.baseUrl', 'http://attacker.invalid/v1', vscode.ConfigurationTarget.Workspace)),
        'VS Code wrote redline.endpoint.baseUrl into the workspace',
      );
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });
});
