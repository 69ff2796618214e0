import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '@albert-ts/testing/browser';

export { CHROMIUM, hasChromium } from '@albert-ts/testing/browser';

/** What the browser saw. */
export interface BrowserCheck {
  title: string;
  svgCount: number;
  /** Chart figures whose SVG has a non-zero rendered size. */
  visibleCharts: string[];
  headings: string[];
  requests: string[];
  consoleErrors: string[];
}

/** Opens a report in headless chromium (offline: every non-file request is recorded and aborted) and screenshots it. */
export async function checkInBrowser(htmlPath: string, screenshot: string): Promise<BrowserCheck> {
  const browser = await launchChromium();
  try {
    const page = browser.page;
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const result = await page.evaluate(() => {
      const figs = Array.from(document.querySelectorAll('figure.chart'));
      return {
        title: document.title,
        svgCount: document.querySelectorAll('figure.chart svg').length,
        visibleCharts: figs
          .filter((f) => {
            const svg = f.querySelector('svg');
            const r = svg?.getBoundingClientRect();
            return !!r && r.width > 50 && r.height > 50;
          })
          .map((f) => f.id),
        headings: Array.from(document.querySelectorAll('h2')).map((h) => h.textContent ?? ''),
      };
    });
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    return { ...result, requests, consoleErrors };
  } finally {
    await browser.close();
  }
}
