// Browser tests of the structure analysis: inheritance of needs with its path, modelling, and
// the federation's structure settings (harness in harness.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

test('a coordinator raises a process to hoch, the server below it rises, and the path says why', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
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

test('a coordinator assigns a suggested module to a server and sees it in the modelling table', async () => {
  // The demo has no IT-Grundschutz library: the office imports the self-worded test catalog
  // (as the administrator: the ISB's password was reset by an earlier test).
  const office = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(office, 'admin@verbund.example');
  await office.goto(`${BASE}/catalogs`);
  await office.getByLabel('Datei').setInputFiles(new URL('../../crates/web/tests/fixtures/grundschutz-mini.yaml', import.meta.url).pathname);
  await office.getByRole('button', { name: 'Katalog importieren' }).click();
  await office.getByText(/Importiert: /).waitFor();
  await office.goto(`${BASE}/structure/module-rules`);
  await checkA11y(office, 'modelling-rules');
  await office.close();

  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.goto(`${BASE}/structure`);
  await page.getByRole('link', { name: 'Datei- und DMS-Server', exact: true }).click();
  await page.locator('#modules').waitFor();
  await checkA11y(page, 'modelling-object-before');
  await page.getByRole('button', { name: 'Zuordnen: SYS.1.1' }).click();
  await page.waitForURL(/#modules$/);
  assert.match(await page.locator('#assigned-modules').textContent(), /SYS\.1\.1 Testbaustein Server/);
  assert.equal(await page.getByRole('button', { name: 'Zuordnen: SYS.1.1' }).count(), 0, 'no longer suggested');
  await checkA11y(page, 'modelling-object-after');
  await page.getByRole('link', { name: /^Modellierung: Nauheim/ }).click();
  const table = await page.locator('#modelling-table').textContent();
  assert.match(table, /SYS\.1\.1/);
  assert.match(table, /Datei- und DMS-Server/);
  await checkA11y(page, 'modelling-table');
  await page.close();
});

test('the office changes how needs pass on and a damage scenario; a bad field is named', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.goto(`${BASE}/structure`);
  await page.getByRole('link', { name: 'Einstellungen der Strukturanalyse' }).click();
  await checkA11y(page, 'structure-settings');
  await page.getByLabel('kommuniziert über').selectOption('none');
  const threshold = page.getByLabel(/Hinweis auf Kumulationseffekt/);
  await threshold.fill('1');
  await page.getByRole('group', { name: 'Finanzielle Auswirkungen' }).getByLabel('hoch', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Speichern' }).click();
  assert.match(await page.locator('#cumulation_threshold-error').textContent(), /zwischen 2 und 10\.000/);
  assert.equal(await threshold.getAttribute('aria-invalid'), 'true');
  assert.ok(await page.locator('#scenario-financial-error').isVisible());
  // What was chosen stays chosen on the refused form.
  assert.equal(await page.getByLabel('kommuniziert über').inputValue(), 'none');
  await checkA11y(page, 'structure-settings-errors');
  await threshold.fill('6');
  await page.getByRole('group', { name: 'Finanzielle Auswirkungen' }).getByLabel('hoch', { exact: true }).fill('Schaden über 50.000 Euro');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.waitForURL(/saved=1/);
  assert.match(await page.getByRole('status').textContent(), /gespeichert/);
  assert.equal(await page.getByLabel('kommuniziert über').inputValue(), 'none');
  // Put the default back for the other tests.
  await page.getByLabel('kommuniziert über').selectOption('forward');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.waitForURL(/saved=1/);
  // The member's report is offered on the structure page.
  await page.goto(`${BASE}/structure`);
  const href = await page.getByRole('link', { name: 'Bericht Schutzbedarf (PDF) Nauheim' }).getAttribute('href');
  const res = await page.request.get(BASE + href);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  await page.close();
});
