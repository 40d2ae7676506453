/** The built-in actions as prompt templates. Document's template depends on the language's doc style. */
import type { Action, BuiltinActionId } from './types';
import { docStyleFor } from './languages';

const EXPLAIN =
  'Explain this {{language}} code from {{filePath}} to a colleague who is about to change it: what it is for, ' +
  'how it works step by step, and anything surprising (edge cases, bugs, performance, security). Be concise; ' +
  'use short sections or lists where they help, and quote code only where it makes a point.';

const FIX =
  'Fix the problems in this {{language}} code from {{filePath}}.\n\n' +
  'Diagnostics reported for it:\n{{diagnostics}}\n\n' +
  'Fix their causes (and any plain bug you see) with the smallest change that keeps the intent of the code. ' +
  'Do not rename, reformat or reorganise anything else.';

const SIMPLIFY =
  'Simplify this {{language}} code from {{filePath}}: make it shorter and easier to read without changing what it does ' +
  '(same results, side effects, errors and public names). Prefer the idioms and standard library of the language. ' +
  'If it is already as simple as it should be, return it unchanged.';

const WRITE_TESTS =
  'Write unit tests for this {{language}} code from {{filePath}}. Cover the normal cases, the edge cases and the ' +
  'error cases; one behaviour per test, with names that say what is expected.';

/** Document's template for a language. */
export function documentTemplate(languageId: string): string {
  const style = docStyleFor(languageId);
  return (
    `Add documentation comments to this {{language}} code from {{filePath}} as ${style.name}: ${style.howTo}. ` +
    'Say what each declaration is for, what its parameters mean, what it returns and when it fails; keep it short and do ' +
    'not restate the obvious. Improve existing comments that are wrong or missing pieces. Do not change the code ' +
    'itself: every line of code stays exactly as it is; only comments are added or changed.'
  );
}

export const BUILTIN_ACTIONS: readonly Action[] = [
  { id: 'builtin.explain', builtin: 'explain', title: 'Explain', kind: 'explain', prompt: EXPLAIN, description: 'Explain the code in a side panel' },
  {
    id: 'builtin.document',
    builtin: 'document',
    title: 'Document',
    kind: 'edit',
    prompt: documentTemplate('plaintext'),
    description: "Add doc comments in the language's own style",
  },
  { id: 'builtin.fix', builtin: 'fix', title: 'Fix', kind: 'edit', prompt: FIX, description: 'Fix the problems reported for the code' },
  { id: 'builtin.simplify', builtin: 'simplify', title: 'Simplify', kind: 'edit', prompt: SIMPLIFY, description: 'Make the code shorter and clearer' },
  {
    id: 'builtin.writeTests',
    builtin: 'writeTests',
    title: 'Write Tests',
    kind: 'edit',
    prompt: WRITE_TESTS,
    description: 'Propose unit tests in the test file or a new editor',
  },
];

export const BUILTIN_TITLES: readonly string[] = BUILTIN_ACTIONS.map((a) => a.title);

export function builtinAction(id: BuiltinActionId): Action {
  return BUILTIN_ACTIONS.find((a) => a.builtin === id)!;
}

/** The template to fill for an action in a language (Document adapts to the language's doc style). */
export function templateFor(action: Action, languageId: string): string {
  return action.builtin === 'document' ? documentTemplate(languageId) : action.prompt;
}
