/** The errno code, the reason and the path of a failed file-system call (`ENOSPC`, `no space left on device`). */
export function errnoParts(err: unknown, fallbackPath: string): { code: string; reason: string; path: string } {
  const e = err as NodeJS.ErrnoException | undefined;
  const code = typeof e?.code === 'string' ? e.code : 'EUNKNOWN';
  // Node's messages read `ENOSPC: no space left on device, write` (or `..., open '<path>'`).
  const reason = (e instanceof Error ? e.message : String(err)).split(',')[0].replace(`${code}: `, '').trim();
  return { code, reason, path: typeof e?.path === 'string' ? e.path : fallbackPath };
}
