// Browser test of the risk analysis: the register page (lapsed acceptances marked in words),
// a risk's page with the acceptance form, and the office's risk matrix, each checked with axe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

test('a coordinator reads the risk register and a risk, and every page passes axe', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await page.getByRole('link', { name: 'Risiken', exact: true }).first().click();
  await page.waitForURL(`${BASE}/risks`);
  const rows = await page.locator('#risk-register tbody tr').count();
  assert.ok(rows >= 3, `the demo's risks of Nauheim (${rows})`);
  assert.match(await page.locator('#risk-register').textContent(), /Schadprogramme/);
  await checkA11y(page, 'risk-01-register');
  await page.getByLabel('Behandlung').selectOption('unbehandelt');
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await page.waitForURL(/treatment=unbehandelt/);
  await checkA11y(page, 'risk-02-register-filtered');
  await page.locator('#risk-register tbody a[href^="/risks/"]').first().click();
  await page.getByRole('heading', { name: 'Risiko akzeptieren' }).waitFor();
  await checkA11y(page, 'risk-03-detail');
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(`${BASE}/risks`);
  await checkA11y(page, 'risk-04-register-320');
  await page.close();
});

test('the office sees the risk matrix as a table with categories in words', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.goto(`${BASE}/risks/matrix`);
  const caption = await page.locator('#risk-matrix caption').textContent();
  assert.match(caption, /Risikokategorie/);
  assert.equal(await page.locator('#risk-matrix tbody tr').count(), 4);
  assert.equal(await page.getByLabel('sehr häufig, existenzbedrohend').inputValue(), 'sehr_hoch');
  await checkA11y(page, 'risk-05-matrix');
  await page.goto(`${BASE}/risks/federation`);
  await checkA11y(page, 'risk-06-federation');
  await page.close();
});
