// Browser-test helpers (import from '@albert-ts/testing/browser'; they load playwright-core).
export {
  CHROMIUM, CHROMIUM_MISSING, hasChromium, launchChromium, type LaunchOptions, type LaunchedChromium,
} from './chromium.js';
