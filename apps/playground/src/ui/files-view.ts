// Export a slot's model as a HF directory zip; import a zip or a HF directory by file picker or drag and drop.
import { h } from './dom.js';

/** Reads every file of a dropped item (a file, or a folder recursively) with its relative path. */
async function entryFiles(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    return [await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const out: File[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return out;
    for (const e of batch) out.push(...(await entryFiles(e)));
  }
}

export class FilesView {
  readonly element: HTMLElement;
  readonly status: HTMLElement;

  constructor(onExport: () => void, onImport: (files: File[]) => void) {
    const picker = h('input', { type: 'file', multiple: true, accept: '.zip,.json,.safetensors,.model', 'data-testid': 'import-input' });
    picker.addEventListener('change', () => { if (picker.files?.length) onImport([...picker.files]); picker.value = ''; });
    const folder = h('input', { type: 'file', webkitdirectory: true, 'data-testid': 'import-folder' });
    folder.addEventListener('change', () => { if (folder.files?.length) onImport([...folder.files]); folder.value = ''; });
    const drop = h('div', { class: 'drop', 'data-testid': 'drop-zone' }, 'Drop a zip or a HF model folder here');
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const items = [...(e.dataTransfer?.items ?? [])].map((i) => i.webkitGetAsEntry()).filter((x): x is FileSystemEntry => x !== null);
      void Promise.all(items.map(entryFiles)).then((lists) => onImport(lists.flat()));
    });
    this.status = h('p', { class: 'status', 'data-testid': 'files-status' });
    this.element = h('section', { id: 'files' },
      h('h2', {}, 'Model files'),
      h('p', { class: 'hint' }, 'Export writes a HuggingFace directory as a zip (config.json, model.safetensors, spiece.model, tokenizer_config.json, special_tokens_map.json) that AlbertForPreTraining.from_pretrained, AutoTokenizer and albert-ts load. Import puts a model into variant A.'),
      h('button', { type: 'button', onclick: onExport, 'data-testid': 'export-button' }, 'Export A as zip'),
      h('label', { class: 'row' }, h('span', {}, 'import zip or files'), picker),
      h('label', { class: 'row' }, h('span', {}, 'import a folder'), folder),
      drop, this.status);
  }
}

/** Offers bytes as a download. */
export function download(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  const a = h('a', { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
