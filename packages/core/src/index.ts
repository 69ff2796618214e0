// Registers tfjs-core's gradients on the shared tfjs-core instance (see tooling/scripts/gen-tfjs-gradients.mjs).
import './tf/register-gradients.generated.js';
