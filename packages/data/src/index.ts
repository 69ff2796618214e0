// Node.js entry point: the browser-safe API plus corpora, file readers, JSONL files and downstream tasks.
export * from './browser.js';
export { readLines, readTextCorpus, listCorpusFiles } from './readers.js';
export type { ReadOptions } from './readers.js';
export { loadSotuSpeeches, sotuSplit, sotuDocuments } from './corpora/sotu.js';
export type { SotuSpeech } from './corpora/sotu.js';
export { loadMobyDickChapters, mobyDickSplit, mobyDickDocuments } from './corpora/moby-dick.js';
export type { MobyDickChapter } from './corpora/moby-dick.js';
export { loadEmails, emailSplit, emailDocuments } from './corpora/spam-assassin.js';
export type { Email } from './corpora/spam-assassin.js';
export { BUNDLED_CORPORA, isBundledCorpus, loadBundledCorpus } from './corpora/bundled.js';
export type { BundledCorpus } from './corpora/bundled.js';
export { openCorpus, loadCorpus } from './corpora/open.js';
export type { CorpusSplits } from './corpora/open.js';
export {
  instanceToJson, instanceFromJson, readInstancesJsonl, writeInstancesJsonl, streamInstancesJsonl,
} from './jsonl.js';
export { TASK_NAMES, loadTask, formatBalance, passages } from './tasks.js';
export type { Task, TaskName, TaskExample, SplitBalance } from './tasks.js';
