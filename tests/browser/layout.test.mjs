// Browser tests of the frame every page shares: the federation's name and logo in the header,
// the favicon, the compact menu on small screens, error pages inside the frame, and read-only
// roles that see no controls they cannot use.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

const FEDERATION = 'Informationssicherheitsverbund Kreis Groß-Gerau';

test('the header shows the federation\'s name with its logo, and the favicon is served', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  const logo = page.locator('header img');
  assert.equal(await logo.getAttribute('alt'), FEDERATION, 'the logo\'s text alternative is the name');
  assert.match(await logo.getAttribute('src'), /^\/branding\/logo\?v=[0-9a-f]{16}$/);
  assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo loads');
  assert.equal(await page.getAttribute('link[rel="icon"]', 'href'), '/static/favicon.svg');
  const icon = await page.request.get(`${BASE}/static/favicon.svg`);
  assert.equal(icon.status(), 200);
  assert.match(icon.headers()['content-type'], /^image\/svg\+xml/);
  await checkA11y(page, 'L1-header-logo');
  await page.close();
});

test('the office uploads a new logo on the settings page and the header shows it', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.goto(`${BASE}/settings`);
  const before = await page.locator('header img').getAttribute('src');
  await checkA11y(page, 'L2-settings-logo');
  // Refused: not a PNG or JPEG; the message stands under the field, in German.
  await page.getByLabel('Bilddatei (PNG oder JPEG)').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await page.getByRole('button', { name: 'Hochladen' }).click();
  await page.getByText('Nur PNG- oder JPEG-Bilder sind erlaubt').waitFor();
  await checkA11y(page, 'L3-settings-logo-refused');
  // Accepted: the demo's shield with one byte appended (another file, so another version).
  const png = Buffer.concat([Buffer.from(await (await page.request.get(BASE + before)).body()), Buffer.from([0])]);
  await page.getByLabel('Bilddatei (PNG oder JPEG)').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Hochladen' }).click();
  await page.getByText('Das Bild wurde geändert.').waitFor();
  const after = await page.locator('header img').getAttribute('src');
  assert.notEqual(after, before, 'a new version, a new URL');
  await page.close();
});

test('on a small screen the menu sits behind "Menü": keyboard usable, and without JavaScript too', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await ctx.browser.newContext({ locale: 'de-DE', viewport: { width: 320, height: 700 }, javaScriptEnabled });
    const page = await context.newPage();
    await login(page, 'isb@verbund.example');
    const menu = page.locator('summary', { hasText: 'Menü' });
    assert.ok(await menu.isVisible(), 'the Menü button shows');
    const orgs = page.locator('header').getByRole('link', { name: 'Organisationen', exact: true });
    assert.equal(await orgs.isVisible(), false, 'links hidden while closed');
    await menu.focus();
    await page.keyboard.press('Enter');
    await orgs.waitFor();
    // axe is a script: it cannot run where scripts are off (adding it waited forever).
    if (javaScriptEnabled) await checkA11y(page, 'L4-menu-open');
    await orgs.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${BASE}/orgs`);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(over, 0, 'no sideways scrolling');
    await context.close();
  }
  const wide = await ctx.browser.newPage({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
  await login(wide, 'isb@verbund.example');
  assert.equal(await wide.locator('summary', { hasText: 'Menü' }).isVisible(), false, 'no Menü button on a wide screen');
  assert.ok(await wide.locator('header').getByRole('link', { name: 'Organisationen', exact: true }).isVisible(), 'the menu is a row');
  assert.equal(await wide.getByRole('navigation', { name: 'Hauptnavigation' }).count(), 1, 'one navigation landmark');
  await wide.close();
});

test('error pages show in the frame with menu, skip link and a way back; the API stays JSON', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'leitung@nauheim.example');
  const missing = await page.goto(`${BASE}/gibt-es-nicht`);
  assert.equal(missing.status(), 404);
  assert.ok(await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Bewertungen' }).isVisible(), 'the role\'s menu');
  assert.equal(await page.locator('a.skip-link').count(), 1);
  assert.ok(await page.locator('header img').isVisible(), 'the federation in the header');
  await page.getByText('404').first().waitFor();
  await checkA11y(page, 'L5-error-404');
  // Own organisation, but management may not edit it: 403 in the same frame.
  await page.goto(`${BASE}/orgs`);
  const href = await page.locator('main').getByRole('link', { name: 'Nauheim', exact: true }).getAttribute('href');
  const denied = await page.goto(`${BASE}${href}/edit`);
  assert.equal(denied.status(), 403);
  await page.getByRole('link', { name: 'Zurück zur Übersicht' }).waitFor();
  await checkA11y(page, 'L6-error-403');
  const narrow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(narrow, 0);
  await page.getByRole('link', { name: 'Zurück zur Übersicht' }).click();
  await page.waitForURL(`${BASE}/`);
  const api = await page.request.get(`${BASE}/api/v1/gibt-es-nicht`);
  assert.equal(api.status(), 404);
  assert.match(api.headers()['content-type'], /application\/json/);
  await page.close();
  const english = await ctx.browser.newPage({ locale: 'en-GB' });
  const res = await english.goto(`${BASE}/gibt-es-nicht`);
  assert.equal(res.status(), 404);
  assert.equal(await english.getAttribute('html', 'lang'), 'en');
  await english.getByRole('link', { name: 'Back to the dashboard' }).waitFor();
  await checkA11y(english, 'L7-error-404-en');
  await english.close();
});

/** Forms that post something other than the own session or profile (logout, language). */
const changingForms = (page) => page.evaluate(() => [...document.querySelectorAll('form')]
  .filter((f) => f.method === 'post')
  .map((f) => new URL(f.action).pathname)
  .filter((p) => !['/logout', '/lang'].includes(p) && !p.startsWith('/profile')));

const controls = /^(Bearbeiten|Löschen|Neu|Entfernen|Hochladen|Importieren)|anlegen$/;

async function assertReadOnly(page, path) {
  const res = await page.goto(BASE + path);
  assert.equal(res.status(), 200, path);
  assert.deepEqual(await changingForms(page), [], `${path}: no form that changes anything`);
  const named = await page.locator('main').getByRole('link').or(page.locator('main').getByRole('button')).allInnerTexts();
  assert.deepEqual(named.map((t) => t.trim()).filter((t) => controls.test(t)), [], `${path}: no edit, delete or new controls`);
}

test('read-only roles see no edit controls on any page they can open', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'leitung@nauheim.example');
  await page.goto(`${BASE}/orgs`);
  const org = await page.locator('main').getByRole('link', { name: 'Nauheim', exact: true }).getAttribute('href');
  await page.goto(`${BASE}/users`);
  const user = await page.locator('main a[href^="/users/"]').first().getAttribute('href');
  await page.goto(`${BASE}/assessments`);
  const assessment = await page.locator('main a[href^="/assessments/"]').first().getAttribute('href');
  await page.goto(BASE + assessment);
  const answer = await page.locator('main a[href^="/answers/"]').first().getAttribute('href');
  await page.goto(`${BASE}/structure`);
  const object = await page.locator('main a[href^="/structure/objects/"]').first().getAttribute('href');
  await page.goto(`${BASE}/costs`);
  const statement = (await page.locator('main a[href^="/costs/statements/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
    .find((h) => /^\/costs\/statements\/\d+$/.test(h));
  const pages = ['/', '/orgs', org, '/users', user, '/audit', '/costs', statement, '/catalogs', '/catalogs/1',
    '/assessments', assessment, answer, '/heatmap', '/structure', object, `${org}/structure/dependencies`];
  for (const path of pages) await assertReadOnly(page, path);
  await checkA11y(page, 'L8-read-only-structure');
  await page.close();
  // A coordinator edits its own town, but the office's things stay read-only for it.
  const coordinator = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(coordinator, 'koordination@nauheim.example');
  for (const path of ['/costs', '/catalogs', '/catalogs/1', statement]) await assertReadOnly(coordinator, path);
  await coordinator.goto(`${BASE}/orgs`);
  assert.equal(await coordinator.getByRole('link', { name: 'Organisation anlegen' }).count(), 0);
  await coordinator.goto(`${BASE}${org}/edit`);
  assert.equal(await coordinator.locator('form[enctype="multipart/form-data"]').count(), 0, 'no coat-of-arms upload');
  await coordinator.close();
});
