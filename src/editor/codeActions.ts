import * as vscode from 'vscode';
import { BUILTIN_ACTIONS } from '../core/actions/builtin';
import { ActionCommands, diagnosticsIn, loadCustomActions } from './actions';
import type { Services } from './services';

/** The kind of Redline's refactor code actions (a sub-kind of RefactorRewrite). */
export const REDLINE_REWRITE_KIND = vscode.CodeActionKind.RefactorRewrite.append('redline');

/**
 * Redline's actions in the lightbulb: "Fix with Redline" on diagnostics (QuickFix), the others as
 * refactor actions. Providing is instant and sends nothing: each entry is a command, and the model is
 * called only when one is chosen.
 */
export class RedlineCodeActions implements vscode.CodeActionProvider {
  static readonly providedKinds = [vscode.CodeActionKind.QuickFix, REDLINE_REWRITE_KIND];

  constructor(private readonly services: Services) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (document.uri.scheme === 'output' || document.uri.scheme === 'vscode-scm' || this.services.isExcluded(document.uri)) return [];
    const actions: vscode.CodeAction[] = [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);

    if (wants(vscode.CodeActionKind.QuickFix) && context.diagnostics.length > 0) {
      const fix = new vscode.CodeAction('Fix with Redline', vscode.CodeActionKind.QuickFix);
      const target = range.isEmpty ? linesOf(document, context.diagnostics) : range;
      // All diagnostics on the target's lines, so the model sees everything it is asked to fix there.
      const diagnostics = diagnosticsIn(document, target);
      fix.diagnostics = [...context.diagnostics];
      fix.command = { command: ActionCommands.fix, title: 'Fix with Redline', arguments: [document.uri, target, diagnostics] };
      actions.push(fix);
    }

    // Refactors only when the user asks for code actions (Ctrl+., the Refactor… menu), so that a
    // selection alone does not light the bulb; the context menu's Redline submenu is always there.
    if (wants(REDLINE_REWRITE_KIND) && context.triggerKind === vscode.CodeActionTriggerKind.Invoke) {
      const args = range.isEmpty ? [document.uri] : [document.uri, range];
      for (const action of BUILTIN_ACTIONS) {
        if (action.builtin === 'fix' && context.diagnostics.length > 0) continue; // the quick fix covers it
        const item = new vscode.CodeAction(`Redline: ${action.title}`, REDLINE_REWRITE_KIND);
        item.command = { command: ActionCommands[action.builtin!], title: action.title, arguments: args };
        actions.push(item);
      }
      for (const action of loadCustomActions(document.uri).actions) {
        const item = new vscode.CodeAction(`Redline: ${action.title}${action.fromWorkspace ? ' (workspace action)' : ''}`, REDLINE_REWRITE_KIND);
        item.command = { command: ActionCommands.runAction, title: action.title, arguments: [document.uri, range.isEmpty ? undefined : range, action.id, action.title] };
        actions.push(item);
      }
    }
    return actions;
  }
}

/** Whole lines covering the diagnostics. */
function linesOf(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.Range {
  const first = Math.min(...diagnostics.map((d) => d.range.start.line));
  const last = Math.min(document.lineCount - 1, Math.max(...diagnostics.map((d) => d.range.end.line)));
  return new vscode.Range(first, 0, last, document.lineAt(last).text.length);
}
