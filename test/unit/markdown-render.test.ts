import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import sanitizeHtml from 'sanitize-html';
import { isOpenableLink, renderMarkdown, SANITIZE_OPTIONS } from '../../src/core/markdown/render';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'unit', 'fixtures', 'markdown');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const ALLOWED_TAGS = new Set([
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'strong', 'em', 's', 'del', 'code', 'pre',
  'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div',
]);
const ALLOWED_ATTRIBUTES = new Set(['class', 'data-href', 'title', 'tabindex', 'role', 'data-block-id', 'data-lang', 'start']);

interface Element {
  tag: string;
  attributes: Record<string, string>;
}

/** Parses HTML (htmlparser2 under sanitize-html, nothing removed) and lists every element with its attributes. */
function elements(html: string): Element[] {
  const found: Element[] = [];
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    onOpenTag: (tag, attributes) => found.push({ tag, attributes }),
  });
  return found;
}

/** Everything that would make the HTML active in a browser, as readable complaints (none = inert). */
function activeParts(html: string): string[] {
  const complaints: string[] = [];
  for (const { tag, attributes } of elements(html)) {
    if (!ALLOWED_TAGS.has(tag)) complaints.push(`tag <${tag}>`);
    for (const [name, value] of Object.entries(attributes)) {
      if (!ALLOWED_ATTRIBUTES.has(name)) complaints.push(`attribute ${name} on <${tag}>`);
      if (name === 'data-href' && !/^(https?:\/\/|mailto:)/i.test(value)) complaints.push(`data-href ${value}`);
      if (name === 'class' && /\s?(?:javascript|on[a-z]+=)/i.test(value)) complaints.push(`class ${value}`);
    }
  }
  return complaints;
}

describe('markdown render: hostile Markdown renders inert', () => {
  for (const file of fs.readdirSync(path.join(FIXTURES, 'hostile')).sort()) {
    it(`fixtures/markdown/hostile/${file}`, () => {
      const { html } = renderMarkdown(read(`hostile/${file}`), 't0-');
      assert.deepStrictEqual(activeParts(html), [], html);
      assert.ok(!/<script/i.test(html), 'no <script> tag');
      assert.ok(!/<(img|svg|iframe|style|form|meta|base|object|embed|math)\b/i.test(html), 'no active tag');
      assert.ok(!elements(html).some((e) => 'href' in e.attributes), 'no href attribute at all: links go through the extension');
    });
  }

  it('shows raw HTML as text instead of dropping it', () => {
    const { html } = renderMarkdown('<script>alert(1)</script>');
    assert.strictEqual(html.trim(), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    const img = renderMarkdown('<img src=x onerror=alert(1)>').html;
    assert.ok(img.includes('&lt;img src=x onerror=alert(1)&gt;'), img);
  });

  it('keeps no URL for javascript:, vbscript:, data:, file:, command: or protocol-relative links', () => {
    const { html } = renderMarkdown(read('hostile/javascript-links.md'));
    const links = elements(html).filter((e) => e.tag === 'a');
    assert.ok(links.length >= 3, `the links that markdown accepted still render as (inert) links: ${html}`);
    for (const link of links) assert.strictEqual(link.attributes['data-href'], undefined, JSON.stringify(link));
  });

  it('turns images into their alt text and loads nothing', () => {
    const { html } = renderMarkdown('![tracking pixel](https://evil.example/p.png) ![](https://evil.example/q.png)');
    assert.ok(html.includes('[image: tracking pixel]'), html);
    assert.ok(html.includes('[image]'), html);
    assert.ok(!html.includes('evil.example'), html);
  });

  it('cannot break out of a title or a URL attribute', () => {
    const { html } = renderMarkdown(read('hostile/markdown-tricks.md'));
    const withTitle = elements(html).filter((e) => e.tag === 'a' && e.attributes.title?.includes('onmouseover'));
    assert.strictEqual(withTitle.length, 1, html);
    assert.deepStrictEqual(Object.keys(withTitle[0].attributes).sort(), ['class', 'data-href', 'role', 'tabindex', 'title']);
    assert.strictEqual(withTitle[0].attributes['data-href'], 'https://example.com');
    for (const element of elements(html)) assert.ok(!('onclick' in element.attributes) && !('onmouseover' in element.attributes));
  });

  it('a fence language cannot inject attributes or classes', () => {
    const { html, codeBlocks } = renderMarkdown('```js" onmouseover="alert(1) class="x\nlet a;\n```');
    assert.strictEqual(codeBlocks[0].language, '');
    assert.deepStrictEqual(activeParts(html), []);
    assert.ok(!html.includes('onmouseover="'), html);
  });

  it('the sanitiser alone strips what markdown-it would never emit (defence in depth)', () => {
    const dirty =
      '<a href="javascript:alert(1)" data-href="javascript:alert(1)" onclick="x()">a</a>' +
      '<a data-href="JAVASCRIPT:alert(1)">b</a><a data-href=" javascript:alert(1)">c</a>' +
      '<a data-href="https://ok.example/">d</a><div onmouseover="x()" class="code-block evil" style="color:red">e</div>' +
      '<img src=x onerror=alert(1)><svg onload=alert(1)></svg><iframe src="https://x"></iframe><style>*{}</style><script>alert(1)</script>' +
      '<span class="hljs-keyword md-image attacker">f</span><code class="language-ts hljs x">g</code>';
    const clean = sanitizeHtml(dirty, SANITIZE_OPTIONS);
    assert.deepStrictEqual(activeParts(clean), []);
    const anchors = elements(clean).filter((e) => e.tag === 'a').map((e) => e.attributes['data-href']);
    assert.deepStrictEqual(anchors, [undefined, undefined, undefined, 'https://ok.example/']);
    assert.ok(!clean.includes('alert'), clean);
    assert.ok(clean.includes('<div class="code-block">e</div>'), clean);
    assert.ok(clean.includes('<span class="hljs-keyword md-image">f</span>'), clean);
    assert.ok(clean.includes('<code class="language-ts hljs">g</code>'), clean);
  });

  it('any mix of hostile fragments and text stays inert (property)', () => {
    const fragments = [
      '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '[x](javascript:alert(1))',
      '![y](data:image/svg+xml,<svg onload=alert(1)>)', '<a href="javascript:x">', '"', "'", '>', '<', '`', '```', '\n', '\n\n',
      '[', ']', '(', ')', '<iframe src=//e>', 'javascript:', ' onerror=', '&#x3C;script&#x3E;', '<style>', '*', '_', '|', '- ',
      '[a]: javascript:alert(1)\n', '<https://ok.example>', 'www.example.com', '\\', '&lt;', '<!--', '-->', '<![CDATA[',
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })), { maxLength: 30 }), (parts) => {
        const { html } = renderMarkdown(parts.join(''));
        const complaints = activeParts(html);
        assert.deepStrictEqual(complaints, [], `${JSON.stringify(parts.join(''))} → ${html}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('markdown render: a real answer', () => {
  it('renders headings, lists, tables and links, and lists its code blocks in order', () => {
    const { html, codeBlocks } = renderMarkdown(read('answer.md'), 't0-');
    assert.deepStrictEqual(codeBlocks, JSON.parse(read('answer.blocks.json')));
    assert.ok(html.includes('<h2>What it does</h2>'), html);
    assert.ok(html.includes('<ol>'), html);
    assert.ok(html.includes('<table>'), html);
    assert.ok(
      html.includes('data-href="https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/reduce"'),
      html,
    );
    assert.deepStrictEqual(activeParts(html), []);
  });

  it('gives each code block a container with its id and highlights known languages', () => {
    const { html } = renderMarkdown(read('answer.md'), 't3-');
    const blocks = elements(html).filter((e) => e.tag === 'div');
    assert.deepStrictEqual(
      blocks.map((b) => [b.attributes['data-block-id'], b.attributes['data-lang']]),
      [['t3-b0', 'ts'], ['t3-b1', 'python'], ['t3-b2', '']],
    );
    assert.ok(html.includes('<span class="hljs-keyword">export</span>'), 'TypeScript is highlighted');
    assert.ok(html.includes('<span class="hljs-keyword">def</span>'), 'Python is highlighted');
  });

  it('highlights VS Code language ids used as fence names and leaves unknown languages plain', () => {
    assert.ok(renderMarkdown('```typescriptreact\nconst a = 1;\n```').html.includes('hljs-keyword'));
    assert.ok(renderMarkdown('```shellscript\nif true; then echo; fi\n```').html.includes('hljs-keyword'));
    const unknown = renderMarkdown('```brainfuck\n+[-->-[>>+>-----<<]<--<---]\n```');
    assert.ok(!unknown.html.includes('hljs-'), unknown.html);
    assert.strictEqual(unknown.codeBlocks[0].language, 'brainfuck');
  });

  it('renders a half-streamed answer with an open fence as a code block', () => {
    const { codeBlocks } = renderMarkdown('Try this:\n\n```ts\nconst a =');
    assert.deepStrictEqual(codeBlocks, [{ id: 'b0', language: 'ts', code: 'const a =' }]);
  });

  it('keeps code text byte for byte, including characters HTML would mangle', () => {
    const code = 'if (a < b && c > "d") { x = \'<script>\'; }\r\n\ttab\n';
    const { codeBlocks, html } = renderMarkdown('```js\n' + code + '```\n');
    assert.strictEqual(codeBlocks[0].code, code.replace('\r\n', '\n'));
    assert.ok(!html.includes('<script>'), html);
  });
});

describe('isOpenableLink', () => {
  const table: [string, boolean][] = [
    ['https://example.com/a?b=c', true],
    ['http://localhost:8080/', true],
    ['mailto:dev@example.com', true],
    ['HTTPS://EXAMPLE.COM', true],
    ['javascript:alert(1)', false],
    [' https://example.com', false],
    ['command:workbench.action.terminal.new', false],
    ['vscode://file/etc/passwd', false],
    ['file:///etc/passwd', false],
    ['//evil.example', false],
    ['data:text/html,x', false],
    ['https://', false],
  ];
  for (const [href, expected] of table) {
    it(`${JSON.stringify(href)} → ${expected}`, () => assert.strictEqual(isOpenableLink(href), expected));
  }
});
