// Messages between the page and the model worker. Every request carries an id and gets exactly one response with
// the same id; events (training steps) carry no id. Requests run one at a time in arrival order, except `stop`,
// which is answered at once (it interrupts the `train` request in progress).
import type { BackendName } from '@albert-ts/backends';
import type { ParamCounts } from '@albert-ts/core';
import type { FillMaskResult as FillMaskCandidate } from '@albert-ts/pipelines';
import type { OptimizerName } from '@albert-ts/trainer';
import type { Variant } from './variant.js';

/** A backend choice: a name, or `auto` (webgpu → wasm → webgl → cpu, the first that starts). */
export type BackendChoice = BackendName | 'auto';

export interface InitRequest {
  cmd: 'init';
  backend: BackendChoice;
  /** wasm threads (default: all cores up to 8 when cross-origin isolated, else 1). */
  threads?: number;
  /** Absolute URL of the folder with the bundled `spiece.model` and `corpus.txt`. */
  dataUrl: string;
}
export interface BuildRequest {
  cmd: 'build';
  /** Model slot: `A`, or `B` in side-by-side mode. */
  slot: Slot;
  variant: Variant;
}
export interface TokenizeRequest {
  cmd: 'tokenize';
  text: string;
}
export interface FillMaskRequest {
  cmd: 'fill-mask';
  slot: Slot;
  text: string;
  topK: number;
}
export interface GeometryRequest {
  cmd: 'geometry';
  slot: Slot;
}
export interface ExportRequest {
  cmd: 'export';
  slot: Slot;
}
export interface ImportRequest {
  cmd: 'import';
  slot: Slot;
  /** A zip, or the loose files of a HF directory (config.json, model.safetensors, spiece.model, …). */
  files: { name: string; bytes: Uint8Array }[];
}
/**
 * Trains a slot's model in place with the trainer's `train()` on the bundled corpus (a further request continues
 * from the weights it left, with a fresh optimizer and schedule). Each step posts a `step` event.
 */
export interface TrainRequest {
  cmd: 'train';
  slot: Slot;
  steps: number;
  /** Peak learning rate (10% warmup, then linear decay to 0). */
  learningRate: number;
  optimizer: OptimizerName;
}
/** Interrupts the training in progress after its current step (answered at once, not queued). */
export interface StopRequest {
  cmd: 'stop';
}

export type Request =
  | InitRequest | BuildRequest | TokenizeRequest | FillMaskRequest | GeometryRequest | ExportRequest | ImportRequest
  | TrainRequest | StopRequest;

export type Slot = 'A' | 'B';

/** What `init` set up. */
export interface BackendReport {
  backend: BackendName;
  threads: number;
  adapter?: string;
  crossOriginIsolated: boolean;
  /** Backends tried before the one in use, with the reason each failed (`auto`). */
  skipped: { backend: BackendName; reason: string }[];
  vocabSize: number;
  corpus: { documents: number; sentences: number; heldOutDocuments: number };
}

/** A built or imported model. */
export interface ModelReport {
  slot: Slot;
  /** The controls' variant; for an import, the one recorded in its config.json (absent for other files). */
  variant?: Variant;
  label: string;
  /** Where the weights came from. */
  source: 'init' | 'import';
  /** Parameters counted from the live variables (tied weights once). */
  liveParams: number;
  /** Exact analytic breakdown (core's countParams) of the model's configuration, sharing and heads. */
  counts: ParamCounts;
}

export interface TokenizeResult {
  pieces: string[];
  ids: number[];
}

export interface FillMaskResult {
  /** Candidates for each `[MASK]`, best first (`@albert-ts/pipelines`' fill-mask results: score, token, …). */
  masks: FillMaskCandidate[][];
  /** Forward-pass speed of this request. */
  tokensPerSecond: number;
}

export interface LayerPoint {
  layer: number;
  l2: number;
  angle: number;
}
export interface GeometryResult {
  layers: LayerPoint[];
  tokens: number;
  tokensPerSecond: number;
}

export interface ExportResult {
  /** The zip (config.json, model.safetensors, spiece.model). */
  zip: Uint8Array;
  fileName: string;
  files: string[];
}

export interface TrainResult {
  /** `completed`, or `interrupted` by a `stop` request. */
  status: 'completed' | 'interrupted';
  /** Steps this request ran. */
  steps: number;
  /** Steps the slot's model has been trained in total (across requests, since it was built or imported). */
  totalSteps: number;
  /** Mean training throughput of this request. */
  tokensPerSecond: number;
}

export interface ResultOf {
  init: BackendReport;
  build: ModelReport;
  tokenize: TokenizeResult;
  'fill-mask': FillMaskResult;
  geometry: GeometryResult;
  export: ExportResult;
  import: ModelReport;
  train: TrainResult;
  stop: { stopped: boolean };
}

export type Response =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

/**
 * A training step: `step` and `tokens` count from the slot's model being built or imported (so a continued run
 * extends its curve); `metrics` are the model's (`mlm_accuracy`, `sop_loss`, …); `tokensPerSecond` is this step's.
 */
export type WorkerEvent =
  | { event: 'step'; slot: Slot; step: number; tokens: number; loss: number; metrics: Record<string, number>; tokensPerSecond: number };
