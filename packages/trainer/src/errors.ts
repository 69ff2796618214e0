/** A trainer-level failure with a one-line, user-facing message (bad option, non-finite loss, bad trainer state). */
export class TrainerError extends Error {
  override readonly name = 'TrainerError';
  constructor(message: string) {
    super(message.split('\n')[0]);
  }
}
