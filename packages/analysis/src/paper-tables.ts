// Exact parameter counts of the paper's real configurations (Tables 1, 3 and 4), side by side with the numbers
// the paper prints, flagging cells where the printed figure does not follow from the architecture.
import { type AlbertConfig, type SharingStrategy, countParams, presetConfig } from '@albert-ts/core';

/** One row of a paper table. */
export interface PaperCell {
  /** Row label, e.g. `ALBERT xlarge` or `E=128 shared-attention`. */
  model: string;
  hiddenSize: number;
  layers: number;
  embeddingSize: number;
  sharing: string;
  /** Exact count (unique parameters of HF AlbertModel: embeddings, encoder, pooler). */
  exact: number;
  /** The paper's printed count. */
  paper: number;
  /** exact - paper. */
  diff: number;
  /** True when the printed figure is more than the tolerance away from the exact count. */
  flagged: boolean;
}

/** One paper table. */
export interface PaperTable {
  id: 'table1' | 'table3' | 'table4';
  title: string;
  rows: PaperCell[];
  notes: string[];
}

/** Sharing strategies by study name (from @albert-ts/sharing). */
export type StrategyLookup = (name: 'all-shared' | 'shared-attention' | 'shared-ffn' | 'not-shared') => SharingStrategy;

/** Cells further than this from the paper's printed value are flagged (the paper rounds to whole millions). */
export const PAPER_TOLERANCE = 1_100_000;

const M = 1_000_000;

function cell(model: string, c: AlbertConfig, sharing: string, strategy: SharingStrategy | undefined, paperM: number): PaperCell {
  // `auto`: no E->H projection when E = H (BERT, and the paper's E=768 ALBERT rows).
  const exact = countParams(c, { sharing: strategy, projection: 'auto', head: 'none' }).total;
  const paper = paperM * M;
  return {
    model,
    hiddenSize: c.hiddenSize,
    layers: c.numHiddenLayers,
    embeddingSize: c.embeddingSize,
    sharing,
    exact,
    paper,
    diff: exact - paper,
    flagged: Math.abs(exact - paper) > PAPER_TOLERANCE,
  };
}

/** Computes Tables 1, 3 and 4 of the paper exactly (V=30000, P=512). */
export function paperTables(strategy: StrategyLookup): PaperTable[] {
  const t1: PaperCell[] = [
    cell('BERT base', presetConfig('bert-base'), 'not-shared', undefined, 108),
    cell('BERT large', presetConfig('bert-large'), 'not-shared', undefined, 334),
    cell('ALBERT base', presetConfig('albert-base'), 'all-shared', undefined, 12),
    cell('ALBERT large', presetConfig('albert-large'), 'all-shared', undefined, 18),
    cell('ALBERT xlarge', presetConfig('albert-xlarge'), 'all-shared', undefined, 60),
    cell('ALBERT xxlarge', presetConfig('albert-xxlarge'), 'all-shared', undefined, 235),
  ];
  const base = (E: number) => presetConfig('albert-base', { embeddingSize: E });
  const t3Paper: Record<string, Record<number, number>> = {
    'not-shared': { 64: 87, 128: 89, 256: 93, 768: 108 },
    'all-shared': { 64: 10, 128: 12, 256: 16, 768: 31 },
  };
  const t3: PaperCell[] = [];
  for (const s of ['not-shared', 'all-shared'] as const) {
    for (const E of [64, 128, 256, 768]) t3.push(cell(`ALBERT base E=${E} ${s}`, base(E), s, strategy(s), t3Paper[s][E]));
  }
  const t4Paper: Record<number, Record<string, number>> = {
    768: { 'all-shared': 31, 'shared-attention': 83, 'shared-ffn': 57, 'not-shared': 108 },
    128: { 'all-shared': 12, 'shared-attention': 64, 'shared-ffn': 38, 'not-shared': 89 },
  };
  const t4: PaperCell[] = [];
  for (const E of [768, 128]) {
    for (const s of ['all-shared', 'shared-attention', 'shared-ffn', 'not-shared'] as const) {
      t4.push(cell(`ALBERT base E=${E} ${s}`, base(E), s, strategy(s), t4Paper[E][s]));
    }
  }
  const flaggedNote = (rows: PaperCell[]) =>
    rows
      .filter((r) => r.flagged)
      .map((r) => `${r.model}: the paper prints ${r.paper / M}M, the architecture gives ${(r.exact / M).toFixed(2)}M.`);
  return [
    {
      id: 'table1',
      title: 'Table 1: model sizes',
      rows: t1,
      notes: [
        'BERT as the paper configures it (E=H, no sharing, V=30000; the released BERT has V=30522).',
        ...flaggedNote(t1),
      ],
    },
    {
      id: 'table3',
      title: 'Table 3: embedding size E (ALBERT base shape, H=768, L=12)',
      rows: t3,
      notes: ['No E->H projection when E=H (Google\'s implementation; HF always has one, +590,592).', ...flaggedNote(t3)],
    },
    {
      id: 'table4',
      title: 'Table 4: cross-layer sharing (ALBERT base shape)',
      rows: t4,
      notes: flaggedNote(t4),
    },
  ];
}
