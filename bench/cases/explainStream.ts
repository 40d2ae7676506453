/**
 * The Explain panel under load: a 2 MB answer (prose, small code blocks, then one 2 MB code block)
 * streamed into the panel's renderer, one frame per 16 KB of new text (a very fast server). A frame is
 * what the extension host does per render tick: VisibleAnswer.update() (reasoning left out) and
 * MarkdownStream.update() plus serialising the message
 * for postMessage; the last frame finishes the answer and also serialises the thread the webview
 * keeps. Figures: the longest frame (aim < 50 ms) and p95, in wall time and in process CPU time (on a
 * loaded machine wall time also counts the time the OS gave to others), and for comparison the cost
 * of rendering a 32 KB answer whole, which the panel used to do on every tick.
 */
import { renderMarkdown } from '../../src/core/markdown/render';
import { MarkdownStream, VisibleAnswer } from '../../src/core/markdown/stream';
import { Figures, percentile, round, timeMs } from '../util';

/** Wall time and process CPU time of `fn`, in ms (CPU time does not count time the OS ran others). */
function measure(fn: () => void): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const wall = timeMs(fn);
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const FRAME_CHARS = 16_000;
const TARGET_CHARS = 2_000_000;

function bigAnswer(): string {
  const prose = [
    '## What the module does\n\nIt reads the **configuration**, validates it and starts the workers, see [the docs](https://example.com/docs).\n\n',
    '1. Parse the file.\n2. Check each field.\n3. Start.\n\n',
    '```ts\nexport function parse(text: string): Config {\n  return JSON.parse(text) as Config;\n}\n```\n\n',
    'The whole file, rewritten:\n\n',
  ].join('');
  const lines: string[] = ['```ts\n'];
  let size = prose.length;
  for (let i = 0; size < TARGET_CHARS; i++) {
    const line = `export function handler${i}(input: Input${i}): Output { return compute(input.value * ${i}, "s${i}") ?? fallback<${i}>(); }\n`;
    lines.push(line);
    size += line.length;
  }
  lines.push('```\n\nThat is the whole file. Each handler is independent.\n');
  return prose + lines.join('');
}

export function explainStream(): Figures {
  const answer = bigAnswer();
  // Warm up the renderer and highlight.js on a small answer first (their first call compiles grammars).
  new MarkdownStream('w-').update(answer.slice(0, 40_000), true);

  const renderer = new MarkdownStream('t0-');
  const visible = new VisibleAnswer();
  const frames: number[] = [];
  const cpuFrames: number[] = [];
  let sentChars = 0;
  for (let at = FRAME_CHARS; at < answer.length; at += FRAME_CHARS) {
    const m = measure(() => {
      const update = renderer.update(visible.update(answer.slice(0, at)));
      sentChars += JSON.stringify({ type: 'delta', turn: 0, ...update }).length;
    });
    frames.push(m.wall);
    cpuFrames.push(m.cpu);
  }
  const thread = { version: 1, title: 'Explain', firstPrompt: 'Explain this file.', turns: [{ question: 'Explain', answer }] };
  const final = measure(() => {
    const update = renderer.update(visible.update(answer), true);
    sentChars += JSON.stringify({ type: 'done', turn: 0, ...update, stopped: false, state: thread }).length;
  });
  frames.push(final.wall);
  cpuFrames.push(final.cpu);
  const finalMs = final.wall;

  const small = answer.slice(0, 32_000) + '\n```\n';
  renderMarkdown(small);
  const wholeRender32KbMs = timeMs(() => renderMarkdown(small));

  return {
    answerChars: answer.length,
    frames: frames.length,
    longestFrameMs: round(Math.max(...frames)),
    p95FrameMs: round(percentile(frames, 95)),
    longestFrameCpuMs: round(Math.max(...cpuFrames)),
    p95FrameCpuMs: round(percentile(cpuFrames, 95)),
    finalFrameMs: round(finalMs),
    totalMs: round(frames.reduce((a, b) => a + b, 0)),
    sentMb: round(sentChars / 1e6),
    wholeRender32KbMs: round(wholeRender32KbMs),
    aimMs: 50,
  };
}
