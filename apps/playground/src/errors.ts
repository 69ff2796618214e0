/** A one-line error the playground shows as it is (bad upload, unknown slot, a model without an MLM head, …). */
export class PlaygroundError extends Error {
  override readonly name = 'PlaygroundError';
}
