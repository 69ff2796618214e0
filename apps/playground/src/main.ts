// The playground page: controls on the left, views on the right; every tensor lives in the model worker.
import './style.css';
import type { BackendChoice, ModelReport, Slot } from './protocol.js';
import { CurvesView, GeometryView } from './ui/charts-view.js';
import { h } from './ui/dom.js';
import { download, FilesView } from './ui/files-view.js';
import { ParamsView, type SlotParams } from './ui/params-view.js';
import { StatusBar } from './ui/status-bar.js';
import { FillMaskView, TokenizeView } from './ui/text-views.js';
import { TrainingView } from './ui/training-view.js';
import { variantControls } from './ui/variant-controls.js';
import { DEFAULT_VARIANT, type Variant, variantCounts, variantLabel } from './variant.js';
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
const variants: Record<Slot, Variant> = { A: { ...DEFAULT_VARIANT }, B: { ...DEFAULT_VARIANT, sharing: 'not-shared' } };
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

const training = new TrainingView(() => void trainAll(), () => void stopTraining());

document.body.append(
  h('header', {}, h('h1', {}, 'ALBERT playground'),
    h('p', {}, 'Pick the embedding size and the cross-layer sharing of a tiny ALBERT, train it, and see what changes. Everything runs in this tab.'),
    status.element),
  h('main', {},
    h('aside', {},
      controlA.element,
      h('label', { class: 'row compare' }, compareBox, h('span', {}, 'side by side: compare with variant B')),
      controlB.element,
      training.element,
      files.element),
    h('div', { class: 'views' }, curves.element, paramsView.element, geometry.element, tokenize.element, fillMask.element)),
);

// ---- training: the worker runs the trainer's train(); side by side trains A, then B, and their curves overlay ----
/** Losses of the steps of each slot's run in progress. */
const runLosses: Partial<Record<Slot, number[]>> = {};
let stopRequested = false;

worker.onEvent((e) => {
  runLosses[e.slot]?.push(e.loss);
  training.showStep(e.slot, e.step, e.loss);
  status.showSpeed('training', e.tokensPerSecond);
  void curves.add(runName(e.slot), e.step, { loss: e.loss, ...e.metrics });
});

/** Locks what must not change under a running training: the variants, side by side and the backend. */
function setTraining(running: boolean): void {
  training.setRunning(running);
  for (const el of [controlA.element, controlB.element]) el.disabled = running;
  for (const el of [compareBox, status.backend, status.threads]) el.disabled = running;
}

async function trainAll(): Promise<void> {
  const settings = training.settings();
  stopRequested = false;
  setTraining(true);
  await run(async () => {
    for (const slot of activeSlots()) {
      if (stopRequested) break;
      const losses: number[] = (runLosses[slot] = []);
      const r = await worker.request({ cmd: 'train', slot, ...settings });
      delete runLosses[slot];
      training.showResult(slot, reports[slot]?.label ?? variantLabel(variants[slot]), r, losses);
      if (r.status === 'interrupted') break;
    }
  }, (m) => training.error(m));
  setTraining(false);
  await refreshAll();
}

async function stopTraining(): Promise<void> {
  stopRequested = true;
  await worker.request({ cmd: 'stop' });
}

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
      const sharing = reports[slot]?.variant?.sharing ?? 'imported';
      await geometry.set(runName(slot), sharing, g.layers);
    }
    await geometry.keep(activeSlots().map(runName));
  });
}

async function refreshAll(): Promise<void> {
  showParams();
  await Promise.all([runFillMask(), measureGeometry()]);
}

/** Records a slot's new model (built or imported): its training curve starts over. */
function setModel(slot: Slot, r: ModelReport): void {
  reports[slot] = r;
  void curves.remove((name) => name.startsWith(`${slot}: `));
  training.setReady(true);
}

async function build(slot: Slot): Promise<void> {
  const r = await run(() => worker.request({ cmd: 'build', slot, variant: variants[slot] }));
  if (r !== undefined) setModel(slot, r);
}

async function rebuild(slot: Slot): Promise<void> {
  showParams();
  await build(slot);
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
    setModel('A', r);
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
  await showTokens();
  for (const slot of activeSlots()) if (reports[slot] === undefined) await build(slot);
  await refreshAll();
}

showParams();
void start();
