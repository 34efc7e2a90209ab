// Browser test of the measures (Realisierungsplan): the list with overdue measures, the board
// with a move, a measure's page, the bulk creation from an assessment and the office's
// template progress — every page checked with axe, the board also at 320 px.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

test('a coordinator works through the plan in list and board, and the pages pass axe', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.getByRole('link', { name: 'Maßnahmen', exact: true }).first().click();
  await page.waitForURL(`${BASE}/measures`);
  await page.locator('tr.overdue').first().waitFor();
  assert.match(await page.locator('tr.overdue').first().textContent(), /überfällig/);
  await checkA11y(page, 'M1-measures-list');
  await page.getByLabel('nur überfällige').check();
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await page.waitForURL(/overdue=1/);
  const rows = await page.locator('tbody tr').count();
  assert.equal(await page.locator('tbody tr.overdue').count(), rows, 'only overdue measures');

  await page.goto(`${BASE}/measures/board`);
  await checkA11y(page, 'M2-measures-board');
  const open = page.locator('section.board-column').first();
  const card = open.locator('li.card').first();
  const title = (await card.locator('a').first().textContent()).trim();
  await card.getByRole('button', { name: /Verschieben/ }).click();
  await page.locator('section.board-column').nth(1).getByText(title, { exact: true }).first().waitFor();

  await page.locator('section.board-column').nth(1).getByRole('link', { name: title, exact: true }).first().click();
  await page.waitForURL(/\/measures\/\d+$/);
  await page.getByLabel('Neue Notiz').fill('Termin mit dem Dienstleister vereinbart.');
  await page.getByRole('button', { name: 'Notiz hinzufügen' }).click();
  await page.getByText('Termin mit dem Dienstleister vereinbart.').waitFor();
  await checkA11y(page, 'M3-measure-detail');

  await page.goto(`${BASE}/assessments`);
  await page.locator('main a[href^="/assessments/"]').first().click();
  await page.getByRole('link', { name: 'Maßnahmen für alle offenen Anforderungen anlegen' }).click();
  await page.waitForURL(/\/measures\/bulk/);
  await checkA11y(page, 'M4-measures-bulk');

  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(`${BASE}/measures/board`);
  await checkA11y(page, 'M5-measures-board-320');
  await page.close();
});

test('the office follows a pushed template across members', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.goto(`${BASE}/measure-templates`);
  await checkA11y(page, 'M6-measure-templates');
  await page.getByRole('link', { name: 'Offline-Datensicherung einführen' }).click();
  const members = await page.locator('tbody tr').count();
  assert.ok(members >= 13, `every member got it (${members})`);
  await checkA11y(page, 'M7-measure-template-progress');
  await page.close();
});
