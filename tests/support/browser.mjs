// Launches Debian's Chromium through playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';

// Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
}

/** Starts a server (with `serverOptions`) and Chromium for one test file; output dir ready. */
export async function startBrowserAndServer(serverOptions = {}) {
  const { mkdirSync } = await import('node:fs');
  const { startServer, OUTPUT_DIR } = await import('./server.mjs');
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const server = await startServer(serverOptions);
  try {
    return { server, browser: await launchChromium() };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

/** Closes the browser, then stops the server, whatever happened before. */
export async function stopBrowserAndServer({ server, browser }) {
  try { if (browser) await browser.close(); } finally { if (server) await server.stop(); }
}
