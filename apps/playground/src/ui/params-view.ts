// The exact parameter breakdown of each slot's model next to the paper's real-scale tables (computed exactly by
// @albert-ts/analysis, the code the ablation report uses).
import { type PaperTable, paperTables } from '@albert-ts/analysis';
import type { ParamCounts } from '@albert-ts/core';
import { parseSharing } from '@albert-ts/sharing';
import type { Slot } from '../protocol.js';
import { cliCommands, type Variant } from '../variant.js';
import { h, int, millions, setChildren } from './dom.js';

/** What the view shows for one slot. */
export interface SlotParams {
  slot: Slot;
  label: string;
  counts: ParamCounts;
  /** Variant of a model built from the controls (gives the equivalent CLI commands). */
  variant?: Variant;
  /** Count from the worker's live variables, once the model exists. */
  liveParams?: number;
}

function breakdownTable(p: SlotParams): HTMLElement {
  const c = p.counts;
  const rows: [string, number, string][] = [
    ['embeddings (V·E + P·E + 2·E, LayerNorm)', c.embeddings, 'embeddings'],
    ['encoder (E→H projection, unique layers)', c.encoder, 'encoder'],
    ['pooler', c.pooler, 'pooler'],
    ['heads (MLM, NSP/SOP; tied decoder once)', c.heads, 'heads'],
  ];
  return h('table', { class: 'params', 'data-testid': `params-${p.slot}` },
    h('caption', {}, `${p.slot}: ${p.label}`),
    ...rows.map(([label, n, key]) => h('tr', {}, h('th', {}, label), h('td', { 'data-testid': `params-${key}-${p.slot}`, 'data-value': n }, int(n)))),
    h('tr', { class: 'total' }, h('th', {}, 'total'),
      h('td', { 'data-testid': `params-total-${p.slot}`, 'data-value': c.total }, `${int(c.total)} (${millions(c.total)})`)),
    h('tr', {}, h('th', {}, 'live variables in the worker'),
      h('td', { 'data-testid': `params-live-${p.slot}`, 'data-value': p.liveParams ?? '' },
        p.liveParams === undefined ? '…' : `${int(p.liveParams)} ${p.liveParams === c.total ? '✓ equal' : '✗ differs'}`)),
  );
}

function cliBlock(p: SlotParams): HTMLElement | null {
  if (p.variant === undefined) return null;
  const c = p.counts;
  const cmds = cliCommands(p.variant).map((cmd) => {
    const total = cmd.head === 'none' ? c.embeddings + c.encoder + c.pooler : c.total;
    return h('li', {},
      h('code', { 'data-testid': `cli-${cmd.head}-${p.slot}`, 'data-argv': JSON.stringify(cmd.argv), 'data-total': total },
        `albert ${cmd.argv.join(' ')}`),
      ` → "total": ${int(total)}`);
  });
  return h('div', { class: 'cli' }, h('p', {}, 'The same counts from the command line:'), h('ul', {}, ...cmds));
}

function paperTableElement(t: PaperTable): HTMLElement {
  return h('table', { class: 'paper', 'data-testid': `paper-${t.id}` },
    h('caption', {}, t.title),
    h('tr', {}, ...['model', 'H', 'L', 'E', 'sharing', 'exact', 'paper', 'exact − paper'].map((c) => h('th', {}, c))),
    ...t.rows.map((r) => h('tr', { class: r.flagged ? 'flagged' : '' },
      h('td', {}, r.model), h('td', {}, r.hiddenSize), h('td', {}, r.layers), h('td', {}, r.embeddingSize), h('td', {}, r.sharing),
      h('td', { title: millions(r.exact) }, int(r.exact)), h('td', {}, `${r.paper / 1e6}M`),
      h('td', {}, `${r.diff >= 0 ? '+' : ''}${int(r.diff)}${r.flagged ? ' ⚑' : ''}`))),
    ...t.notes.map((n) => h('tr', {}, h('td', { colspan: 8, class: 'note' }, n))),
  );
}

/** The parameter section: one breakdown per slot, then the paper's tables (built once). */
export class ParamsView {
  readonly element: HTMLElement;
  private readonly slots: HTMLElement;

  constructor() {
    this.slots = h('div', { class: 'slots' });
    const tables = paperTables((name) => parseSharing(name));
    this.element = h('section', { id: 'params' },
      h('h2', {}, 'Parameters'),
      h('div', { class: 'params-layout' },
        this.slots,
        h('div', { class: 'paper-tables' },
          h('p', { class: 'hint' }, "The paper's real-scale configurations, counted exactly (V = 30,000, P = 512; ⚑ = the printed figure does not follow from the architecture):"),
          ...tables.map(paperTableElement))),
    );
  }

  show(slots: readonly SlotParams[]): void {
    setChildren(this.slots, ...slots.map((p) => h('div', { class: 'slot' }, breakdownTable(p), cliBlock(p))));
  }
}
