/**
 * Next edit suggestions.
 *
 * - nextEditLatency: the time from an edit reaching the engine to the request being handed to the
 *   model client (the shadow copy and the history updated, the region grown to whole blocks, the
 *   history diffs and the excerpt formatted, secrets redacted, the cache looked up), on a 20,000-line
 *   file. The pause is 0 so the figure is the work, not the wait. 200 edits at 40 places.
 * - nextEditTyping: requests per 100 edits in a typing simulation (words typed 80–300 ms a key, or
 *   40–160 ms for a fast typist; a 350–700 ms hesitation after a quarter of the words; a thinking
 *   pause of 0.6–3 s every few words; a request answered in 400 ms) with the request policy (400 ms
 *   pause, doubled while typing fast) against one request per edit and a plain 400 ms debounce.
 */
import * as os from 'os';
import { silentLogger } from '../../src/core/log';
import { NextEditEngine } from '../../src/core/nextEdit/engine';
import { NextEditPolicy } from '../../src/core/nextEdit/policy';
import { DEFAULT_NEXT_EDIT_SETTINGS } from '../../src/core/nextEdit/settings';
import { type Figures, percentile, round, seeded, sourceLines } from '../util';
import { instantClient } from './completionLatency';

export async function nextEditLatency(): Promise<Figures> {
  const lines = sourceLines(20_000, 5).map((l) => l.replace(/\n$/, ''));
  let sentAt = 0;
  let sent = 0;
  const engine = new NextEditEngine({
    client: () =>
      instantClient(() => {
        sentAt = performance.now();
        const cpu = process.cpuUsage();
        cpuAtSend = (cpu.user + cpu.system) / 1000;
      }),
    log: silentLogger,
    sleep: async (_ms, signal) => !signal.aborted,
    onRequestSent: () => sent++,
  });
  engine.track('src/big.ts', lines.join('\n'));
  const settings = { ...DEFAULT_NEXT_EDIT_SETTINGS, enabled: true, debounceMs: 0, model: 'bench' };
  const rnd = seeded(11);
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  let cpuAtSend = 0;
  let version = 1;
  for (let place = 0; place < 40; place++) {
    const line = Math.floor(rnd() * 19_900) + 50;
    for (let k = 0; k < 5; k++) {
      const character = engine.history.lines('src/big.ts')![line].length;
      const before = sent;
      const cpu = process.cpuUsage();
      const cpuStart = (cpu.user + cpu.system) / 1000;
      const start = performance.now();
      engine.edit('doc', 'src/big.ts', [{ startLine: line, startCharacter: character, endLine: line, endCharacter: character, text: 'x' }], {
        user: true,
        settings,
        snapshot: () => ({ path: 'src/big.ts', languageId: 'typescript', version: ++version, cursor: { line, character: character + 1 } }),
      });
      // The engine works asynchronously: let it run until the request is sent.
      for (let spin = 0; spin < 50 && sent === before; spin++) await new Promise((r) => setImmediate(r));
      if (sent === before) throw new Error('no request was sent');
      samples.push(sentAt - start);
      cpuSamples.push(cpuAtSend - cpuStart);
    }
  }
  engine.dispose();
  return {
    fileLines: 20_000,
    samples: samples.length,
    p50Ms: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    maxMs: round(Math.max(...samples)),
    // CPU time of the process over the same span: the work itself, without the waits for a core on a
    // loaded machine (wall-clock p95 moves with the load average).
    cpuP50Ms: round(percentile(cpuSamples, 50)),
    cpuP95Ms: round(percentile(cpuSamples, 95)),
    loadAverage1m: round(os.loadavg()[0]),
  };
}

interface Simulation {
  requests: number;
  aborted: number;
}

/**
 * Edit times (ms) of a typing session: words key by key (`keyMs` apart, plus up to `jitterMs`), a short
 * hesitation of 350–700 ms after a quarter of the words, a thinking pause every few words.
 */
function typingSession(edits: number, seed: number, keyMs = 80, jitterMs = 220): number[] {
  const rnd = seeded(seed);
  const times: number[] = [];
  let t = 0;
  let wordsUntilPause = 3 + Math.floor(rnd() * 8);
  while (times.length < edits) {
    const word = 3 + Math.floor(rnd() * 6);
    for (let i = 0; i <= word && times.length < edits; i++) {
      t += keyMs + rnd() * jitterMs;
      times.push(t);
    }
    if (rnd() < 0.25) t += 350 + rnd() * 350;
    if (--wordsUntilPause === 0) {
      t += 600 + rnd() * 2400;
      wordsUntilPause = 3 + Math.floor(rnd() * 8);
    }
  }
  return times;
}

function simulate(times: number[], pauseMs: number, fastTypingMs: number, answerMs: number): Simulation {
  const policy = new NextEditPolicy({ pauseMs, fastTypingMs, window: 4 });
  let wakeAt: number | undefined;
  let running: { id: number; endsAt: number } | undefined;
  let requests = 0;
  let aborted = 0;
  let id = 0;
  for (const t of times) {
    if (running && running.endsAt <= t) {
      policy.ended('doc', running.id);
      running = undefined;
    }
    while (wakeAt !== undefined && wakeAt <= t) {
      const d = policy.wake('doc', wakeAt);
      if (d.kind === 'send') {
        requests++;
        running = { id: ++id, endsAt: wakeAt + answerMs };
        policy.started('doc', running.id);
        wakeAt = undefined;
      } else if (d.kind === 'wait') wakeAt = d.at;
      else wakeAt = undefined;
      if (running && running.endsAt <= t) {
        policy.ended('doc', running.id);
        running = undefined;
      }
    }
    const e = policy.edited('doc', t);
    if (e.abortFlightId !== undefined) aborted++;
    running = undefined;
    wakeAt = e.wakeAt;
  }
  if (wakeAt !== undefined) requests++;
  return { requests, aborted };
}

export function nextEditTyping(): Figures {
  const edits = 2000;
  const per100 = (n: number) => round((n / edits) * 100);
  const steady = typingSession(edits, 21);
  const fast = typingSession(edits, 22, 40, 120);
  const r = { steady: simulate(steady, 400, 120, 400), fast: simulate(fast, 400, 120, 400) };
  const d = { steady: simulate(steady, 400, 0, 400), fast: simulate(fast, 400, 0, 400) };
  return {
    edits,
    requestsPer100EditsEveryEdit: 100,
    requestsPer100EditsRedline: per100(r.steady.requests),
    requestsPer100EditsPlainDebounce: per100(d.steady.requests),
    abortedPer100EditsRedline: per100(r.steady.aborted),
    fastTypistRequestsPer100EditsRedline: per100(r.fast.requests),
    fastTypistRequestsPer100EditsPlainDebounce: per100(d.fast.requests),
  };
}
