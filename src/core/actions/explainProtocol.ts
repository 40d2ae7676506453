/**
 * The Explain panel's message protocol and saved state, as plain data. The webview renders model
 * output, so whatever it sends back (messages, the state it saved) is validated before use.
 * media/explain.js is the other side of these messages.
 */

/** The code that was explained: where it was, so Apply can find it again, even after a reload. */
export interface ExplainSource {
  uri: string;
  /** 0-based [startLine, startCharacter, endLine, endCharacter] when it was explained. */
  range: [number, number, number, number];
  /** Offset of the range's start in the document then. */
  offset: number;
  text: string;
  languageId: string;
  /** Workspace-relative path, for the panel's header. */
  filePath: string;
}

export interface PersistedTurn {
  question: string;
  /** Markdown as the model wrote it (re-rendered and re-sanitised on restore). */
  answer: string;
  stopped?: boolean;
  error?: string;
}

/** What the webview keeps with setState, and what the serializer hands back after a reload. */
export interface PersistedThread {
  version: 1;
  title: string;
  /** The first user message (holds the selection): the context of every follow-up. */
  firstPrompt: string;
  source?: ExplainSource;
  turns: PersistedTurn[];
}

export interface TurnView {
  question: string;
  /** The answer's HTML in pieces (see src/core/markdown/stream.ts); later updates address them by index. */
  segments: string[];
  stopped?: boolean;
  error?: string;
  streaming?: boolean;
}

export interface Header {
  title: string;
  /** e.g. "src/a.ts, lines 3–9" */
  where?: string;
  canApply: boolean;
}

/** Extension → webview. */
export type ToWebview =
  | { type: 'start'; turn: number; question: string; header: Header; reset: boolean; state: PersistedThread }
  // `from`/`segments`: the answer's pieces before `from` are unchanged, the rest are `segments`.
  | { type: 'delta'; turn: number; from: number; segments: string[] }
  | { type: 'done'; turn: number; from: number; segments: string[]; stopped: boolean; state: PersistedThread }
  | { type: 'error'; turn: number; message: string; from: number; segments: string[]; state: PersistedThread }
  | { type: 'restore'; header: Header; turns: TurnView[]; running: boolean; state: PersistedThread | null };

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'ask'; text: string }
  | { type: 'stop' }
  | { type: 'copy'; blockId: string }
  | { type: 'apply'; blockId: string }
  | { type: 'openLink'; href: string };

/** Accepts only well-formed messages: the webview renders model output, so treat what it sends as untrusted. */
export function parseFromWebview(raw: unknown): FromWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
  switch (m.type) {
    case 'ready':
    case 'stop':
      return { type: m.type };
    case 'ask':
      return str(m.text, 20_000) && m.text.trim() !== '' ? { type: 'ask', text: m.text } : undefined;
    case 'copy':
    case 'apply':
      return str(m.blockId, 64) ? { type: m.type, blockId: m.blockId } : undefined;
    case 'openLink':
      return str(m.href, 4096) ? { type: 'openLink', href: m.href } : undefined;
    default:
      return undefined;
  }
}

export function isPersistedThread(value: unknown): value is PersistedThread {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<PersistedThread>;
  return (
    v.version === 1 &&
    typeof v.title === 'string' &&
    typeof v.firstPrompt === 'string' &&
    Array.isArray(v.turns) &&
    v.turns.every(
      (t) =>
        typeof t === 'object' &&
        t !== null &&
        typeof t.question === 'string' &&
        typeof t.answer === 'string' &&
        (t.stopped === undefined || typeof t.stopped === 'boolean') &&
        (t.error === undefined || typeof t.error === 'string'),
    ) &&
    (v.source === undefined ||
      (typeof v.source === 'object' &&
        v.source !== null &&
        typeof v.source.uri === 'string' &&
        typeof v.source.text === 'string' &&
        typeof v.source.languageId === 'string' &&
        typeof v.source.filePath === 'string' &&
        typeof v.source.offset === 'number' &&
        Array.isArray(v.source.range) &&
        v.source.range.length === 4 &&
        v.source.range.every((n) => typeof n === 'number')))
  );
}

