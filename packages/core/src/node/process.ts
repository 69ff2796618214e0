// Entry point of '@albert-ts/core/process': how command-line programs write their output and end. Imports only
// node:* modules, so a program can use it without loading TensorFlow.js.
export { runMain, EXIT_OUTPUT_CLOSED } from './run-main.js';
export { writeOutput, watchOutput, outputFailure, OutputClosedError, isOutputClosedError } from './output.js';
