// Browser tests: the demo served by the real binary, driven in Debian's headless Chromium,
// every visited page checked with axe-core (harness in harness.mjs). This file: sign-in,
// organisations, users and invitations, languages, the API documentation, reflow, the audit log
// and reset links. Features have their own files (costs, assessments, structure, layout, …).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, OUT, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

test('login page is German, keyboard-usable and accessible', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
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
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
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
  await page.getByText('10.900').first().waitFor();
  await page.getByRole('link', { name: 'Änderungsprotokoll' }).click();
  await page.locator('table.audit').getByText('Organisation geändert').first().waitFor();
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

test('a coordinator sees only the own town', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
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
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
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
  const invitee = await ctx.browser.newPage({ locale: 'de-DE' });
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

test('English interface can be chosen before login', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await page.goto(`${BASE}/login`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await checkA11y(page, '14-login-en');
  await page.close();
});

test('API documentation renders offline under the content security policy', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
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

test('no page scrolls sideways at 320 CSS px (WCAG 1.4.10 reflow); wide tables scroll in their own region', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE', viewport: { width: 320, height: 800 } });
  await login(page, 'isb@verbund.example');
  const pages = ['/', '/orgs', '/orgs/2', '/orgs/2/edit', '/orgs/new', '/users', '/users/new', '/audit', '/profile',
    '/costs', '/costs?year=2025', '/costs/statements/1', '/costs/keys/new', '/costs/preview?year=2026&key=1',
    '/costs/compare?year=2026&a=1&b=1', '/catalogs', '/catalogs/1', '/assessments', '/assessments/1', '/answers/1',
    '/heatmap', '/settings', '/key-figures', '/costs/statements/new?year=2026&key=1', '/costs/standalone',
    '/costs/keys/1/edit', '/costs/lines/1/edit', '/audit?from=01.01.2020&kind=org.update', '/audit?from=kein-datum',
    '/structure', '/structure/new', '/structure/providers', '/structure/objects/1', '/structure/objects/1/edit',
    '/structure/coverage', '/structure/module-rules', '/orgs/2/structure/modelling', '/structure/settings',
    '/gibt-es-nicht'];
  const wide = [];
  for (const path of pages) {
    const res = await page.goto(BASE + path);
    assert.equal(res.status(), path.includes('kein-datum') ? 422 : path === '/gibt-es-nicht' ? 404 : 200, path);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (over > 0) wide.push(`${path}: ${over} px`);
  }
  assert.deepEqual(wide, [], 'pages wider than the window');
  await page.close();
});

/** The assessment page of the logged-in member (its only one in the demo). */

test('the audit log filters by person, period, kind and object and exports CSV', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.goto(`${BASE}/audit`);
  await checkA11y(page, '33-audit');
  await page.getByLabel('Von (Datum)').fill('31.02.2026');
  await page.getByRole('button', { name: 'Filtern' }).click();
  await page.getByText('Bitte ein Datum').first().waitFor().catch(() => {});
  assert.equal(await page.getByLabel('Von (Datum)').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Von (Datum)').inputValue(), '31.02.2026', 'the typed value comes back');
  await checkA11y(page, '34-audit-error');
  await page.getByLabel('Von (Datum)').fill('01.01.2020');
  await page.getByLabel('Art der Änderung').selectOption('org.update');
  await page.getByLabel('Objekt').selectOption('organisation');
  await page.getByLabel('Person').selectOption({ label: 'isb@verbund.example' });
  await page.getByRole('button', { name: 'Filtern' }).click();
  await page.locator('table.audit').getByText('Organisation geändert').first().waitFor();
  assert.equal(await page.getByLabel('Von (Datum)').inputValue(), '01.01.2020');
  await checkA11y(page, '35-audit-filtered');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Gefiltertes Protokoll als CSV herunterladen' }).click();
  assert.equal((await download).suggestedFilename(), 'protokoll.csv');
  await page.close();
});

test('an administrator issues a one-time reset link and the user sets a new password', async () => {
  const admin = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(admin, 'admin@verbund.example');
  await admin.goto(`${BASE}/users`);
  await checkA11y(admin, '36-users-with-roles');
  // Not an account the later tests sign in with (found by the search: the list is paged).
  await admin.goto(`${BASE}/users?q=riedstadt`);
  await admin.getByRole('link', { name: 'Verwaltungsspitze Riedstadt' }).first().click();
  await admin.getByRole('button', { name: 'Link zum Zurücksetzen des Passworts ausstellen' }).click();
  const link = await admin.getByLabel('Link').inputValue();
  await checkA11y(admin, '37-reset-link');
  await admin.close();
  const user = await ctx.browser.newPage({ locale: 'de-DE' });
  await user.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
  await checkA11y(user, '38-reset-form');
  await user.getByLabel('Neues Passwort', { exact: true }).fill('Ein neues, langes Passwort 2027');
  await user.getByLabel('Neues Passwort wiederholen').fill('Ein neues, langes Passwort 2027');
  await user.getByRole('button', { name: 'Passwort setzen' }).click();
  await user.getByText('Das neue Passwort ist gesetzt').waitFor();
  await checkA11y(user, '39-reset-done');
  await user.close();
});
