// Backend in use, wasm threads (and why there are none), GPU adapter, and throughput.
import { BACKEND_NAMES } from '@albert-ts/backends';
import type { BackendChoice, BackendReport } from '../protocol.js';
import { h, select, setChildren } from './dom.js';

const THREAD_CHOICES = ['auto', '1', '2', '4', '8'] as const;

export class StatusBar {
  readonly element: HTMLElement;
  readonly backend: HTMLSelectElement;
  readonly threads: HTMLSelectElement;
  private readonly info: HTMLElement;
  private readonly speed: HTMLElement;
  private readonly busy: HTMLElement;
  private readonly speeds = new Map<string, number>();

  constructor(backend: BackendChoice, threads: number | undefined, onChange: () => void) {
    this.backend = select<BackendChoice>(['auto', ...BACKEND_NAMES], backend, String, { 'data-testid': 'backend-select' });
    this.threads = select(THREAD_CHOICES, (threads === undefined ? 'auto' : String(threads)) as (typeof THREAD_CHOICES)[number], String, { 'data-testid': 'threads-select' });
    this.backend.addEventListener('change', onChange);
    this.threads.addEventListener('change', onChange);
    this.info = h('span', { class: 'info', 'data-testid': 'backend-info' }, 'starting…');
    this.speed = h('span', { class: 'speed', 'data-testid': 'speed' });
    this.busy = h('span', { class: 'busy', 'data-testid': 'busy' });
    this.element = h('div', { class: 'status-bar' },
      h('label', {}, 'backend ', this.backend), h('label', {}, 'wasm threads ', this.threads), this.info, this.speed, this.busy);
  }

  /** The chosen backend and thread count. */
  choice(): { backend: BackendChoice; threads?: number } {
    const t = this.threads.value;
    return { backend: this.backend.value as BackendChoice, ...(t === 'auto' ? {} : { threads: Number(t) }) };
  }

  showBackend(r: BackendReport): void {
    const parts: (string | HTMLElement)[] = [h('strong', { 'data-testid': 'backend-name', 'data-backend': r.backend, 'data-threads': r.threads }, r.backend)];
    if (r.backend === 'wasm') parts.push(` · ${r.threads} thread${r.threads === 1 ? '' : 's'}`);
    if (r.adapter) parts.push(` · adapter ${r.adapter}`);
    parts.push(` · crossOriginIsolated ${r.crossOriginIsolated}`);
    if (!r.crossOriginIsolated) {
      parts.push(h('span', { class: 'warn', 'data-testid': 'threads-unavailable' },
        ' · wasm threads unavailable: this page is not cross-origin isolated (serve it with COOP/COEP headers)'));
    }
    for (const s of r.skipped) parts.push(h('span', { class: 'skipped', title: s.reason }, ` · ${s.backend} skipped`));
    parts.push(h('span', { class: 'data', title: 'bundled corpus slice and vocabulary (public/data)' },
      ` · data: ${r.corpus.documents} documents (${r.corpus.heldOutDocuments} held out), ${r.vocabSize.toLocaleString('en-US')}-piece vocabulary`));
    setChildren(this.info, ...parts);
  }

  showError(message: string): void {
    setChildren(this.info, h('span', { class: 'error' }, message));
  }

  /** The latest speed of each kind of work (`training`, `forward`), all shown. */
  showSpeed(what: string, tokensPerSecond: number): void {
    this.speeds.set(what, tokensPerSecond);
    setChildren(this.speed, [...this.speeds].map(([w, t]) => ` · ${w}: ${Math.round(t).toLocaleString('en-US')} tokens/s`).join(''));
  }

  setBusy(n: number): void {
    document.body.dataset['busy'] = String(n);
    setChildren(this.busy, n > 0 ? ' · working…' : '');
  }
}
