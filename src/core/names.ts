/**
 * Every name Redline shares with VS Code: setting keys, command ids, context keys, view, menu and
 * colour ids, status bar item ids and storage keys. Code uses these constants, never a `'redline.…'`
 * literal. test/unit/names.test.ts checks them against package.json `contributes` both ways, so the
 * manifest and the code cannot drift apart. No `vscode` import: core code uses it too.
 */

/** The configuration section: `vscode.workspace.getConfiguration(SECTION).get(Settings.x)`. */
export const SECTION = 'redline';

/** Setting keys relative to `SECTION` (the full id is `settingId(key)`). */
export const Settings = {
  baseUrl: 'endpoint.baseUrl',
  headers: 'endpoint.headers',
  timeoutSeconds: 'endpoint.timeoutSeconds',
  deadlineSeconds: 'endpoint.deadlineSeconds',
  chatModel: 'chat.model',
  contextWindowTokens: 'chat.contextWindowTokens',
  reasoningTokens: 'chat.reasoningTokens',
  exclude: 'exclude',
  pricingInput: 'pricing.inputPerMillionTokens',
  pricingOutput: 'pricing.outputPerMillionTokens',
  actions: 'actions',
  completionEnabled: 'completion.enabled',
  completionLanguages: 'completion.languages',
  completionModel: 'completion.model',
  completionMode: 'completion.mode',
  completionFimTemplate: 'completion.fimTemplate',
  completionCustomFimTemplate: 'completion.customFimTemplate',
  completionDebounceMs: 'completion.debounceMs',
  completionMaxTokens: 'completion.maxTokens',
  completionTimeoutMs: 'completion.timeoutMs',
  nextEditEnabled: 'nextEdit.enabled',
  nextEditModel: 'nextEdit.model',
  nextEditPromptFormat: 'nextEdit.promptFormat',
  nextEditDebounceMs: 'nextEdit.debounceMs',
} as const;

export type SettingKey = (typeof Settings)[keyof typeof Settings];

/** The full id of a setting (`redline.chat.model`), as in settings.json and `affectsConfiguration`. */
export function settingId(key: SettingKey): string {
  return `${SECTION}.${key}`;
}

/** Queries for the Settings editor. */
export const SettingsQueries = {
  /** Every Redline setting. */
  all: '@ext:redline.redline',
  /** The endpoint settings. */
  endpoint: `${SECTION}.endpoint`,
} as const;

/** Command ids (package.json `contributes.commands`). */
export const Commands = {
  showLog: 'redline.showLog',
  editSelection: 'redline.editSelection',
  acceptAll: 'redline.acceptAll',
  rejectAll: 'redline.rejectAll',
  acceptHunk: 'redline.acceptHunk',
  rejectHunk: 'redline.rejectHunk',
  nextHunk: 'redline.nextHunk',
  previousHunk: 'redline.previousHunk',
  showDiff: 'redline.showDiff',
  retry: 'redline.retry',
  cancel: 'redline.cancel',
  setApiKey: 'redline.setApiKey',
  clearApiKey: 'redline.clearApiKey',
  selectModel: 'redline.selectModel',
  openSettings: 'redline.openSettings',
  statusMenu: 'redline.statusMenu',
  explain: 'redline.explain',
  document: 'redline.document',
  fix: 'redline.fix',
  simplify: 'redline.simplify',
  writeTests: 'redline.writeTests',
  runAction: 'redline.runAction',
  completionToggle: 'redline.completion.toggle',
  completionSnooze: 'redline.completion.snooze',
  nextEditToggle: 'redline.nextEdit.toggle',
  nextEditAccept: 'redline.nextEdit.accept',
  nextEditDismiss: 'redline.nextEdit.dismiss',
} as const;

/** Context keys set with `setContext` and used in package.json `when` clauses. */
export const ContextKeys = {
  reviewActive: 'redline.reviewActive',
  streaming: 'redline.streaming',
  /** A next-edit proposal (its inline diff or its jump hint) is shown in the active editor. */
  nextEditVisible: 'redline.nextEditVisible',
} as const;

/** Webview panel view types (package.json `activationEvents` has `onWebviewPanel:` for each). */
export const Views = {
  explain: 'redline.explain',
} as const;

/** Submenu ids (package.json `contributes.submenus`). */
export const Menus = {
  editorContext: 'redline.editorContext',
} as const;

/** Theme colour ids (package.json `contributes.colors`). */
export const Colors = {
  addedLineBackground: 'redline.addedLineBackground',
  removedLineBackground: 'redline.removedLineBackground',
  nextEditAddedBackground: 'redline.nextEditAddedBackground',
  nextEditRemovedBackground: 'redline.nextEditRemovedBackground',
} as const;

/** Status bar item ids (VS Code lists them by id in the status bar's context menu). */
export const StatusItems = {
  main: 'redline.status',
  completion: 'redline.completion',
  nextEdit: 'redline.nextEdit',
} as const;

/** Keys of stored state. Their values are persisted: never change one. */
export const StorageKeys = {
  /** SecretStorage: the API key. */
  apiKey: 'redline.apiKey',
  /** workspaceState: the reviews open when the window closed. */
  openReviews: 'redline.openReviews',
  /** globalState: today's token usage. */
  usage: 'redline.usage',
  /** globalState: recent Edit Selection instructions. */
  instructionHistory: 'redline.instructionHistory',
  /** globalState: when snoozed inline suggestions come back (epoch ms). */
  completionSnoozedUntil: 'redline.completion.snoozedUntil',
} as const;
