// The playground page: controls on the left, views on the right; every tensor lives in the model worker.
import './style.css';
import type { BackendChoice, ModelReport, Slot } from './protocol.js';
import { CurvesView, GeometryView } from './ui/charts-view.js';
import { h } from './ui/dom.js';
import { download, FilesView } from './ui/files-view.js';
import { ParamsView, type SlotParams } from './ui/params-view.js';
import { StatusBar } from './ui/status-bar.js';
import { FillMaskView, TokenizeView } from './ui/text-views.js';
import { variantControls } from './ui/variant-controls.js';
import { DEFAULT_VARIANT, type Variant, variantCounts, variantLabel, SHARING_LABELS } from './variant.js';
import { WorkerClient } from './worker-client.js';

const params = new URLSearchParams(location.search);
const worker = new WorkerClient(new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module' }));

let busy = 0;
/** Runs `task` while showing the busy indicator; errors go to `onError` (default: the status bar). */
async function run<T>(task: () => Promise<T>, onError?: (message: string) => void): Promise<T | undefined> {
  status.setBusy(++busy);
  try {
    return await task();
  } catch (e) {
    const message = (e as Error).message;
    (onError ?? ((m: string) => status.showError(m)))(message);
    return undefined;
  } finally {
    status.setBusy(--busy);
  }
}

// ---- state ----
const variants: Record<Slot, Variant> = { A: { ...DEFAULT_VARIANT }, B: { ...DEFAULT_VARIANT, sharing: 'none' } };
const reports: Partial<Record<Slot, ModelReport>> = {};
let compare = params.get('compare') === '1';
const activeSlots = (): Slot[] => (compare ? ['A', 'B'] : ['A']);

// ---- views ----
const status = new StatusBar((params.get('backend') ?? 'auto') as BackendChoice,
  params.has('threads') ? Number(params.get('threads')) : undefined, () => void start());
const paramsView = new ParamsView();
const curves = new CurvesView();
const geometry = new GeometryView(() => void measureGeometry());
const tokenize = new TokenizeView('The paper shares all parameters across layers.', () => void showTokens());
const fillMask = new FillMaskView('The president addressed the [MASK] of the union.', () => void runFillMask());
const files = new FilesView(() => void exportA(), (list) => void importFiles(list));

const controlA = variantControls('A', variants.A, (v) => void changeVariant('A', v));
const controlB = variantControls('B', variants.B, (v) => void changeVariant('B', v));
controlB.element.hidden = !compare;
const compareBox = h('input', { type: 'checkbox', checked: compare, 'data-testid': 'compare' });
compareBox.addEventListener('change', () => {
  compare = compareBox.checked;
  controlB.element.hidden = !compare;
  void (compare ? rebuild('B') : refreshAll());
});

const steps = h('input', { type: 'number', min: 1, max: 10000, value: 20, 'data-testid': 'steps' });
const learningRate = h('input', { type: 'number', min: 0, step: 'any', value: 0.001, 'data-testid': 'learning-rate' });
const trainButton = h('button', { type: 'button', disabled: true, 'data-testid': 'train-button' }, 'Train');
const trainNote = h('p', { class: 'note', 'data-testid': 'train-note' }, 'checking…');

document.body.append(
  h('header', {}, h('h1', {}, 'ALBERT playground'),
    h('p', {}, 'Pick the embedding size and the cross-layer sharing of a tiny ALBERT and see what it changes. Everything runs in this tab.'),
    status.element),
  h('main', {},
    h('aside', {},
      controlA.element,
      h('label', { class: 'row compare' }, compareBox, h('span', {}, 'side by side: compare with variant B')),
      controlB.element,
      h('fieldset', { class: 'training' }, h('legend', {}, 'Training'),
        h('label', { class: 'row' }, h('span', {}, 'steps'), steps),
        h('label', { class: 'row' }, h('span', {}, 'learning rate'), learningRate),
        trainButton, trainNote),
      files.element),
    h('div', { class: 'views' }, paramsView.element, curves.element, geometry.element, tokenize.element, fillMask.element)),
);

// ---- training (the worker's train command is filled in by part two; the button stays disabled until then) ----
worker.onEvent((e) => {
  if (e.event === 'step') {
    void curves.add(runName(e.slot), e.step, { loss: e.loss, ...e.metrics });
    status.showSpeed('training', e.tokensPerSecond);
  }
});
trainButton.addEventListener('click', () => void run(async () => {
  // Side by side: A, then B, so their curves overlay.
  for (const slot of activeSlots()) {
    await worker.request({ cmd: 'train', slot, steps: Number(steps.value), learningRate: Number(learningRate.value) });
  }
  await refreshAll();
}));

// ---- actions ----
function slotParams(slot: Slot): SlotParams {
  const r = reports[slot];
  if (r !== undefined && r.source === 'import') {
    return { slot, label: r.label, counts: r.counts, liveParams: r.liveParams, ...(r.variant ? { variant: r.variant } : {}) };
  }
  const v = variants[slot];
  const built = r !== undefined && JSON.stringify(r.variant) === JSON.stringify(v);
  return { slot, label: variantLabel(v), counts: variantCounts(v), variant: v, ...(built ? { liveParams: r.liveParams } : {}) };
}

function showParams(): void {
  paramsView.show(activeSlots().map(slotParams));
}

function runName(slot: Slot): string {
  return `${slot}: ${reports[slot]?.label ?? variantLabel(variants[slot])}`;
}

async function showTokens(): Promise<void> {
  const text = tokenize.input.value;
  await run(async () => tokenize.show(await worker.request({ cmd: 'tokenize', text })));
}

async function runFillMask(): Promise<void> {
  const text = fillMask.input.value;
  await run(async () => {
    const results = [];
    for (const slot of activeSlots()) {
      const result = await worker.request({ cmd: 'fill-mask', slot, text, topK: 5 });
      results.push({ slot, label: reports[slot]?.label ?? '', result });
      status.showSpeed('forward', result.tokensPerSecond);
    }
    fillMask.show(results);
  }, (m) => fillMask.error(m));
}

async function measureGeometry(): Promise<void> {
  await run(async () => {
    for (const slot of activeSlots()) {
      const g = await worker.request({ cmd: 'geometry', slot });
      status.showSpeed('forward', g.tokensPerSecond);
      const sharing = reports[slot]?.variant ? SHARING_LABELS[reports[slot]!.variant!.sharing] : 'imported';
      await geometry.set(runName(slot), sharing, g.layers);
    }
    await geometry.keep(activeSlots().map(runName));
  });
}

async function refreshAll(): Promise<void> {
  showParams();
  await Promise.all([runFillMask(), measureGeometry()]);
}

async function rebuild(slot: Slot): Promise<void> {
  showParams();
  const r = await run(() => worker.request({ cmd: 'build', slot, variant: variants[slot] }));
  if (r !== undefined) reports[slot] = r;
  await refreshAll();
}

async function changeVariant(slot: Slot, v: Variant): Promise<void> {
  variants[slot] = v;
  await rebuild(slot);
}

async function exportA(): Promise<void> {
  await run(async () => {
    const out = await worker.request({ cmd: 'export', slot: 'A' });
    download(out.zip, out.fileName);
    files.status.textContent = `exported ${out.fileName} (${out.files.join(', ')}, ${(out.zip.length / 1024).toFixed(0)} KiB)`;
  }, (m) => { files.status.textContent = m; });
}

async function importFiles(list: File[]): Promise<void> {
  await run(async () => {
    const upload = await Promise.all(list.map(async (f) => ({
      name: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()),
    })));
    const r = await worker.request({ cmd: 'import', slot: 'A', files: upload }, upload.map((f) => f.bytes.buffer as ArrayBuffer));
    reports.A = r;
    if (r.variant !== undefined) {
      variants.A = r.variant;
      controlA.set(r.variant);
    }
    files.status.textContent = `imported ${list.map((f) => f.name).join(', ')} into A: ${r.label}`;
    await refreshAll();
  }, (m) => { files.status.textContent = m; });
}

/** (Re)starts the backend, then builds the models and fills every view. */
async function start(): Promise<void> {
  const choice = status.choice();
  const report = await run(() => worker.request({ cmd: 'init', ...choice, dataUrl: new URL('data/', location.href).href }));
  if (report === undefined) return;
  status.showBackend(report);
  const caps = await run(() => worker.request({ cmd: 'capabilities' }));
  if (caps !== undefined) {
    trainButton.disabled = !caps.training.available;
    trainNote.textContent = caps.training.available ? '' : caps.training.reason;
  }
  await showTokens();
  for (const slot of activeSlots()) {
    if (reports[slot] === undefined) {
      const r = await run(() => worker.request({ cmd: 'build', slot, variant: variants[slot] }));
      if (r !== undefined) reports[slot] = r;
    }
  }
  await refreshAll();
}

showParams();
void start();
