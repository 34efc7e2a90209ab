// Browser test of the crisis pact: the pact page, a member's registry, the printable alarm
// chain, declaring an exercise and the live board — an entry written in one tab appears in a
// second tab (another member's user) without reload. Every page is checked with axe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

test('a declared exercise updates the board of a partner live, and every page passes axe', async () => {
  const a = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(a, 'koordination@nauheim.example');
  await a.getByRole('link', { name: 'Krisenpakt', exact: true }).first().click();
  await a.waitForURL(`${BASE}/pacts`);
  await checkA11y(a, 'pact-01-list');
  await a.getByRole('link', { name: /Pakt für Cyberresilienz/ }).click();
  await a.getByRole('heading', { name: 'Register: was die Partner verleihen können' }).waitFor();
  assert.match(await a.locator('#resource-table').textContent(), /Ersatz-Arbeitsplätze/);
  assert.match(await a.locator('#crisis-list').textContent(), /Übung/);
  await checkA11y(a, 'pact-02-detail');
  const pactUrl = a.url();
  await a.getByRole('link', { name: /Eigenes Register/ }).first().click();
  await a.getByRole('heading', { name: 'Eintrag hinzufügen' }).waitFor();
  await checkA11y(a, 'pact-03-registry');
  await a.goto(`${pactUrl}/alarm-chain`);
  assert.match(await a.locator('#alarm-chain').textContent(), /koordination@raunheim\.example/);
  await checkA11y(a, 'pact-04-alarm-chain');
  await a.goto(pactUrl);
  await a.getByLabel('Betroffene Dienste').fill('Telefonanlage');
  await a.getByLabel('Lage in Kürze').fill('Übung: Telefonanlage ausgefallen');
  await a.getByLabel(/Nur eine Übung/).check();
  await a.getByRole('button', { name: 'Krise ausrufen und alarmieren' }).click();
  await a.waitForURL(/\/pact-crises\/\d+$/);
  assert.match(await a.locator('h1').textContent(), /Übung/);
  await checkA11y(a, 'pact-05-board');
  const board = a.url();

  const b = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(b, 'koordination@raunheim.example');
  await b.goto(board);
  await b.locator('#timeline li').first().waitFor();
  const before = await b.locator('#timeline li').count();

  await a.getByLabel('Text', { exact: true }).fill('Provider um 03:15 informiert');
  await a.getByRole('button', { name: 'Eintragen' }).click();
  await a.waitForURL(/#timeline$/);
  const started = Date.now();
  await b.locator('#timeline li', { hasText: 'Provider um 03:15 informiert' }).waitFor({ timeout: 3000 });
  const ms = Date.now() - started;
  assert.equal(await b.locator('#timeline li').count(), before + 1);
  console.log(`board of the second tab updated after ${ms} ms`);

  await a.getByLabel('Benötigt').selectOption('skill:firewall');
  await a.getByRole('button', { name: 'Hilfe anfordern' }).click();
  await a.waitForURL(/\/pact-requests\/\d+$/);
  assert.match(await a.locator('#matches').textContent(), /Sicherheitsteam Raunheim/);
  await checkA11y(a, 'pact-06-request');
  await b.locator('#timeline li', { hasText: 'Hilfeersuchen' }).waitFor({ timeout: 3000 });
  await a.close();
  await b.close();
});
