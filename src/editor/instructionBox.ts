import * as vscode from 'vscode';
import { instructionToSend } from '../core/edit/instruction';
import { StorageKeys } from '../core/names';

const HISTORY_KEY = StorageKeys.instructionHistory;
const HISTORY_SIZE = 20;

/**
 * The Edit Selection instruction box: a quick pick that takes a new instruction and offers the recent
 * ones; what it sends is decided by instructionToSend (what was typed, unless the user moved to a
 * recent item themselves).
 */
export function askInstruction(state: vscode.Memento, initial = ''): Promise<string | undefined> {
  const history = state.get<string[]>(HISTORY_KEY, []);
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { recent?: boolean }>();
  pick.title = 'Redline: Edit Selection';
  pick.placeholder = 'Describe the change (Enter to send, Escape to cancel)';
  pick.value = initial;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = false;
  /** The user moved the active item (arrow keys, mouse) since the list was last rebuilt. */
  let moved = false;
  let rebuilding = false;
  const refresh = (): void => {
    const typed = pick.value.trim();
    const recent = history.filter((h) => h !== typed).map((h) => ({ label: h, description: 'recent', recent: true }));
    rebuilding = true;
    pick.items = typed ? [{ label: typed, description: 'new instruction', alwaysShow: true }, ...recent] : recent;
    rebuilding = false;
    moved = false;
  };
  refresh();
  return new Promise((resolve) => {
    let done = false;
    pick.onDidChangeValue(refresh);
    pick.onDidChangeActive((active) => {
      // VS Code makes the first item active whenever the list changes, and may report an item of a list
      // already replaced; another item of the current list is the user's choice.
      if (!rebuilding && active[0] && pick.items.includes(active[0]) && active[0] !== pick.items[0]) moved = true;
    });
    pick.onDidAccept(() => {
      const chosen = instructionToSend(pick.value, pick.selectedItems[0] ?? pick.activeItems[0], moved);
      if (!chosen) return;
      done = true;
      void state.update(HISTORY_KEY, [chosen, ...history.filter((h) => h !== chosen)].slice(0, HISTORY_SIZE));
      pick.hide();
      resolve(chosen);
    });
    pick.onDidHide(() => {
      pick.dispose();
      if (!done) resolve(undefined);
    });
    pick.show();
  });
}
