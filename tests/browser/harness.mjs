// The shared harness of the browser tests: each test file serves its own demo (the real
// binary on a random port and a fresh SQLite file) and drives it in Debian's headless
// Chromium. Every visited page is checked with axe-core (WCAG 2.1 A/AA rules); serious or
// critical violations fail the test. Screenshots land in out/ for a human look.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BIN = process.env.VERBUND_BIN || join(process.env.CARGO_TARGET_DIR || '../../target', 'debug', 'verbund');
const PORT = 18000 + Math.floor(Math.random() * 1000);
export const BASE = `http://127.0.0.1:${PORT}`;
const DB = join(tmpdir(), `verbund-browser-${PORT}.db`);
export const OUT = new URL('./out/', import.meta.url).pathname;
export const PASSWORD = 'Verbund-Demo-2026';

/** The running browser (set once the server is up). */
export const ctx = { browser: null };

let server;

async function waitForHealth() {
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${BASE}/healthz`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/** Starts the demo server and the browser before the file's tests and stops them after. */
export function useDemo() {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    server = spawn(BIN, ['demo', '--reset', '--db', DB, '--bind', `127.0.0.1:${PORT}`], { stdio: ['ignore', 'inherit', 'inherit'] });
    await waitForHealth();
    ctx.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await ctx.browser?.close();
    server?.kill('SIGTERM');
    for (const s of ['', '-wal', '-shm']) rmSync(DB + s, { force: true });
  });
}

/** Runs axe on the page; fails on serious/critical WCAG A/AA violations. */
export async function checkA11y(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  // Evaluated over the DevTools protocol: our CSP (rightly) blocks injected inline scripts.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `accessibility violations on ${name}`);
  return result;
}

/** Signs in through the login form with the demo password. */
export async function login(page, email) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(`${BASE}/`);
}
