/**
 * Model Markdown → HTML that is safe to show in a webview. Runs in the extension host (and in plain
 * Node for tests). Three layers, each enough on its own for the common attacks:
 *  1. markdown-it with `html: false`: raw HTML in the model's text is escaped, never parsed as tags;
 *     its link validation drops javascript:, vbscript:, file: and data: URLs.
 *  2. Our renderer rules: links keep no `href` (the URL goes to `data-href` only when it is http(s)
 *     or mailto, and the webview asks the extension to open it); images become their alt text; code
 *     blocks get ids for Copy and Apply.
 *  3. sanitize-html with a strict allow-list of tags, attributes, classes and URL schemes.
 * The webview's Content-Security-Policy (no inline script, no remote anything) is the fourth.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, go, java, javascript, json, kotlin, markdown, php, plaintext, python, ruby, rust, shell, sql,
  swift, typescript, xml, yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
// VS Code language ids that are not highlight.js names or aliases.
hljs.registerAliases(['typescriptreact', 'mts', 'cts'], { languageName: 'typescript' });
hljs.registerAliases(['javascriptreact', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['shellscript'], { languageName: 'bash' });
hljs.registerAliases(['jsonc'], { languageName: 'json' });

/** The highlight.js languages the panel colours (others are shown plain). */
export const HIGHLIGHTED_LANGUAGES: readonly string[] = Object.keys(LANGUAGES);

export interface CodeBlock {
  /** Unique within a thread: `<idPrefix>b<n>`. */
  id: string;
  /** The fence's language (letters, digits and `+#.-` only), or ''. */
  language: string;
  /** The block's text exactly as the model wrote it (ends with a newline). */
  code: string;
}

export interface RenderedMarkdown {
  html: string;
  codeBlocks: CodeBlock[];
}

interface RenderEnv {
  idPrefix: string;
  codeBlocks: CodeBlock[];
  /** Number of the first code block (blocks of earlier pieces of the same answer come before). */
  firstBlock: number;
  /** Code blocks longer than this are shown without colours (highlighting is the costly part). */
  highlightLimit: number;
}

/**
 * Code blocks above this many characters are not highlighted: highlight.js takes tens of milliseconds
 * per 100 KB, and a panel that froze the editor for a colourful 2 MB block would be a bad trade.
 */
export const HIGHLIGHT_LIMIT = 48_000;

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
const SAFE_LANGUAGE = /^[A-Za-z0-9_+#.-]{1,30}$/;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
const escapeHtml = md.utils.escapeHtml;

md.renderer.rules.fence = (tokens, idx, _options, env) => {
  const token = tokens[idx];
  const info = token.info ? md.utils.unescapeAll(token.info).trim() : '';
  return codeBlock(token.content, info.split(/\s+/)[0] ?? '', env as unknown as RenderEnv);
};
md.renderer.rules.code_block = (tokens, idx, _options, env) => codeBlock(tokens[idx].content, '', env as unknown as RenderEnv);

md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const alt = self.renderInlineAsText(token.children ?? [], options, env).trim();
  return `<span class="md-image">[${alt ? `image: ${escapeHtml(alt)}` : 'image'}]</span>`;
};

md.renderer.rules.link_open = (tokens, idx) => {
  const token = tokens[idx];
  const href = String(token.attrGet('href') ?? '');
  const title = token.attrGet('title') === null ? undefined : String(token.attrGet('title'));
  const attrs = ['class="md-link"'];
  if (SAFE_LINK.test(href)) {
    attrs.push(`data-href="${escapeHtml(href)}"`, 'tabindex="0"', 'role="link"');
    attrs.push(`title="${escapeHtml(title ? `${title} (${href})` : href)}"`);
  } else if (title) {
    attrs.push(`title="${escapeHtml(title)}"`);
  }
  return `<a ${attrs.join(' ')}>`;
};

function codeBlock(code: string, rawLanguage: string, env: RenderEnv): string {
  const language = safeLanguage(rawLanguage);
  const id = `${env.idPrefix}b${env.firstBlock + env.codeBlocks.length}`;
  env.codeBlocks.push({ id, language, code });
  return codeBlockHtml(code, language, { id, highlight: code.length <= env.highlightLimit });
}

/**
 * A code block's HTML: highlighted when asked and the language is known, else escaped text. `id`
 * makes it the block Copy and Apply act on; a block shown in several pieces has it on the first only
 * (the others are `code-cont`, its continuation).
 */
export function codeBlockHtml(code: string, language: string, options: { id?: string; highlight: boolean }): string {
  const known = options.highlight && language !== '' && hljs.getLanguage(language) !== undefined;
  const body = known ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeHtml(code);
  const languageClass = known ? ` language-${language}` : '';
  const attrs = options.id !== undefined ? `class="code-block" data-block-id="${escapeHtml(options.id)}" data-lang="${escapeHtml(language)}"` : 'class="code-block code-cont"';
  return `<div ${attrs}><pre><code class="hljs${languageClass}">${body}</code></pre></div>\n`;
}

/** The fence language as the panel uses it: letters, digits and `+#.-`, lowercase; else ''. */
export function safeLanguage(rawInfo: string): string {
  const language = rawInfo.trim().split(/\s+/)[0] ?? '';
  return SAFE_LANGUAGE.test(language) ? language.toLowerCase() : '';
}

/** The allow-list. Anything not named here is dropped (tags keep their text, script/style lose it too). */
export const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'strong', 'em', 's', 'del', 'code', 'pre',
    'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div',
  ],
  allowedAttributes: {
    a: ['class', 'data-href', 'title', 'tabindex', 'role'],
    div: ['class', 'data-block-id', 'data-lang'],
    code: ['class'],
    span: ['class'],
    ol: ['start'],
  },
  allowedClasses: {
    a: ['md-link'],
    div: ['code-block', 'code-cont'],
    code: ['hljs', /^language-[a-z0-9_+#.-]+$/],
    span: ['md-image', /^hljs-[a-z0-9_-]+$/, /^[a-z]+_+$/],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['data-href'],
  allowProtocolRelative: false,
  allowedIframeHostnames: [],
  disallowedTagsMode: 'discard',
  parseStyleAttributes: false,
  transformTags: {
    // Defence in depth: an `a` that reaches here with a URL it should not have loses it.
    a: (tagName, attribs) => {
      const { href: _href, ...rest } = attribs;
      if (rest['data-href'] !== undefined && !SAFE_LINK.test(rest['data-href'])) delete rest['data-href'];
      return { tagName, attribs: rest };
    },
  },
};

/**
 * Renders model Markdown to sanitised HTML. `idPrefix` keeps code-block ids unique across the answers
 * of one thread (e.g. `t2-` for the third answer).
 */
export function renderMarkdown(markdown: string, idPrefix = '', options: { firstBlock?: number; highlightLimit?: number } = {}): RenderedMarkdown {
  const env: RenderEnv = { idPrefix, codeBlocks: [], firstBlock: options.firstBlock ?? 0, highlightLimit: options.highlightLimit ?? HIGHLIGHT_LIMIT };
  const raw = md.render(markdown, env as unknown as Record<string, unknown>);
  return { html: sanitizeHtml(raw, SANITIZE_OPTIONS), codeBlocks: env.codeBlocks };
}

/** Runs HTML through the allow-list (for code blocks rendered outside `renderMarkdown`). */
export function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/** True for the only link targets the panel opens: http(s) and mailto URLs. */
export function isOpenableLink(href: string): boolean {
  if (!SAFE_LINK.test(href)) return false;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:';
  } catch {
    return false;
  }
}

