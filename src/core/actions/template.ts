/**
 * Prompt templates: text with `{{variable}}` placeholders. Filling is a single pass over the template,
 * so text that comes from the editor (the selection, the user's input, diagnostics) is inserted as it
 * is and never expanded again: a selection containing `{{input}}` stays literal.
 */

export const TEMPLATE_VARIABLES = ['selection', 'language', 'filePath', 'diagnostics', 'input'] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export type TemplateValues = Partial<Record<TemplateVariable, string>>;

/** Any `{{…}}` without braces inside; the name is trimmed. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

export function isTemplateVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

/** The variable names a template uses, in order of first use (known and unknown alike). */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1].trim();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

export function usesVariable(template: string, variable: TemplateVariable): boolean {
  return templateVariables(template).includes(variable);
}

export interface UnknownVariable {
  name: string;
  /** A known variable the name is probably a typo of. */
  suggestion?: TemplateVariable;
}

/** Placeholders that name no known variable, each once, with a likely correction when there is one. */
export function unknownVariables(template: string): UnknownVariable[] {
  return templateVariables(template)
    .filter((name) => !isTemplateVariable(name))
    .map((name) => {
      const suggestion = suggestVariable(name);
      return suggestion ? { name, suggestion } : { name };
    });
}

/**
 * Replaces every known `{{variable}}` with its value in one pass. Unknown placeholders and variables
 * without a value stay as written; values are inserted verbatim (no `$&`-style replacement patterns,
 * no second expansion).
 */
export function fillTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole: string, inner: string) => {
    const name = inner.trim();
    if (!isTemplateVariable(name)) return whole;
    const value = values[name];
    return value === undefined ? whole : value;
  });
}

function suggestVariable(name: string): TemplateVariable | undefined {
  const lower = name.toLowerCase().replace(/[\s_-]/g, '');
  let best: { variable: TemplateVariable; distance: number } | undefined;
  for (const variable of TEMPLATE_VARIABLES) {
    const distance = editDistance(lower, variable.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { variable, distance };
  }
  return best?.variable;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
