/**
 * kind → evaluator. Adding a kind is one line here plus its module in this folder.
 */
import type { Evaluator } from '../types';
import { editEvaluator } from './edit';

export const evaluators: Record<string, Evaluator> = {
  edit: editEvaluator,
};
