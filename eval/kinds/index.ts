/**
 * kind → evaluator. Adding a kind is one line here plus its module in this folder.
 */
import type { Evaluator } from '../types';
import { completionEvaluator } from './completion';
import { editEvaluator } from './edit';
import { nextEditEvaluator } from './nextEdit';
import { retrievalEvaluator } from './retrieval';

export const evaluators: Record<string, Evaluator> = {
  edit: editEvaluator,
  completion: completionEvaluator,
  retrieval: retrievalEvaluator,
  'next-edit': nextEditEvaluator,
};
