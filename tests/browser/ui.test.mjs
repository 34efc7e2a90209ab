// Browser tests: the demo served by the real binary, driven in Debian's headless Chromium.
// Every visited page is checked with axe-core (WCAG 2.1 A/AA rules); serious or critical
// violations fail the test. Screenshots land in out/ for a human look.

import { test, before, after } from 'node:test';
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
const BASE = `http://127.0.0.1:${PORT}`;
const DB = join(tmpdir(), `verbund-browser-${PORT}.db`);
const OUT = new URL('./out/', import.meta.url).pathname;
const PASSWORD = 'Verbund-Demo-2026';

let server, browser;

async function waitForHealth() {
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${BASE}/healthz`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  server = spawn(BIN, ['demo', '--reset', '--db', DB, '--bind', `127.0.0.1:${PORT}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForHealth();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  for (const s of ['', '-wal', '-shm']) rmSync(DB + s, { force: true });
});

/** Runs axe on the page; fails on serious/critical WCAG A/AA violations. */
async function checkA11y(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  // Evaluated over the DevTools protocol: our CSP (rightly) blocks injected inline scripts.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `accessibility violations on ${name}`);
  return result;
}

async function login(page, email) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(`${BASE}/`);
}

test('login page is German, keyboard-usable and accessible', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  await page.goto(`${BASE}/login`);
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  await checkA11y(page, '01-login');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Zum Inhalt springen', 'skip link is first');
  await page.getByLabel('E-Mail-Adresse').fill('isb@verbund.example');
  await page.getByLabel('Passwort').fill('falsch-falsch-falsch');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /E-Mail-Adresse oder Passwort ist falsch/);
  await checkA11y(page, '02-login-error');
  await page.close();
});

test('office ISB sees all members, edits one, and every page passes axe', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await checkA11y(page, '03-dashboard');
  await page.getByRole('link', { name: 'Organisationen', exact: true }).first().click();
  await page.waitForURL(`${BASE}/orgs`);
  const rows = await page.locator('tbody tr').count();
  assert.ok(rows >= 14, `all members listed (${rows})`);
  await checkA11y(page, '04-orgs');
  await page.getByRole('link', { name: 'Nauheim' }).click();
  await checkA11y(page, '05-org-detail');
  await page.getByRole('link', { name: 'Bearbeiten' }).click();
  await checkA11y(page, '06-org-edit');
  await page.getByLabel('Amtlicher Gemeindeschlüssel (AGS)').fill('12345');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.getByText('Der AGS besteht aus genau 8 Ziffern').waitFor();
  assert.equal(await page.getByLabel('Amtlicher Gemeindeschlüssel (AGS)').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, '07-org-edit-error');
  await page.getByLabel('Amtlicher Gemeindeschlüssel (AGS)').fill('06433009');
  await page.getByLabel('Einwohnerzahl').fill('10900');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.getByText('10900').waitFor();
  await page.getByRole('link', { name: 'Änderungsprotokoll' }).click();
  await page.getByText('Organisation geändert').first().waitFor();
  await checkA11y(page, '08-audit');
  await page.getByRole('link', { name: 'Benutzer', exact: true }).click();
  await checkA11y(page, '09-users');
  await page.getByRole('link', { name: 'Petra Schneider' }).first().click();
  await checkA11y(page, '10-user-detail');
  await page.getByRole('link', { name: 'Petra Schneider' }).first().click();
  await page.waitForURL(`${BASE}/profile`);
  await checkA11y(page, '11-profile');
  await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
  await page.locator('svg[role="img"]').waitFor();
  await checkA11y(page, '12-mfa-enrol');
  await page.close();
});

test('office previews the cost split and issues a statement; a mayor reads it', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.getByRole('link', { name: 'Kosten' }).click();
  await page.goto(`${BASE}/costs?year=2026`);
  await page.getByText('190.000,00 €').first().waitFor();
  await checkA11y(page, '16-costs');
  await page.getByRole('link', { name: /Vorschau/ }).first().click();
  await page.getByText('Anteile der Mitglieder').waitFor();
  await checkA11y(page, '17-cost-preview');
  await page.getByRole('button', { name: 'Abrechnung erstellen' }).click();
  await page.waitForURL(/\/costs\/statements\/\d+/);
  await checkA11y(page, '18-cost-statement');
  const url = page.url();
  await page.goto(`${BASE}/costs/keys/new`);
  await checkA11y(page, '19-cost-key-form');
  await page.close();
  const mayor = await browser.newPage({ locale: 'de-DE' });
  await login(mayor, 'leitung@raunheim.example');
  await mayor.goto(url);
  assert.match(await mayor.locator('main').textContent(), /Raunheim/);
  assert.doesNotMatch(await mayor.locator('main').textContent(), /Nauheim/);
  await checkA11y(mayor, '20-member-statement');
  await mayor.close();
});

test('a coordinator sees only the own town', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.goto(`${BASE}/orgs`);
  const names = await page.locator('tbody tr td:first-child').allTextContents();
  assert.deepEqual(names.map((n) => n.trim()), ['Nauheim']);
  await page.goto(`${BASE}/orgs/3`);
  const status = await page.evaluate(async () => (await fetch('/orgs/3')).status);
  assert.equal(status, 404, 'another member is not found');
  await checkA11y(page, '13-not-found');
  await page.close();
});

test('a coordinator invites an existing account, which accepts the role after signing in', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.goto(`${BASE}/users/new`);
  await page.getByLabel('E-Mail-Adresse').fill('leitung@raunheim.example');
  await page.getByLabel('Name', { exact: true }).fill('Jemand');
  await page.getByLabel('Rolle').selectOption('measure_owner');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.getByText('Die Einladung wurde angelegt').waitFor();
  assert.doesNotMatch(await page.locator('main').textContent(), /Raunheim/, 'nothing about the other member');
  await checkA11y(page, '21-invitation-sent');
  await page.close();
  const invitee = await browser.newPage({ locale: 'de-DE' });
  await login(invitee, 'leitung@raunheim.example');
  await invitee.getByText('Sie haben eine offene Einladung.').waitFor();
  await invitee.getByRole('link', { name: 'Zu den Einladungen' }).click();
  await checkA11y(invitee, '22-invitation-received');
  await invitee.getByRole('button', { name: 'Annehmen: Nauheim' }).click();
  await invitee.goto(`${BASE}/orgs`);
  const names = await invitee.locator('tbody tr td:first-child').allTextContents();
  assert.ok(names.map((n) => n.trim()).includes('Nauheim'), `the accepted role reaches Nauheim (${names})`);
  await invitee.close();
});

test('a coordinator proposes new key figures and the office accepts them', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.goto(`${BASE}/orgs`);
  await page.locator('tbody').getByRole('link', { name: 'Nauheim' }).click();
  await page.getByLabel('Einwohnerzahl').fill('10950');
  await page.getByLabel('Begründung und Quelle').fill('Fortschreibung 31.12.2025');
  await page.getByRole('button', { name: 'Vorschlag senden' }).click();
  await page.getByText(/→ 10950/).waitFor();
  await checkA11y(page, '14-key-figure-proposal');
  await page.close();
  const isb = await browser.newPage({ locale: 'de-DE' });
  await login(isb, 'isb@verbund.example');
  await isb.goto(`${BASE}/orgs`);
  await isb.getByRole('link', { name: /Offene Kennzahl-Vorschläge: 1/ }).click();
  await checkA11y(isb, '15-key-figure-list');
  await isb.getByLabel('Anmerkung zur Entscheidung').fill('Geprüft');
  await isb.getByRole('button', { name: 'Übernehmen' }).click();
  await isb.waitForURL(`${BASE}/key-figures`);
  await isb.goto(`${BASE}/key-figures?status=accepted`);
  await isb.locator('tbody').getByText('übernommen').waitFor();
  await isb.locator('tbody').getByText('Geprüft').waitFor();
  await isb.close();
});

test('English interface can be chosen before login', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  await page.goto(`${BASE}/login`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await checkA11y(page, '14-login-en');
  await page.close();
});

test('API documentation renders offline under the content security policy', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  const blocked = [];
  page.on('console', (m) => { if (m.type() === 'error') blocked.push(m.text()); });
  await page.goto(`${BASE}/api/docs/`);
  await page.locator('.opblock').first().waitFor({ timeout: 15000 });
  const ops = await page.locator('.opblock').count();
  assert.ok(ops >= 19, `all operations shown (${ops})`);
  assert.deepEqual(blocked.filter((t) => /Content Security Policy/.test(t)), [], 'nothing blocked by CSP');
  await page.screenshot({ path: join(OUT, '15-api-docs.png') });
  await page.close();
});

/** The overall score cell of a member in the federation comparison, e.g. "12,3 %". */
async function heatmapScore(page, member) {
  await page.goto(`${BASE}/heatmap`);
  return (await page.locator('table.heatmap tbody tr', { has: page.getByRole('rowheader', { name: member, exact: true }) }).locator('td').first().textContent()).trim();
}

test('office starts assessments; a coordinator answers items and sees the comparison change', async () => {
  const office = await browser.newPage({ locale: 'de-DE' });
  await login(office, 'isb@verbund.example');
  await office.goto(`${BASE}/catalogs`);
  await checkA11y(office, '20-catalogs');
  await office.getByLabel('Datei').setInputFiles(new URL('../../catalogs/verbund-starter.yaml', import.meta.url).pathname);
  await office.getByRole('button', { name: 'Katalog importieren' }).click();
  await office.getByText(/Importiert: /).waitFor();
  await office.getByRole('link', { name: 'Bewertung für alle Mitglieder starten' }).click();
  await office.getByRole('heading', { name: 'Bewertungen starten?' }).waitFor();
  const confirmText = await office.getByRole('alert').textContent();
  assert.match(confirmText, /Für \d+ Mitglieder? wird|Alle Mitglieder bewerten/, confirmText);
  await checkA11y(office, '20b-catalog-start-confirm');
  if (await office.getByRole('button', { name: 'Ja, Bewertungen anlegen' }).count()) {
    await office.getByRole('button', { name: 'Ja, Bewertungen anlegen' }).click();
    await office.getByText(/Bewertungen? wurden? gestartet/).waitFor();
  }
  await checkA11y(office, '21-catalog-started');
  await office.close();

  const page = await browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  const before = await heatmapScore(page, 'Nauheim');
  await checkA11y(page, '22-heatmap-member');
  await page.goto(`${BASE}/assessments`);
  await page.locator('main').getByRole('link', { name: 'Nauheim' }).first().click();
  await page.waitForURL(/\/assessments\/\d+/);
  // Answer the first two open requirements with "ja" through the quick form in their rows.
  await page.goto(page.url().split('?')[0] + '?status=unanswered');
  for (let i = 0; i < 2; i++) {
    const row = page.locator('table.answers tbody tr').first();
    const id = await row.getAttribute('id');
    await row.getByLabel('Status').selectOption('yes');
    await row.getByRole('button', { name: 'Speichern' }).click();
    await page.locator(`#${id} select option[value="yes"][selected]`).waitFor({ state: 'attached' });
    await page.reload();
  }
  await checkA11y(page, '23-assessment');
  const after = await heatmapScore(page, 'Nauheim');
  assert.notEqual(after, before, `the comparison shows the new answers (${before} → ${after})`);
  const num = (s) => Number(s.replace(' %', '').replace(',', '.').replace('–', '0'));
  assert.ok(num(after) > num(before), `${before} → ${after}`);
  await checkA11y(page, '24-heatmap-after');
  await page.close();
});

test('no page scrolls sideways at 320 CSS px (WCAG 1.4.10 reflow); wide tables scroll in their own region', async () => {
  const page = await browser.newPage({ locale: 'de-DE', viewport: { width: 320, height: 800 } });
  await login(page, 'isb@verbund.example');
  const pages = ['/', '/orgs', '/orgs/2', '/orgs/2/edit', '/orgs/new', '/users', '/users/new', '/audit', '/profile',
    '/costs', '/costs?year=2025', '/costs/statements/1', '/costs/keys/new', '/costs/preview?year=2026&key=1',
    '/costs/compare?year=2026&a=1&b=1', '/catalogs', '/catalogs/1', '/assessments', '/assessments/1', '/answers/1',
    '/heatmap', '/settings', '/key-figures', '/structure', '/structure/new', '/structure/providers',
    '/structure/objects/1', '/structure/objects/1/edit'];
  const wide = [];
  for (const path of pages) {
    const res = await page.goto(BASE + path);
    assert.equal(res.status(), 200, path);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (over > 0) wide.push(`${path}: ${over} px`);
  }
  assert.deepEqual(wide, [], 'pages wider than the window');
  await page.close();
});

test('a coordinator raises a process to hoch, the server below it rises, and the path says why', async () => {
  const page = await browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.getByRole('link', { name: 'Strukturanalyse', exact: true }).click();
  await checkA11y(page, 'structure-list');
  const server = page.getByRole('link', { name: 'Datei- und DMS-Server', exact: true });
  const serverUrl = BASE + await server.getAttribute('href');
  await server.click();
  assert.equal((await page.locator('#effective-availability').textContent()).trim(), 'normal');
  await checkA11y(page, 'structure-server-before');
  await page.goto(`${BASE}/structure`);
  await page.getByRole('link', { name: 'Meldewesen', exact: true }).click();
  await page.locator('#value-availability').selectOption('high');
  await page.locator('#justification-availability').fill('Bürgerbüro ohne Ausweichstandort');
  await page.locator('#need-availability').getByRole('button', { name: /Schutzbedarf speichern/ }).click();
  await page.waitForURL(/#need-availability$/);
  assert.match(await page.locator('#effective-availability').textContent(), /hoch/);
  await checkA11y(page, 'structure-process');
  await page.goto(serverUrl);
  assert.match(await page.locator('#effective-availability').textContent(), /hoch/);
  const path = await page.locator('#path-availability').textContent();
  assert.match(path, /S-01 „Datei- und DMS-Server“: hoch, geerbt von A-DMS/);
  assert.match(path, /GP-MELD „Meldewesen“: hoch, hier festgelegt/);
  // The shared provider object shows only Nauheim's own contribution.
  await page.goto(`${BASE}/structure?q=KRZ-EWO`);
  await page.getByRole('link', { name: /Einwohnerwesen-Fachverfahren/ }).click();
  const contributions = await page.locator('#contributions + table').textContent();
  assert.match(contributions, /Nauheim/);
  assert.doesNotMatch(contributions, /Raunheim/);
  await page.goto(`${BASE}/structure`);
  await page.getByRole('link', { name: 'Abhängigkeiten Nauheim' }).click();
  await checkA11y(page, 'structure-dependencies');
  await page.close();
});
