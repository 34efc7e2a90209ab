// Browser tests of cost sharing: the preview and issue of a statement, the preview on a laptop
// screen, key-figure proposals (harness in harness.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, OUT, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

test('office previews the cost split and issues a statement; a mayor reads it', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.getByRole('link', { name: 'Kosten' }).click();
  await page.goto(`${BASE}/costs?year=2026`);
  await page.getByText('190.000,00 €').first().waitFor();
  await checkA11y(page, '16-costs');
  await page.getByRole('link', { name: /Vorschau/ }).first().click();
  await page.getByText('Anteile der Mitglieder').waitFor();
  await checkA11y(page, '17-cost-preview');
  await page.getByRole('link', { name: 'Abrechnung erstellen' }).click();
  // A confirmation page, not a script dialog: what will be issued, and that it is final.
  await page.waitForURL(/\/costs\/statements\/new\?/);
  const confirm = await page.locator('main').textContent();
  assert.match(confirm, /kann nicht zurückgenommen oder geändert werden/);
  assert.match(confirm, /Finanzierungsschlüssel \(Demo\)/);
  assert.equal(await page.getByLabel('Kassenzeichen: Nauheim').inputValue(), 'IKZ-ISB-2026-06433009', 'references from the settings\' pattern');
  assert.match(confirm, /DE89 3704 0044 0532 0130 00/);
  await checkA11y(page, '18a-cost-issue-confirm');
  // Keyboard only: change Nauheim's reference, then Tab on to the button and press Enter.
  const nauheimRef = page.getByLabel('Kassenzeichen: Nauheim');
  await nauheimRef.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('NAU-2026-KORR');
  const issueButton = page.getByRole('button', { name: 'Abrechnung unwiderruflich erstellen' });
  for (let i = 0; i < 80 && !(await issueButton.evaluate((b) => b === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  assert.ok(await issueButton.evaluate((b) => b === document.activeElement), 'the button is reached by keyboard');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/costs\/statements\/\d+$/);
  await checkA11y(page, '18-cost-statement');
  const url = page.url();
  assert.ok(await page.getByRole('link', { name: 'Alle Schreiben als ZIP-Datei' }).isVisible());
  const zip = await page.request.get(`${url}/zip`);
  assert.equal(zip.headers()['content-type'], 'application/zip');
  await page.goto(`${BASE}/costs/keys/new`);
  await checkA11y(page, '19-cost-key-form');
  // Only the chosen template's fields show; the preview follows what is typed.
  assert.ok(await page.locator('#host').isVisible(), 'the host preset shows its host field');
  await page.getByText('Gleiche Anteile', { exact: true }).click();
  assert.ok(!(await page.locator('#host').isVisible()), 'no host field for equal shares');
  assert.ok(!(await page.locator('#json').isVisible()));
  await page.locator('#key-preview table').waitFor();
  await page.locator('label[for="preset-host"]').click();
  await page.locator('#host').selectOption({ label: 'Kreis Groß-Gerau' });
  await page.locator('#host_percent').fill('40');
  await page.locator('#key-preview').getByText('76.000,00 €').waitFor();
  await checkA11y(page, '19a-cost-key-preview');
  await page.goto(`${BASE}/costs/standalone`);
  await checkA11y(page, '19b-cost-standalone');
  await page.goto(`${BASE}/costs/keys/1/edit`);
  await page.getByText('als neue Version gespeichert').waitFor();
  await checkA11y(page, '19c-cost-key-edit');
  await page.close();
  const mayor = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(mayor, 'leitung@raunheim.example');
  await mayor.goto(url);
  assert.match(await mayor.locator('main').textContent(), /Raunheim/);
  assert.doesNotMatch(await mayor.locator('main').textContent(), /Nauheim/);
  await checkA11y(mayor, '20-member-statement');
  await mayor.close();
});

test('the cost preview fits a 1366 px screen: the amount payable is not cut off', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE', viewport: { width: 1366, height: 768 } });
  await login(page, 'isb@verbund.example');
  await page.goto(`${BASE}/costs/preview?year=2026&key=1`);
  const region = page.locator('.scroll').first();
  await region.waitFor();
  await page.screenshot({ path: join(OUT, '17a-cost-preview-1366.png'), fullPage: true });
  const fits = await region.evaluate((r) => r.scrollWidth <= r.clientWidth);
  assert.ok(fits, 'the split table needs no sideways scrolling at 1366 px');
  for (const name of ['Zu zahlen', 'Ersparnis']) {
    const box = await page.getByRole('columnheader', { name, exact: true }).boundingBox();
    assert.ok(box && box.x + box.width <= 1366, `${name} column inside the window (${JSON.stringify(box)})`);
  }
  await page.close();
});

test('a coordinator proposes new key figures and the office accepts them', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.goto(`${BASE}/orgs`);
  await page.locator('tbody').getByRole('link', { name: 'Nauheim' }).click();
  await page.getByLabel('Einwohnerzahl').fill('10950');
  await page.getByLabel('Begründung und Quelle').fill('Fortschreibung 31.12.2025');
  await page.getByRole('button', { name: 'Vorschlag senden' }).click();
  await page.getByText(/→ 10950/).waitFor();
  await checkA11y(page, '14-key-figure-proposal');
  await page.close();
  const isb = await ctx.browser.newPage({ locale: 'de-DE' });
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
