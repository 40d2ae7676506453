/** Language facts actions need: the Markdown fence name and the language's own doc-comment style. */

const FENCE_NAMES: Record<string, string> = {
  typescriptreact: 'tsx',
  javascriptreact: 'jsx',
  shellscript: 'bash',
  csharp: 'csharp',
  cpp: 'cpp',
  'objective-c': 'objectivec',
  'objective-cpp': 'objectivec',
  dockerfile: 'dockerfile',
  plaintext: 'text',
  jsonc: 'json',
};

/** The info string for a fenced code block of this VS Code language id. */
export function fenceLanguage(languageId: string): string {
  return FENCE_NAMES[languageId] ?? (/^[A-Za-z0-9_+#.-]{1,30}$/.test(languageId) ? languageId : '');
}

export interface DocStyle {
  /** The convention's name, e.g. "JSDoc". */
  name: string;
  /** How to write it, for the model. */
  howTo: string;
}

const JSDOC: DocStyle = {
  name: 'JSDoc',
  howTo: 'a `/** … */` block comment directly above each declaration, with @param, @returns and @throws tags where they apply',
};
const TSDOC: DocStyle = {
  name: 'TSDoc',
  howTo: 'a `/** … */` block comment directly above each declaration, with @param, @returns and @throws tags where they apply; no type annotations in the tags (the types are in the code)',
};

const DOC_STYLES: Record<string, DocStyle> = {
  typescript: TSDOC,
  typescriptreact: TSDOC,
  javascript: JSDOC,
  javascriptreact: JSDOC,
  python: {
    name: 'Python docstrings (PEP 257)',
    howTo: 'a triple-quoted docstring as the first statement inside each module, class and function body, with Args:, Returns: and Raises: sections (Google style) unless the code already uses another docstring style',
  },
  rust: {
    name: 'Rust doc comments',
    howTo: '`///` line comments directly above each item (and `//!` only for a module), in Markdown, with `# Examples`, `# Errors` and `# Panics` sections where they apply',
  },
  go: {
    name: 'Go doc comments',
    howTo: '`//` line comments directly above each declaration, starting with the name of the thing declared ("Parse returns …"), as gofmt and godoc expect',
  },
  java: {
    name: 'Javadoc',
    howTo: 'a `/** … */` block comment directly above each class, method and field, with @param, @return and @throws tags',
  },
  kotlin: { name: 'KDoc', howTo: 'a `/** … */` block comment above each declaration, with @param, @return and @throws tags' },
  scala: { name: 'Scaladoc', howTo: 'a `/** … */` block comment above each declaration, with @param, @return and @throws tags' },
  csharp: {
    name: 'C# XML documentation comments',
    howTo: '`///` comments with XML tags directly above each member: <summary>, <param name="…">, <returns> and <exception cref="…">',
  },
  fsharp: { name: 'F# XML documentation comments', howTo: '`///` comments above each declaration, plain text or XML tags such as <summary> and <param>' },
  cpp: {
    name: 'Doxygen',
    howTo: 'a `/** … */` (or `///`) Doxygen comment directly above each declaration, with @brief, @param, @return and @throws',
  },
  c: { name: 'Doxygen', howTo: 'a `/** … */` Doxygen comment directly above each declaration, with @brief, @param and @return' },
  'objective-c': { name: 'HeaderDoc/Doxygen', howTo: 'a `/** … */` comment above each declaration, with @param and @return' },
  swift: {
    name: 'Swift documentation comments',
    howTo: '`///` comments above each declaration in Swift Markup, with `- Parameter name:`, `- Returns:` and `- Throws:` fields',
  },
  php: { name: 'PHPDoc', howTo: 'a `/** … */` block comment above each declaration, with @param, @return and @throws tags and their types' },
  ruby: { name: 'YARD', howTo: '`#` comments above each method, with @param [Type], @return [Type] and @raise tags' },
  elixir: { name: 'ExDoc', howTo: '`@doc """ … """` above each public function and `@moduledoc` for the module' },
  lua: { name: 'LuaDoc/EmmyLua', howTo: '`---` comments above each function, with @param and @return annotations' },
  dart: { name: 'Dart doc comments', howTo: '`///` comments above each declaration, referencing names in [brackets]' },
  shellscript: { name: 'shell comments', howTo: '`#` comments above each function describing its arguments, outputs and exit status' },
  powershell: { name: 'PowerShell comment-based help', howTo: 'a `<# … #>` block with .SYNOPSIS, .DESCRIPTION, .PARAMETER and .OUTPUTS inside each function' },
  r: { name: 'roxygen2', howTo: "`#'` comments above each function with @param, @return and @export tags" },
  haskell: { name: 'Haddock', howTo: '`-- |` comments above each declaration and `-- ^` after arguments where useful' },
  sql: { name: 'SQL comments', howTo: '`--` comments above each statement explaining what it does' },
};

/** The documentation convention of the language; a neutral one when the language is unknown. */
export function docStyleFor(languageId: string): DocStyle {
  return (
    DOC_STYLES[languageId] ?? {
      name: 'the conventional documentation comments of this language',
      howTo: 'the comment syntax and documentation conventions this language and its tools expect, directly above or inside each declaration as is usual',
    }
  );
}
