import { AlbertError } from '@albert-ts/errors';

/**
 * Bad pipeline input or a model directory that does not fit the task (no mask token in a fill-mask text, a
 * question-answering pipeline on a classifier, an input longer than the model). One line naming the problem.
 */
export class PipelineError extends AlbertError {
  override readonly name = 'PipelineError';
}
