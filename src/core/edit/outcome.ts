/**
 * The decision on a finished edit reply: a proposal, or a refusal that says what happened and what the
 * user can do next. It takes the whole reply as plain data (content, reasoning sent apart, how the stream
 * ended, token counts) so the editor only shows the verdict.
 *
 * A reply that did not finish is never proposed: a rewrite of the whole selection cut short would
 * propose deleting everything the model did not reach. A reply cut off by the reply limit offers a
 * retry with a larger limit; one cut off while the model was still thinking says so.
 */
import { replyEnding, splitReasoning } from '../reply';
import { EXTRACT_MESSAGES, extractRewrite, type ExtractContext, type RefusalReason } from './extract';

export interface FinishedReply {
  /** The content the model wrote. */
  text: string;
  /** Reasoning sent apart from the content (`reasoning_content`). */
  reasoning?: string;
  /** The server's finish reason; null when the stream closed without one. */
  finishReason: string | null;
  /** Tokens the reply took (reasoning included), as the server reported or estimated. */
  completionTokens?: number;
}

export type EditRefusalReason = RefusalReason | 'cutOff' | 'cutOffThinking' | 'incomplete';

/** Next steps the editor offers with a refusal. */
export type EditNextStep = 'retryLarger' | 'retry' | 'openOutput';

export type EditVerdict =
  | { kind: 'proposal'; text: string }
  | {
      kind: 'refusal';
      reason: EditRefusalReason;
      /** One sentence for the user. */
      message: string;
      nextSteps: EditNextStep[];
      /** The reply is worth showing the user (it holds something, just not a usable rewrite). */
      showReply: boolean;
    };

/** How much larger the reply limit gets on "Retry with a larger limit". */
export const RETRY_LIMIT_FACTOR = 2;

export function decideEdit(reply: FinishedReply, ctx: ExtractContext): EditVerdict {
  const ending = replyEnding(reply.finishReason);
  const tokens = reply.completionTokens;
  const after = tokens === undefined ? '' : ` after ${tokens} token${tokens === 1 ? '' : 's'}`;
  if (ending !== 'complete') {
    const split = splitReasoning(reply.text);
    const thinking = split.answer.trim() === '' && (split.open || split.reasoning !== '' || (reply.reasoning ?? '').trim() !== '');
    if (ending === 'length') {
      return thinking
        ? refusal('cutOffThinking', `The reply was cut off${after}, while the model was still thinking: it needs a larger reply limit.`, ['retryLarger', 'openOutput'], false)
        : refusal('cutOff', `The reply was cut off${after}, so it is not proposed as a rewrite.`, ['retryLarger', 'openOutput'], true);
    }
    return refusal('incomplete', `The reply was cut off${after}: the server closed the stream before the model finished.`, ['retry', 'openOutput'], !thinking);
  }
  const extracted = extractRewrite(reply.text, { ...ctx, reasoning: reply.reasoning ?? ctx.reasoning });
  if (extracted.ok) return { kind: 'proposal', text: extracted.text };
  const steps: EditNextStep[] = extracted.reason === 'unchanged' ? [] : ['retry', 'openOutput'];
  const show = extracted.reason === 'noCode' || extracted.reason === 'patchFailed' || extracted.reason === 'noise';
  return refusal(extracted.reason, EXTRACT_MESSAGES[extracted.reason], steps, show);
}

function refusal(reason: EditRefusalReason, message: string, nextSteps: EditNextStep[], showReply: boolean): EditVerdict {
  return { kind: 'refusal', reason, message, nextSteps, showReply };
}

/** The reply limit for "Retry with a larger limit": twice the last one (or twice what the reply used). */
export function largerLimit(previous: number | undefined, used: number | undefined): number {
  const base = previous ?? used ?? 1024;
  return Math.max(base, used ?? 0) * RETRY_LIMIT_FACTOR;
}
