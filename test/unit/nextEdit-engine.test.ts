import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { silentLogger } from '../../src/core/log';
import type { ModelClient } from '../../src/core/model/types';
import { NextEditEngine, type NextEditOutcome } from '../../src/core/nextEdit/engine';
import { NextEditPolicy } from '../../src/core/nextEdit/policy';
import { MARKERS } from '../../src/core/nextEdit/prompt';
import { DEFAULT_NEXT_EDIT_SETTINGS, type NextEditSettings } from '../../src/core/nextEdit/settings';
import { scriptedClient, useScriptedServer } from '../fixtures/scripted';

describe('nextEdit/policy (model-based)', () => {
  it('sends at most one request per pause, only after the pause, and aborts a running one on the next edit', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gap: fc.integer({ min: 1, max: 1500 }), answerAfter: fc.integer({ min: 1, max: 900 }) }), { minLength: 1, maxLength: 30 }), (steps) => {
        const pause = 400;
        const policy = new NextEditPolicy({ pauseMs: pause, fastTypingMs: 120, window: 4 });
        let now = 0;
        let wakeAt: number | undefined;
        let running: number | undefined;
        let nextId = 1;
        let lastEdit = -Infinity;
        let sent = 0;
        for (const step of steps) {
          // Before the next edit: a due wake-up sends.
          const editAt = now + step.gap;
          if (wakeAt !== undefined && wakeAt <= editAt) {
            const d = policy.wake('doc', wakeAt);
            assert.equal(d.kind, 'send');
            assert.ok(wakeAt - lastEdit >= pause, 'never before the pause');
            assert.equal(running, undefined, 'one in flight');
            running = nextId++;
            assert.equal(policy.started('doc', running), undefined);
            sent++;
            assert.equal(policy.wake('doc', wakeAt + 1).kind, 'idle', 'one request per pause');
            const sentAt = wakeAt;
            wakeAt = undefined;
            // The answer may come before the next edit.
            if (sentAt + step.answerAfter < editAt) {
              policy.ended('doc', running);
              running = undefined;
            }
          }
          now = editAt;
          const e = policy.edited('doc', now);
          assert.equal(e.abortFlightId, running, 'an edit aborts the request in flight');
          running = undefined;
          assert.ok(e.wakeAt >= now + pause);
          // A wake-up before the time is told to wait.
          assert.equal(policy.wake('doc', now + 1).kind, 'wait');
          wakeAt = e.wakeAt;
          lastEdit = now;
        }
        assert.ok(sent <= steps.length);
      }),
    );
  });

  it('typing fast doubles the pause', () => {
    const policy = new NextEditPolicy({ pauseMs: 400, fastTypingMs: 120, window: 4 });
    let t = 0;
    for (let i = 0; i < 5; i++) policy.edited('d', (t += 50));
    assert.equal(policy.edited('d', (t += 50)).wakeAt, t + 800);
    const slow = new NextEditPolicy({ pauseMs: 400, fastTypingMs: 120, window: 4 });
    t = 0;
    for (let i = 0; i < 5; i++) slow.edited('d', (t += 300));
    assert.equal(slow.edited('d', (t += 300)).wakeAt, t + 400);
  });
});

describe('nextEdit/engine against the scripted server', () => {
  const server = useScriptedServer();
  let client: ModelClient;
  let engine: NextEditEngine;
  let outcomes: NextEditOutcome[];
  let settings: NextEditSettings;
  let waiters: (() => void)[];

  before(() => {
    client = scriptedClient(server);
  });
  beforeEach(() => {
    outcomes = [];
    waiters = [];
    settings = { ...DEFAULT_NEXT_EDIT_SETTINGS, enabled: true, model: 'next-model', debounceMs: 50 };
    engine = new NextEditEngine({
      client: () => client,
      log: silentLogger,
      onOutcome: (o) => {
        outcomes.push(o);
        for (const w of waiters.splice(0)) w();
      },
    });
  });
  afterEach(() => engine.dispose());

  const outcome = (n = 1) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no outcome ${n} (have ${outcomes.length})`)), 4000);
      const check = () => {
        if (outcomes.length >= n) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });

  const TEXT = 'function area(w, h) {\n  return w * h;\n}\n';
  const renameW = (version = 1) => {
    // The user renames the parameter w to width in the signature.
    engine.edit('doc', 'src/area.ts', [{ startLine: 0, startCharacter: 14, endLine: 0, endCharacter: 15, text: 'width' }], {
      user: true,
      settings,
      snapshot: () => ({ path: 'src/area.ts', languageId: 'typescript', version, cursor: { line: 0, character: 19 } }),
    });
  };
  const reply = (body: string) => `\`\`\`\n${MARKERS.regionStart}\n${body}\n${MARKERS.regionEnd}\n\`\`\``;

  it('after the pause, sends the history and the marked region, and turns the reply into a proposal', async () => {
    server.enqueue({ reply: reply('function area(width, h) {\n  return width * h;\n}\n') });
    engine.track('src/area.ts', TEXT);
    renameW();
    await outcome();
    const o = outcomes[0];
    assert.equal(o.kind, 'proposal');
    if (o.kind !== 'proposal') return;
    assert.deepEqual(o.proposal.hunks, [{ start: 1, oldLines: ['  return w * h;'], newLines: ['  return width * h;'] }]);
    const body = server.requests.find((r) => r.endpoint === 'chat')!.body;
    assert.equal(body.model, 'next-model');
    const user = body.messages[1].content as string;
    assert.ok(user.includes('User edited "src/area.ts":\n```diff\n@@ -1,4 +1,4 @@\n-function area(w, h) {\n+function area(width, h) {'), user);
    assert.ok(user.includes(`${MARKERS.regionStart}\nfunction area(width${MARKERS.cursor}, h) {\n  return w * h;\n}\n`), user);
  });

  it('a rewrite that echoes a redacted token as its placeholder proposes only the real change, never the placeholder', async () => {
    const token = ['ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD'].join('');
    const text = `function area(w, h) {\n  const auth = "${token}";\n  return w * h;\n}\n`;
    server.enqueue({ reply: reply('function area(width, h) {\n  const auth = "<redacted:github-token>";\n  return width * h;\n}\n') });
    engine.track('src/area.ts', text);
    renameW();
    await outcome();
    const o = outcomes[0];
    assert.equal(o.kind, 'proposal', JSON.stringify(o));
    if (o.kind !== 'proposal') return;
    assert.deepEqual(o.proposal.hunks, [{ start: 2, oldLines: ['  return w * h;'], newLines: ['  return width * h;'] }]);
    const user = server.requests.find((r) => r.endpoint === 'chat')!.body.messages[1].content as string;
    assert.ok(user.includes('<redacted:github-token>') && !user.includes(token));
  });

  it('the same prompt again is answered from the cache; zeta format uses /v1/completions', async () => {
    settings.promptFormat = 'zeta';
    server.enqueue({ reply: reply('function area(width, h) {\n  return width * h;\n}\n'), endpoint: 'completions' });
    engine.track('src/area.ts', TEXT);
    renameW();
    await outcome(1);
    assert.equal(server.requestCounts().completions, 1);
    assert.match(server.requests[0].body.prompt, /### User Edits:[\s\S]*### Response:\n$/);
    // Undo and redo the rename: the text and the history are the same as before, and so is the prompt.
    engine.edit('doc', 'src/area.ts', [{ startLine: 0, startCharacter: 14, endLine: 0, endCharacter: 19, text: 'w' }], { user: false, settings, snapshot: () => undefined });
    renameW(3);
    await outcome(2);
    assert.equal(outcomes[1].kind === 'proposal' && outcomes[1].via, 'cache');
    assert.equal(server.requestCounts().completions, 1);
  });

  it('an edit during the request aborts it; a reply that undoes the user is dropped', async () => {
    server.enqueue({ reply: reply('x'), delayFirstMs: 60_000 });
    engine.track('src/area.ts', TEXT);
    renameW();
    await server.waitForRequests(1, 3000);
    // The next edit aborts the request at once.
    server.enqueue({ reply: reply('function area(w, h) {\n  return w * h;\n}\n') });
    engine.edit('doc', 'src/area.ts', [{ startLine: 1, startCharacter: 15, endLine: 1, endCharacter: 15, text: ';' }], {
      user: true,
      settings,
      snapshot: () => ({ path: 'src/area.ts', languageId: 'typescript', version: 2, cursor: { line: 1, character: 16 } }),
    });
    await server.waitUntil(() => server.requests[0].aborted, 60_000, 'the first request aborted');
    await outcome();
    assert.deepEqual(outcomes[0], { kind: 'dropped', docKey: 'doc', reason: 'undo' });
    assert.equal(engine.stats.requestsAborted, 1);
  });

  it('sends nothing when switched off, or for edits Redline made itself', async () => {
    engine.track('src/area.ts', TEXT);
    engine.edit('doc', 'src/area.ts', [{ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: 'export ' }], { user: false, settings, snapshot: () => undefined });
    engine.edit('doc', 'src/area.ts', [{ startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0, text: ' ' }], {
      user: true,
      settings: { ...settings, enabled: false },
      snapshot: () => undefined,
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(server.requests.length, 0);
    assert.equal(engine.history.recent().length, 1, 'both edits are in the history');
  });
});
