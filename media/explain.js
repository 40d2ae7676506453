// @ts-check
// The Explain panel's script. It shows HTML that the extension rendered and sanitised, adds Copy and
// Apply buttons to code blocks, and sends the user's requests back. It never renders Markdown itself
// and never builds HTML from strings: text goes in with textContent, answers with the sanitised HTML.
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();

  const thread = /** @type {HTMLElement} */ (document.getElementById('thread'));
  const empty = /** @type {HTMLElement} */ (document.getElementById('empty'));
  const title = /** @type {HTMLElement} */ (document.getElementById('title'));
  const where = /** @type {HTMLElement} */ (document.getElementById('where'));
  const form = /** @type {HTMLFormElement} */ (document.getElementById('ask'));
  const question = /** @type {HTMLTextAreaElement} */ (document.getElementById('question'));
  const send = /** @type {HTMLButtonElement} */ (document.getElementById('send'));
  const stop = /** @type {HTMLButtonElement} */ (document.getElementById('stop'));

  let running = false;
  let canApply = false;
  let hasThread = false;

  /** @param {{ title: string, where?: string, canApply: boolean }} header */
  function setHeader(header) {
    title.textContent = header.title || 'Explain';
    where.textContent = header.where || '';
    canApply = !!header.canApply;
  }

  function setRunning(value) {
    running = value;
    stop.disabled = !value;
    send.disabled = value || !hasThread;
    form.classList.toggle('running', value);
  }

  function nearBottom() {
    const doc = document.scrollingElement || document.documentElement;
    return doc.scrollHeight - doc.scrollTop - doc.clientHeight < 80;
  }

  function scrollToBottom() {
    const doc = document.scrollingElement || document.documentElement;
    doc.scrollTop = doc.scrollHeight;
  }

  /** @param {number} index */
  function turnElement(index) {
    let section = /** @type {HTMLElement | null} */ (thread.querySelector(`section[data-turn="${index}"]`));
    if (!section) {
      section = document.createElement('section');
      section.className = 'turn';
      section.dataset.turn = String(index);
      const q = document.createElement('h2');
      q.className = 'question';
      const answer = document.createElement('div');
      answer.className = 'answer markdown';
      const status = document.createElement('p');
      status.className = 'status';
      status.setAttribute('role', 'status');
      section.append(q, answer, status);
      thread.append(section);
    }
    return section;
  }

  /**
   * The answer is kept in pieces (one element each): pieces before `from` stay as they are, the rest
   * are replaced by `segments`. A streaming frame so only touches what changed.
   * @param {HTMLElement} answer
   * @param {number} from
   * @param {string[]} segments
   */
  function setSegments(answer, from, segments) {
    while (answer.children.length > from && answer.lastElementChild) answer.lastElementChild.remove();
    for (const html of segments) {
      const piece = document.createElement('div');
      piece.className = 'segment';
      piece.innerHTML = html; // rendered and sanitised by the extension
      answer.append(piece);
    }
  }

  /**
   * @param {number} index
   * @param {{ question?: string, from?: number, segments?: string[], streaming?: boolean, stopped?: boolean, error?: string }} view
   */
  function showTurn(index, view) {
    const follow = nearBottom();
    const section = turnElement(index);
    const q = /** @type {HTMLElement} */ (section.querySelector('.question'));
    const answer = /** @type {HTMLElement} */ (section.querySelector('.answer'));
    const status = /** @type {HTMLElement} */ (section.querySelector('.status'));
    if (view.question !== undefined) q.textContent = view.question;
    // The first question is the action's title, already the panel's heading.
    q.hidden = index === 0 && q.textContent === title.textContent;
    if (view.segments !== undefined) setSegments(answer, view.from || 0, view.segments);
    section.setAttribute('aria-busy', view.streaming ? 'true' : 'false');
    section.classList.toggle('streaming', !!view.streaming);
    if (view.error) {
      status.textContent = view.error;
      status.className = 'status error';
    } else if (view.stopped) {
      status.textContent = 'Stopped.';
      status.className = 'status';
    } else if (view.streaming) {
      status.textContent = answer.textContent ? '' : 'Thinking…';
      status.className = 'status';
    } else {
      status.textContent = '';
      status.className = 'status';
    }
    if (!view.streaming) addCodeButtons(section);
    empty.hidden = true;
    if (follow) scrollToBottom();
  }

  /** Copy and Apply on every code block of a finished answer. */
  function addCodeButtons(section) {
    for (const block of section.querySelectorAll('.code-block[data-block-id]')) {
      if (block.querySelector('.code-toolbar')) continue;
      const id = block.getAttribute('data-block-id') || '';
      const bar = document.createElement('div');
      bar.className = 'code-toolbar';
      const lang = block.getAttribute('data-lang');
      if (lang) {
        const label = document.createElement('span');
        label.className = 'code-lang';
        label.textContent = lang;
        bar.append(label);
      }
      bar.append(button('Copy', 'copy', id, 'Copy this code block to the clipboard'));
      if (canApply) bar.append(button('Apply', 'apply', id, 'Replace the explained code with this block (opens a review)'));
      block.prepend(bar);
    }
  }

  function button(text, action, blockId, label) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = text;
    b.title = label;
    b.setAttribute('aria-label', `${label}`);
    b.dataset.action = action;
    b.dataset.block = blockId;
    return b;
  }

  thread.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const b = target.closest('button[data-action]');
    if (b instanceof HTMLButtonElement) {
      const action = b.dataset.action;
      const blockId = b.dataset.block || '';
      if (action === 'copy') {
        vscode.postMessage({ type: 'copy', blockId });
        const before = b.textContent;
        b.textContent = 'Copied';
        setTimeout(() => (b.textContent = before), 1200);
      } else if (action === 'apply') {
        vscode.postMessage({ type: 'apply', blockId });
      }
      return;
    }
    const link = target.closest('a[data-href]');
    if (link) {
      event.preventDefault();
      vscode.postMessage({ type: 'openLink', href: link.getAttribute('data-href') });
    }
  });

  thread.addEventListener('keydown', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if ((event.key === 'Enter' || event.key === ' ') && target.matches('a[data-href]')) {
      event.preventDefault();
      vscode.postMessage({ type: 'openLink', href: target.getAttribute('data-href') });
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = question.value.trim();
    if (!text || running || !hasThread) return;
    vscode.postMessage({ type: 'ask', text });
    question.value = '';
  });

  question.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  stop.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && running) {
      event.preventDefault();
      vscode.postMessage({ type: 'stop' });
    }
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message.type !== 'string') return;
    switch (message.type) {
      case 'start':
        if (message.reset) thread.textContent = '';
        hasThread = true;
        setHeader(message.header);
        showTurn(message.turn, { question: message.question, from: 0, segments: [], streaming: true });
        vscode.setState(message.state);
        setRunning(true);
        break;
      case 'delta':
        showTurn(message.turn, { from: message.from, segments: message.segments, streaming: true });
        break;
      case 'done':
        showTurn(message.turn, { from: message.from, segments: message.segments, stopped: message.stopped });
        vscode.setState(message.state);
        setRunning(false);
        break;
      case 'error':
        showTurn(message.turn, { from: message.from, segments: message.segments, error: message.message });
        vscode.setState(message.state);
        setRunning(false);
        break;
      case 'restore':
        thread.textContent = '';
        hasThread = message.turns.length > 0;
        setHeader(message.header);
        message.turns.forEach((turn, index) => showTurn(index, turn));
        empty.hidden = hasThread;
        if (message.state) vscode.setState(message.state);
        setRunning(!!message.running);
        break;
    }
  });

  // Until the extension answers 'ready' with the thread, show the saved thread's heading.
  const saved = vscode.getState();
  if (saved && typeof saved.title === 'string') {
    title.textContent = saved.title;
    empty.hidden = true;
  }
  setRunning(false);
  vscode.postMessage({ type: 'ready' });
})();
