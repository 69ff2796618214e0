// @albert-ts/errors: the base class of every error the albert-ts libraries throw for something the caller can fix
// (a bad option, config, file or input). Applications catch `AlbertError` and print its one-line message.
export { AlbertError, type AlbertErrorOptions, oneLine, formatValue } from './albert-error.js';
