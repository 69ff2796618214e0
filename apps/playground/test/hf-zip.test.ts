// Uploads: a zip or loose files of a HF directory; anything else is a one-line PlaygroundError.
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PlaygroundError } from '../src/errors.js';
import { filesFromUpload, zipFiles } from '../src/worker/hf-zip.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const hf = new Map([
  ['config.json', bytes('{"a":1}')], ['model.safetensors', new Uint8Array([1, 2, 3])], ['spiece.model', new Uint8Array([9])],
  ['tokenizer_config.json', bytes('{"do_lower_case":true}')], ['special_tokens_map.json', bytes('{}')],
]);

describe('HF directory uploads', () => {
  it('reads back a zip it wrote, byte for byte', () => {
    const files = filesFromUpload([{ name: 'model.zip', bytes: zipFiles(hf) }]);
    expect([...files.keys()].sort()).toEqual([...hf.keys()].sort());
    for (const [k, v] of hf) expect(files.get(k)).toEqual(v);
  });

  it('accepts loose files from a folder (path prefixes) and a zip with a top folder, ignoring other files', () => {
    const loose = filesFromUpload([
      { name: 'my-model/config.json', bytes: hf.get('config.json')! },
      { name: 'my-model/model.safetensors', bytes: hf.get('model.safetensors')! },
      { name: 'my-model/README.md', bytes: bytes('hi') },
    ]);
    expect([...loose.keys()].sort()).toEqual(['config.json', 'model.safetensors']);
    const nested = zipSync({ 'out/config.json': hf.get('config.json')!, 'out/model.safetensors': hf.get('model.safetensors')!, 'out/x.bin': bytes('x') });
    expect([...filesFromUpload([{ name: 'a.ZIP', bytes: nested }]).keys()].sort()).toEqual(['config.json', 'model.safetensors']);
  });

  it('refuses an empty upload, a missing file, duplicates and a broken zip, in one line', () => {
    const cases: [Parameters<typeof filesFromUpload>[0], RegExp][] = [
      [[], /^no files were given$/],
      [[{ name: 'config.json', bytes: bytes('{}') }], /^the upload has no model\.safetensors/],
      [[{ name: 'a/config.json', bytes: bytes('{}') }, { name: 'b/config.json', bytes: bytes('{}') }], /^the upload has two config\.json files$/],
      [[{ name: 'model.zip', bytes: bytes('not a zip at all') }], /^model\.zip is not a readable zip file/],
    ];
    for (const [upload, message] of cases) {
      let error: unknown;
      try {
        filesFromUpload(upload);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlaygroundError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
