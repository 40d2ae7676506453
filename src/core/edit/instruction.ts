/**
 * What the Edit Selection instruction box sends on Enter. The quick pick's list follows the typed text
 * asynchronously: when the user types or pastes quickly and presses Enter, the item VS Code still shows
 * active may be a recent instruction from the list before the text changed. What was typed is sent,
 * unless the user moved to a recent item themselves (arrow keys, mouse) since the list was rebuilt.
 */
export interface InstructionItem {
  label: string;
  /** A recent instruction (not the "new instruction" item). */
  recent?: boolean;
}

export function instructionToSend(typed: string, selected: InstructionItem | undefined, movedByUser: boolean): string | undefined {
  const text = typed.trim();
  if (text && !(movedByUser && selected?.recent)) return text;
  const chosen = (selected?.label ?? text).trim();
  return chosen || undefined;
}
