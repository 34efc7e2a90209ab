// Browser test of the security advisories: the office imports a newer revision of the demo
// advisory, the affected member's coordinator sees exactly one warning and acknowledges it,
// another member sees none; every page is checked with axe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

const fixture = new URL('../../crates/formats/fixtures/csaf/verbund-demo-2026-0001.json', import.meta.url);

function revisionTwo() {
  const doc = JSON.parse(readFileSync(fixture, 'utf8'));
  doc.document.tracking.version = '2';
  doc.document.tracking.revision_history.push({ date: '2026-11-26T08:00:00.000Z', number: '2', summary: 'Workaround ergänzt' });
  return Buffer.from(JSON.stringify(doc));
}

test('the office imports an advisory and only the affected member is warned and acknowledges', async () => {
  const office = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(office, 'isb@verbund.example');
  await office.getByRole('link', { name: 'Sicherheitsmeldungen', exact: true }).first().click();
  await office.waitForURL(`${BASE}/advisories`);
  await checkA11y(office, 'advisory-01-list');
  await office.getByLabel('Datei').setInputFiles({ name: 'verbund-demo-2026-0001-v2.json', mimeType: 'application/json', buffer: revisionTwo() });
  await office.getByRole('button', { name: 'Einlesen' }).click();
  await office.waitForURL(/\/advisories\/\d+\?imported=revised/);
  assert.match(await office.locator('#import-result').textContent(), /neuere Fassung/);
  assert.match(await office.locator('#advisory-warnings').textContent(), /Nauheim/);
  await checkA11y(office, 'advisory-02-detail');
  await office.goto(`${BASE}/advisories/critical`);
  assert.equal(await office.locator('#warnings tbody tr').count(), 1);
  await checkA11y(office, 'advisory-03-critical');
  await office.close();

  const coord = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(coord, 'koordination@nauheim.example');
  await coord.goto(`${BASE}/advisories/warnings`);
  assert.equal(await coord.locator('#warnings tbody tr').count(), 1, 'exactly one warning');
  await checkA11y(coord, 'advisory-04-warnings');
  await coord.locator('#warnings tbody a').first().click();
  await coord.getByRole('button', { name: 'Zur Kenntnis nehmen' }).click();
  await coord.waitForURL(/\/advisories\/warnings\/\d+$/);
  assert.match(await coord.locator('#warning-state').textContent(), /zur Kenntnis genommen/);
  assert.match(await coord.locator('#warning-matches').textContent(), /Firewall Rathaus/);
  await checkA11y(coord, 'advisory-05-warning');
  await coord.setViewportSize({ width: 320, height: 800 });
  await checkA11y(coord, 'advisory-06-warning-320');
  await coord.close();

  const other = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(other, 'koordination@raunheim.example');
  await other.goto(`${BASE}/advisories/warnings`);
  assert.match(await other.locator('#warnings tbody').textContent(), /Keine Warnmeldungen/);
  await other.close();
});
