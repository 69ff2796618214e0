import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import { ConfigError } from '../errors.js';
import type { PretrainingBatch } from '../interfaces/batch.js';
import type { Objective, ObjectiveHead } from '../interfaces/objective.js';
import { createApplyContext } from '../params/apply-context.js';
import { ParameterStore } from '../params/parameter-store.js';
import { AlbertModel, type AlbertModelOptions } from './albert-model.js';

/** Options of {@link createPretrainingModel}. */
export interface PretrainingModelOptions extends AlbertModelOptions {
  /** Heads, e.g. `[mlm(), sop()]` from `@albert-ts/objectives`. Names must be unique. */
  readonly objectives: readonly Objective[];
}

/** Options of {@link AlbertForPreTraining.compute}. */
export interface ComputeOptions {
  /** Enables dropout (default false). */
  readonly training?: boolean;
  /** Seed of the dropout masks (default 0). */
  readonly dropoutSeed?: number;
  /** Names of the heads to run (default: every head), e.g. only `['mlm']` while the sentence head is not trained. */
  readonly heads?: readonly string[];
}

/** Result of {@link AlbertForPreTraining.compute}; the caller owns every tensor. */
export interface PretrainingResult {
  /** Sum of the objectives' losses (HF `loss` = mlm_loss + sop_loss). */
  readonly loss: tf.Scalar;
  /** Loss per objective name, e.g. `{ mlm, sop }`. */
  readonly losses: Readonly<Record<string, tf.Scalar>>;
  /** Metrics of every objective, e.g. `{ mlm_accuracy, sop_accuracy }`. */
  readonly metrics: Readonly<Record<string, tf.Scalar>>;
}

/**
 * An {@link AlbertModel} plus objective heads (HF `AlbertForPreTraining` with `[mlm(), sop()]`). Head variables
 * live in their own store; `namedParameters()` lists backbone and heads together.
 */
export class AlbertForPreTraining {
  readonly albert: AlbertModel;
  readonly objectives: readonly Objective[];
  readonly heads: readonly ObjectiveHead[];
  /** Owner of the head variables. */
  readonly headStore: ParameterStore;

  constructor(config: AlbertConfig, options: PretrainingModelOptions) {
    const names = new Set<string>();
    for (const o of options.objectives) {
      if (names.has(o.name)) throw new ConfigError('objectives', o.name, 'must have unique names');
      names.add(o.name);
      if (o.usesPooler && options.addPoolingLayer === false) {
        throw new ConfigError('add_pooling_layer', false, `but head '${o.name}' reads the pooled output`);
      }
    }
    this.albert = new AlbertModel(config, options);
    this.objectives = [...options.objectives];
    // Different seed stream from the backbone so heads do not repeat backbone initial values.
    this.headStore = new ParameterStore(this.albert.config.initializerRange, ((options.seed ?? 0) + 0x5bd1e995) >>> 0);
    try {
      this.heads = this.objectives.map((o) =>
        o.build({ config: this.albert.config, params: this.headStore, wordEmbeddings: this.albert.wordEmbeddings }));
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  get config(): AlbertConfig {
    return this.albert.config;
  }

  /** The head built by the objective called `name` (undefined if none). */
  head<H extends ObjectiveHead = ObjectiveHead>(name: string): H | undefined {
    return this.heads.find((h) => h.name === name) as H | undefined;
  }

  /**
   * Loss (sum over the heads run), per-objective losses and metrics for one batch. Use inside `tf.variableGrads`,
   * or hand the model to `train` of `@albert-ts/trainer`.
   */
  compute(batch: PretrainingBatch, opts: ComputeOptions = {}): PretrainingResult {
    const heads = opts.heads === undefined ? this.heads : opts.heads.map((name) => {
      const head = this.head(name);
      if (head === undefined) throw new ConfigError('heads', name, `is not a head of this model (${this.heads.map((h) => h.name).join(', ')})`);
      return head;
    });
    return tf.tidy(() => {
      const outputs = this.albert.apply(
        { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask },
        { training: opts.training, dropoutSeed: opts.dropoutSeed },
      );
      // Heads draw dropout seeds from a stream distinct from the encoder's.
      const ctx = createApplyContext({ training: opts.training, dropoutSeed: ((opts.dropoutSeed ?? 0) ^ 0x68e31da4) >>> 0 });
      const losses: Record<string, tf.Scalar> = {};
      const metrics: Record<string, tf.Scalar> = {};
      let loss: tf.Scalar | undefined;
      for (const head of heads) {
        const r = head.compute(outputs, batch, ctx);
        losses[head.name] = r.loss;
        Object.assign(metrics, r.metrics);
        loss = loss === undefined ? r.loss : tf.add(loss, r.loss) as tf.Scalar;
      }
      return { loss: loss ?? tf.scalar(0), losses, metrics };
    });
  }

  /** Backbone and head variables by canonical name (tied weights once). */
  namedParameters(): Map<string, tf.Variable> {
    return new Map([...this.albert.namedParameters(), ...this.headStore.named()]);
  }

  /** Parameter count from live variables (tied weights once), like HF `AlbertForPreTraining`. */
  countParameters(): number {
    return this.albert.countParameters() + this.headStore.count();
  }

  dispose(): void {
    this.albert.dispose();
    this.headStore.dispose();
  }
}

/** Builds an {@link AlbertForPreTraining}: `createPretrainingModel(config, { embeddings, objectives: [mlm(), sop()] })`. */
export function createPretrainingModel(config: AlbertConfig, options: PretrainingModelOptions): AlbertForPreTraining {
  return new AlbertForPreTraining(config, options);
}
