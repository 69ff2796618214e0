// @albert-ts/ablation: the paper's ablations (Tables 3-5, Figure 1) on one machine, with an honest report.
export { ablate, type AblateOptions, type AblateResult, type Engine, type MeasuredRun, type RunContext } from './ablate.js';
export { evaluateClaims, compareIntervals, defaultClaimOptions, DID_NOT_LEARN, runLearned, type ClaimOptions, type ClaimResult, type Verdict } from './claims.js';
export { createChildProcessEngine, type ChildEngineOptions } from './child-engine.js';
export { buildCharts, type Chart } from './charts.js';
export { parseCli, USAGE, type CliOptions } from './cli.js';
export { AblationError } from './errors.js';
export { PRESETS, RECIPES, ANSWERS, expandGrid, isPresetName, onlyChoices, presetsAnswering, stepsFor, type Preset, type Recipe, type RunSpec } from './presets.js';
export { GridProgress, formatDuration } from './progress.js';
export { buildReportModel, renderHtml, renderMarkdown } from './report.js';
export { validateResults, SENTENCE_KEYS, type Results, type RunResult, type Study, type Accuracy, type LayerGeometry, type SentenceKey, type Timing } from './results.js';
export { wilson, newcombeDiff, tInterval, welchDiff, studentTQuantile, type Estimate } from './stats.js';
export { writeReport, type ReportFiles } from './write-report.js';
