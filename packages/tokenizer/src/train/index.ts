export { trainSentencePiece, decodeTrainingText } from './train.js';
export { trainAlbertTokenizer, type AlbertTrainerOptions } from './albert-tokenizer.js';
export type { TrainedModel } from './train.js';
export { ALBERT_TRAINER_DEFAULTS, resolveTrainerOptions } from './options.js';
export type { TrainerOptions, TrainerProgress, TrainerModelType, ResolvedTrainerOptions } from './options.js';
export { nmtNfkcCharsmap } from './nmt-nfkc.js';
