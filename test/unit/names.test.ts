import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Colors, Commands, ContextKeys, Menus, SECTION, Settings, settingId, Views } from '../../src/core/names';

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, unknown> }[];
    keybindings: { command: string; when?: string }[];
    menus: Record<string, { command?: string; submenu?: string; when?: string }[]>;
    colors: { id: string }[];
    submenus: { id: string }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe('names: src/core/names.ts and package.json contributes agree', () => {
  it('every declared command is in Commands and every command in Commands is declared', () => {
    assert.deepEqual(sorted(Object.values(Commands)), sorted(contributes.commands.map((c) => c.command)));
  });

  it('every declared setting is in Settings and every key in Settings is declared', () => {
    const declared = contributes.configuration.flatMap((group) => Object.keys(group.properties));
    assert.deepEqual(sorted(Object.values(Settings).map(settingId)), sorted(declared));
    for (const key of declared) assert.ok(key.startsWith(`${SECTION}.`), key);
  });

  it('keybindings and menus only name declared commands and submenus', () => {
    const commands = new Set<string>(Object.values(Commands));
    for (const k of contributes.keybindings) assert.ok(commands.has(k.command), k.command);
    const submenus = new Set<string>(Object.values(Menus));
    for (const [menu, items] of Object.entries(contributes.menus)) {
      if (menu.startsWith(`${SECTION}.`)) assert.ok(submenus.has(menu), menu);
      for (const item of items) {
        if (item.command) assert.ok(commands.has(item.command), `${menu}: ${item.command}`);
        if (item.submenu) assert.ok(submenus.has(item.submenu), `${menu}: ${item.submenu}`);
      }
    }
  });

  it('the context keys in when clauses are exactly ContextKeys', () => {
    const clauses = [...contributes.keybindings, ...Object.values(contributes.menus).flat()].map((i) => i.when ?? '');
    const used = clauses.flatMap((when) => when.match(/\bredline\.[\w.]+/g) ?? []);
    assert.deepEqual(sorted(used), sorted(Object.values(ContextKeys)));
  });

  it('colours, submenus and webview panels match', () => {
    assert.deepEqual(sorted(contributes.colors.map((c) => c.id)), sorted(Object.values(Colors)));
    assert.deepEqual(sorted(contributes.submenus.map((s) => s.id)), sorted(Object.values(Menus)));
    const panels = (manifest.activationEvents ?? []).filter((e) => e.startsWith('onWebviewPanel:')).map((e) => e.slice('onWebviewPanel:'.length));
    assert.deepEqual(sorted(panels), sorted(Object.values(Views)));
  });
});
