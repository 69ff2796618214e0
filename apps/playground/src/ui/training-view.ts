// The training controls (steps, learning rate, optimizer, Train/Stop) and the outcome of each slot's last run.
import { OPTIMIZER_NAMES, type OptimizerName } from '@albert-ts/trainer';
import type { Slot, TrainResult } from '../protocol.js';
import { h, select, setChildren } from './dom.js';

const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  adamw: 'AdamW', 'adamw-uncorrected': 'AdamW, no bias correction', lamb: 'LAMB (ALBERT)',
};

export interface TrainingSettings {
  steps: number;
  learningRate: number;
  optimizer: OptimizerName;
}

export class TrainingView {
  readonly element: HTMLElement;
  private readonly steps: HTMLInputElement;
  private readonly learningRate: HTMLInputElement;
  private readonly optimizer: HTMLSelectElement;
  private readonly button: HTMLButtonElement;
  private readonly live: HTMLElement;
  private readonly results: HTMLElement;
  private running = false;

  constructor(onTrain: () => void, onStop: () => void) {
    this.steps = h('input', { type: 'number', min: 1, step: 1, value: 20, 'data-testid': 'steps' });
    this.learningRate = h('input', { type: 'number', min: 0, step: 'any', value: 0.005, 'data-testid': 'learning-rate' });
    this.optimizer = select(OPTIMIZER_NAMES, 'adamw', (o) => OPTIMIZER_LABELS[o], { 'data-testid': 'optimizer' });
    this.button = h('button', { type: 'button', disabled: true, 'data-testid': 'train-button' }, 'Train');
    this.button.addEventListener('click', () => (this.running ? onStop() : onTrain()));
    this.live = h('p', { class: 'note', 'data-testid': 'train-live' });
    this.results = h('div', { 'data-testid': 'train-status' });
    const row = (label: string, el: HTMLElement) => h('label', { class: 'row' }, h('span', {}, label), el);
    this.element = h('fieldset', { class: 'training' }, h('legend', {}, 'Training'),
      row('steps', this.steps), row('learning rate', this.learningRate), row('optimizer', this.optimizer),
      h('p', { class: 'hint' }, 'Batches of 8 sequences of 64 tokens from the bundled corpus; 10% warmup, then linear decay. Training again continues from the current weights. Side by side trains A, then B.'),
      this.button, this.live, this.results);
  }

  settings(): TrainingSettings {
    return { steps: Number(this.steps.value), learningRate: Number(this.learningRate.value), optimizer: this.optimizer.value as OptimizerName };
  }

  /** Enables Train once a model exists. */
  setReady(ready: boolean): void {
    this.button.disabled = !ready;
  }

  /** While running, the button stops the run and the settings are locked. */
  setRunning(running: boolean): void {
    this.running = running;
    this.button.textContent = running ? 'Stop' : 'Train';
    this.button.dataset['running'] = String(running);
    for (const el of [this.steps, this.learningRate, this.optimizer]) el.disabled = running;
    if (running) {
      setChildren(this.results);
      setChildren(this.live);
    }
  }

  showStep(slot: Slot, step: number, loss: number): void {
    setChildren(this.live, `${slot}: step ${step} · loss ${loss.toFixed(3)}`);
  }

  /** The outcome of a slot's run, with the losses of its steps (first → last). */
  showResult(slot: Slot, label: string, r: TrainResult, losses: readonly number[]): void {
    const first = losses[0], last = losses[losses.length - 1];
    const text = `${slot} (${label}): ${r.status === 'interrupted' ? `stopped after ${r.steps} steps` : `${r.steps} steps`}` +
      (first !== undefined && last !== undefined ? `, loss ${first.toFixed(3)} → ${last.toFixed(3)}` : '') +
      `, ${Math.round(r.tokensPerSecond).toLocaleString('en-US')} tokens/s; ${r.totalSteps} steps in total`;
    this.results.append(h('p', {
      class: 'note', 'data-slot': slot, 'data-status': r.status, 'data-steps': r.steps, 'data-losses': JSON.stringify(losses),
    }, text));
  }

  error(message: string): void {
    this.results.append(h('p', { class: 'error', 'data-testid': 'train-error' }, message));
  }
}
