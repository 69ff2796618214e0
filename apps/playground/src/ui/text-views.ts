// Tokenization of typed text, and fill-mask with the current weights.
import type { FillMaskResult, Slot, TokenizeResult } from '../protocol.js';
import { h, setChildren } from './dom.js';

export class TokenizeView {
  readonly element: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly out: HTMLElement;

  constructor(initial: string, onInput: (text: string) => void) {
    this.input = h('textarea', { rows: 2, 'data-testid': 'tokenize-input' });
    this.input.value = initial;
    this.input.addEventListener('input', () => onInput(this.input.value));
    this.out = h('div', { class: 'pieces', 'data-testid': 'tokenize-output' });
    this.element = h('section', { id: 'tokenize' }, h('h2', {}, 'Tokenization with the bundled vocabulary'), this.input, this.out);
  }

  show(r: TokenizeResult): void {
    setChildren(this.out,
      ...r.pieces.map((p, i) => h('span', { class: 'piece', title: `id ${r.ids[i]}` }, p, h('sub', {}, r.ids[i]))),
      h('span', { class: 'count' }, `${r.ids.length} tokens`));
  }
}

export class FillMaskView {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly out: HTMLElement;

  constructor(initial: string, onRun: () => void) {
    this.input = h('input', { type: 'text', 'data-testid': 'fill-mask-input', size: 60 });
    this.input.value = initial;
    this.input.addEventListener('keydown', (e) => { if (e.key === 'Enter') onRun(); });
    this.out = h('div', { class: 'fill-mask', 'data-testid': 'fill-mask-output' });
    this.element = h('section', { id: 'fill-mask' },
      h('h2', {}, 'Fill-mask with the current weights'),
      h('p', { class: 'hint' }, 'Type a sentence with [MASK]; the MLM head proposes 5 tokens. An untrained model guesses at random.'),
      this.input, h('button', { type: 'button', onclick: onRun, 'data-testid': 'fill-mask-button' }, 'Fill'), this.out);
  }

  show(results: readonly { slot: Slot; label: string; result: FillMaskResult }[]): void {
    setChildren(this.out, ...results.map(({ slot, label, result }) =>
      h('div', { class: 'slot' },
        h('h3', {}, `${slot}: ${label}`),
        ...result.masks.map((cands, m) => h('table', { 'data-testid': `fill-mask-${slot}-${m}` },
          h('tr', {}, h('th', {}, `[MASK] #${m + 1}`), h('th', {}, 'score'), h('th', {}, 'sequence')),
          ...cands.map((c) => h('tr', { class: 'candidate', 'data-token': c.token, 'data-score': c.score },
            h('td', {}, c.token_str), h('td', {}, c.score.toFixed(5)), h('td', {}, c.sequence))))))));
  }

  error(message: string): void {
    setChildren(this.out, h('p', { class: 'error' }, message));
  }
}
