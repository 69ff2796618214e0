// Whether a command has selected a TensorFlow.js backend. Kept apart from backend-option.ts, which imports
// TensorFlow.js: `main` reads it after every command without loading TensorFlow.js for the commands that never do.

let selected = false;

/** Called by `selectBackend` when a command activates a backend. */
export function markBackendSelected(): void {
  selected = true;
}

/** True once any command in this process has selected a backend (whose wasm threads `main` then shuts down). */
export function backendSelected(): boolean {
  return selected;
}
