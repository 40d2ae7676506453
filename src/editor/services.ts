import type * as vscode from 'vscode';
import type { RedlineSettings } from '../core/config';
import type { SecretVault } from '../core/context/redact';
import type { ChatMessage, ModelClient, ModelError } from '../core/model/types';

/**
 * What activate() builds once and hands to every feature. Features never build their own clients or
 * read settings at module load: they ask here, each time, so settings are always fresh.
 */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Reads settings fresh from VS Code (endpoint settings from user settings only). */
  settings(): RedlineSettings;
  /** A client for the configured endpoint with the key from SecretStorage (or OPENAI_API_KEY). */
  modelClient(purpose: 'chat' | 'completion'): Promise<ModelClient>;
  /** Shows a model failure as one sentence with its next-step buttons; details go to the log. */
  showModelError(error: ModelError, retry?: () => void): void;
  /** True when the file must never be sent (redline.exclude). */
  isExcluded(uri: vscode.Uri): boolean;
  readonly edits: EditRunner;
  readonly status: StatusReporter;
}

export interface StatusReporter {
  /** Marks the start of model work; call the returned function when it ends (ok or not). */
  busy(feature: string): (outcome: 'ok' | 'error' | 'cancelled') => void;
}

/** Opens model-proposed edits as an inline-diff review. Every code-changing feature goes through it. */
export interface EditRunner {
  /**
   * Asks the chat model to rewrite `range` of `editor` and opens the inline review as it streams.
   * `messages` replaces the default Edit Selection prompt (actions build their own); the reply is
   * extracted the same way. An empty range means "insert at this position" (Write Tests into a file).
   */
  proposeEdit(options: {
    editor: vscode.TextEditor;
    range: vscode.Range;
    instruction: string;
    feature: string;
    messages?: ChatMessage[];
    /** The vault `messages` were redacted with: placeholders in the reply are mapped back with it. */
    secrets?: SecretVault;
  }): Promise<void>;
  /** Opens a review of a replacement that is already known (Apply from the Explain panel). */
  reviewReplacement(options: { editor: vscode.TextEditor; range: vscode.Range; replacement: string; feature: string }): Promise<void>;
}
