// Browser test of the IT-Grundschutz-Check: a module assigned to a server brings its
// requirements onto the member's check page, answered with the quick controls (keyboard and
// mouse, as on the assessment page) and with the full form; every page is checked with axe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

test('a coordinator answers the check of a server quickly and the office compares members', async () => {
  // The demo has no IT-Grundschutz library: the administrator imports the self-worded one.
  const office = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(office, 'admin@verbund.example');
  await office.goto(`${BASE}/catalogs`);
  await office.getByLabel('Datei').setInputFiles(new URL('../../crates/web/tests/fixtures/grundschutz-mini.yaml', import.meta.url).pathname);
  await office.getByRole('button', { name: 'Katalog importieren' }).click();
  await office.getByText(/Importiert: /).waitFor();

  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.goto(`${BASE}/structure`);
  await page.getByRole('link', { name: 'Datei- und DMS-Server', exact: true }).click();
  await page.getByRole('button', { name: 'Zuordnen: SYS.1.1' }).click();
  await page.waitForURL(/#modules$/);
  assert.match(await page.locator('#object-check').textContent(), /SYS\.1\.1\.A1/);
  await page.getByRole('link', { name: /^IT-Grundschutz-Check: Nauheim/ }).click();
  await page.locator('#check-table').waitFor();
  await checkA11y(page, 'check');
  const table = await page.locator('#check-table').textContent();
  assert.match(table, /SYS\.1\.1\.A1/);
  assert.match(table, /Basis/);

  // A click saves the row at once (htmx) and says so.
  const row = page.locator('tr.answer', { hasText: 'SYS.1.1.A1' });
  await row.getByText('ja', { exact: true }).click();
  await row.getByText('gespeichert').waitFor();
  await checkA11y(page, 'check-saved');

  // The full form: entbehrlich needs a justification; the German message names the field.
  await page.locator('tr.answer', { hasText: 'SYS.1.1.A2' }).getByRole('link', { name: /SYS\.1\.1\.A2/ }).click();
  await page.getByLabel('Umsetzungshinweis').waitFor();
  await checkA11y(page, 'check-answer');
  await page.getByLabel('entbehrlich', { exact: true }).check();
  await page.getByRole('button', { name: 'Speichern' }).click();
  assert.equal(await page.getByLabel('Begründung').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Begründung').fill('Protokolle wertet der Dienstleister aus.');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.locator('#check-table').waitFor();
  assert.match(await page.locator('#check-summary').textContent(), /100,0 %/);
  await page.close();

  await office.goto(`${BASE}/check/comparison`);
  assert.match(await office.locator('#check-comparison').textContent(), /Nauheim/);
  await checkA11y(office, 'check-comparison');
  await office.close();
});
