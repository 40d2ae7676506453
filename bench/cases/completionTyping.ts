/**
 * Typing simulation: real source files typed character by character at a human pace against the
 * scripted OpenAI-compatible server, which answers every request with the true continuation of the
 * file (after a model-like delay). The editor is emulated the way VS Code behaves: each keystroke
 * cancels the pending provider call and makes a new one; a suggestion is shown only if it arrives for
 * the position the cursor is still at; typing a character that matches the ghost text keeps the rest
 * of it on screen.
 *
 * Compared with a plain fixed 75 ms debounce (no typed-through reuse, no following, no cache).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CompletionEngine, type EngineSettings, type ProvideOutcome } from '../../src/core/completion/engine';
import { DEFAULT_COMPLETION_SETTINGS } from '../../src/core/completion/settings';
import { silentLogger } from '../../src/core/log';
import { createModelClient } from '../../src/core/model/client';
import { FakeModelServer, type RecordedRequest, type Script } from '../../test/fixtures/fakeModelServer';
import { type Figures, round, seeded } from '../util';

const WORKSPACE = path.resolve(__dirname, '../../../eval/workspaces/shop');
const FILES = ['src/cart/cart.ts', 'src/util/retry.ts', 'src/pricing/discounts.ts', 'src/shipping/rates.ts'];

/** Model-like timing: first token after ~150 ms, then a few characters every 10 ms. */
const FIRST_TOKEN_MS = 150;
const BETWEEN_MS = 10;

interface Segment {
  file: string;
  text: string;
  start: number;
  end: number;
}

/** One or two whole lines per file, starting at a line with code, typed from their first non-blank. */
function segments(): Segment[] {
  const rnd = seeded(11);
  const out: Segment[] = [];
  for (const file of FILES) {
    const text = fs.readFileSync(path.join(WORKSPACE, file), 'utf8');
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const candidates = lineStarts.filter((s, i) => i > 2 && i + 3 < lineStarts.length && text.slice(s, lineStarts[i + 1]).trim().length > 8);
    const first = candidates[Math.floor(rnd() * candidates.length)];
    const lineIndex = lineStarts.indexOf(first);
    const start = first + /^\s*/.exec(text.slice(first))![0].length;
    const end = lineStarts[Math.min(lineStarts.length - 1, lineIndex + 1 + Math.floor(rnd() * 2))] - 1;
    out.push({ file, text, start, end });
  }
  return out;
}

/** Human pace: 60–220 ms between keys, and now and then a pause to think after a space or a symbol. */
function keyDelay(rnd: () => number, previous: string): number {
  const base = 60 + rnd() * 160;
  const pause = /[\s.,;:(){}]/.test(previous) && rnd() < 0.12 ? 300 + rnd() * 400 : 0;
  return base + pause;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface VariantFigures extends Figures {
  typedChars: number;
  requestsSent: number;
  requestsPer100Chars: number;
  requestsAborted: number;
  suggestionsShown: number;
  keptWhileTypingThrough: number;
  acceptableCharShare: number;
  staleOrWrongShown: number;
}

async function runVariant(server: FakeModelServer, smart: boolean): Promise<VariantFigures> {
  const segs = segments();
  let current: Segment | undefined;
  server.reset();
  // The scripted model: the true continuation of the file after the prompt's prefix (to the line end,
  // or the next line when the prefix ends a line).
  server.setResponder((req: RecordedRequest): Script | undefined => {
    const seg = current;
    if (!seg || typeof req.body?.prompt !== 'string') return { reply: '' };
    const prompt: string = req.body.prompt;
    const tail = prompt.slice(-200);
    const at = seg.text.indexOf(tail);
    if (at < 0) return { reply: '' };
    const from = at + tail.length;
    const lineEnd = seg.text.indexOf('\n', from + 1);
    const reply = seg.text.slice(from, lineEnd < 0 ? seg.text.length : lineEnd);
    const chunks = reply.match(/[\s\S]{1,4}/g) ?? [''];
    return { chunks, delayFirstMs: FIRST_TOKEN_MS, delayBetweenMs: BETWEEN_MS };
  });
  const client = createModelClient({ baseURL: server.baseURL, headers: {}, timeoutMs: 5000, maxRetries: 0 }, { logger: silentLogger });
  const engine = new CompletionEngine({ client: () => client, log: silentLogger, smart });
  const settings: EngineSettings = { ...DEFAULT_COMPLETION_SETTINGS, mode: 'completions', debounceMs: 75, chatModel: 'bench', exclude: [] };
  const rnd = seeded(5);

  let typed = 0;
  let acceptable = 0;
  let shown = 0;
  let wrong = 0;
  for (const seg of segs) {
    current = seg;
    let visible: { pos: number; text: string } | undefined;
    let pending: AbortController | undefined;
    const calls: Promise<void>[] = [];
    for (let pos = seg.start; pos <= seg.end; pos++) {
      if (pos > seg.start) {
        // the user types the character at pos - 1
        const ch = seg.text[pos - 1];
        typed++;
        if (visible && visible.pos === pos - 1 && visible.text[0] === ch) {
          acceptable++;
          visible = visible.text.length > 1 ? { pos, text: visible.text.slice(1) } : undefined;
        } else {
          visible = undefined;
        }
      }
      pending?.abort();
      const controller = new AbortController();
      pending = controller;
      const cursorAt = pos;
      // The document as the user has it: the segment typed up to pos, the rest of the segment not yet there.
      const prefix = seg.text.slice(0, pos);
      const suffix = seg.text.slice(seg.end);
      calls.push(
        engine.provide({ docKey: seg.file, path: seg.file, languageId: 'typescript', prefix, suffix }, settings, controller.signal).then((out: ProvideOutcome) => {
          if (controller.signal.aborted || !out.text) return;
          shown++;
          // what VS Code would now display at the cursor (the call was not cancelled, so the cursor is still there)
          if (!seg.text.slice(cursorAt).startsWith(out.text)) wrong++;
          visible = { pos: cursorAt, text: out.text };
        }),
      );
      if (pos < seg.end) await sleep(keyDelay(rnd, seg.text[pos - 1] ?? ' '));
    }
    // the user stops typing at the end of the segment: let the last call finish, then move on
    await Promise.all(calls);
    pending?.abort();
  }
  current = undefined;
  const stats = engine.stats;
  engine.dispose();
  const sent = server.requests.filter((r) => r.endpoint === 'completions').length;
  return {
    typedChars: typed,
    requestsSent: sent,
    requestsPer100Chars: round((sent / typed) * 100),
    requestsAborted: server.requests.filter((r) => r.endpoint === 'completions' && r.aborted).length,
    earlyStops: stats.earlyStops,
    suggestionsShown: shown,
    keptWhileTypingThrough: stats.reused + stats.followed,
    cacheHits: stats.cacheHits,
    acceptableCharShare: round(acceptable / typed),
    staleOrWrongShown: wrong,
  };
}

export async function completionTyping(): Promise<Figures> {
  const server = new FakeModelServer();
  await server.start(0);
  try {
    const policy = await runVariant(server, true);
    const baseline = await runVariant(server, false);
    const out: Figures = {};
    for (const [k, v] of Object.entries(policy)) out[k] = v;
    for (const [k, v] of Object.entries(baseline)) out[`baseline75ms_${k}`] = v;
    out.requestsVsBaseline = round(policy.requestsSent / Math.max(1, baseline.requestsSent));
    return out;
  } finally {
    await server.stop();
  }
}
