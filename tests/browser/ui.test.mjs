// Browser tests: the demo served by the real binary, driven in Debian's headless Chromium,
// every visited page checked with axe-core (harness in harness.mjs). Layout, branding and
// read-only roles are in layout.test.mjs.

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
async function heatmapScore(page, member) {
  await page.goto(`${BASE}/heatmap`);
  return (await page.locator('table.heatmap tbody tr', { has: page.getByRole('rowheader', { name: member, exact: true }) }).locator('td').first().textContent()).trim();
}

test('office starts assessments; a coordinator answers items and sees the comparison change', async () => {
  const office = await ctx.browser.newPage({ locale: 'de-DE' });
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

  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  const before = await heatmapScore(page, 'Nauheim');
  await checkA11y(page, '22-heatmap-member');
  await page.goto(`${BASE}/assessments`);
  await page.locator('main').getByRole('link', { name: 'Nauheim' }).first().click();
  await page.waitForURL(/\/assessments\/\d+/);
  // Answer the first two open requirements with "ja" through the quick form in their rows.
  await page.goto(page.url().split('?')[0] + '?status=unanswered');
  for (let i = 0; i < 2; i++) {
    const row = page.locator('table.answers tbody tr.answer').first();
    const id = await row.getAttribute('id');
    await row.getByLabel('ja', { exact: true }).check();
    await page.locator(`#${id} p.saved`).waitFor();
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
async function ownAssessment(page, member, query = '') {
  await page.goto(`${BASE}/assessments`);
  await page.locator('main').getByRole('link', { name: member }).first().click();
  await page.waitForURL(/\/assessments\/\d+/);
  const url = page.url().split('?')[0];
  if (query) await page.goto(url + query);
  return url;
}

const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  const row = a && a.closest('tr.answer');
  return { tag: a && a.tagName, type: a && a.type, value: a && a.value, name: a && a.name, row: row && row.id };
});

test('a coordinator answers a module by keyboard only: arrows choose, Space or Enter saves, focus moves on', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@nauheim.example');
  await ownAssessment(page, 'Nauheim', '?status=unanswered');
  const rows = await page.locator('table.answers tbody tr.answer').evaluateAll((trs) => trs.map((t) => t.id));
  assert.ok(rows.length >= 4, `open rows to answer (${rows.length})`);
  const progress = async () => (await page.locator('#assessment-facts dd').first().textContent()).trim();
  const before = await progress();
  // From the top of the page with Tab only, into the first row's radio group.
  for (let i = 0; i < 80 && (await active(page)).type !== 'radio'; i++) await page.keyboard.press('Tab');
  assert.deepEqual(await active(page), { tag: 'INPUT', type: 'radio', value: 'yes', name: 'status', row: rows[0] });
  // Row 1: Space answers "ja"; the row says "gespeichert" and focus is in row 2.
  await page.keyboard.press('Space');
  await page.locator(`#${rows[0]} p.saved`).waitFor();
  assert.equal(await page.locator(`#${rows[0]} input[value="yes"]`).isChecked(), true);
  await page.waitForFunction((id) => document.activeElement?.closest('tr.answer')?.id === id, rows[1]);
  // Row 2: an arrow key only moves the choice; Space saves it.
  await page.keyboard.press('ArrowRight');
  assert.equal((await active(page)).value, 'partial');
  assert.equal(await page.locator(`#${rows[1]} p.saved`).count(), 0, 'moving the choice does not save');
  await page.keyboard.press('Space');
  await page.locator(`#${rows[1]} p.saved`).waitFor();
  await page.waitForFunction((id) => document.activeElement?.closest('tr.answer')?.id === id, rows[2]);
  // Row 3: entbehrlich asks for the justification first; Enter in that field saves.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.equal((await active(page)).value, 'not_applicable');
  await page.keyboard.press('Enter');
  assert.equal((await active(page)).name, 'justification', 'focus in the justification field');
  await page.keyboard.type('Kein eigener Serverraum.');
  await page.keyboard.press('Enter');
  await page.locator(`#${rows[2]} p.saved`).waitFor();
  await page.waitForFunction((id) => document.activeElement?.closest('tr.answer')?.id === id, rows[3]);
  // Row 4: Enter on a chosen answer saves too.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.locator(`#${rows[3]} p.saved`).waitFor();
  const after = await progress();
  assert.notEqual(after, before, `progress updated in place (${before} → ${after})`);
  assert.match(await page.locator('#save-status').textContent(), /gespeichert/);
  assert.ok(page.url().includes('status=unanswered'), 'still the filtered list');
  await checkA11y(page, '25-assessment-keyboard');
  await page.reload();
  assert.equal(await page.locator(`#${rows[2]}`).count(), 0, 'answered rows left the open list');
  await page.close();
});

test('bulk change over the filter keeps the filter and names every failed row', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@gernsheim.example');
  const url = await ownAssessment(page, 'Gernsheim', '?topic=3');
  const total = await page.locator('nav.pager span').textContent();
  const n = Number(total.match(/\((\d+)/)[1]);
  await page.getByLabel(/Zeilen, die dem Filter entsprechen/).check();
  await page.locator('#b-status').selectOption('no');
  await page.getByRole('button', { name: 'Für ausgewählte übernehmen' }).click();
  await page.getByText(/Anforderungen? wurden? geändert/).waitFor();
  assert.ok(page.url().includes('topic=3'), page.url());
  assert.equal(await page.locator('#f-topic').inputValue(), '3', 'filter kept');
  assert.equal(await page.locator('table.answers input[value="no"]:checked').count(), Math.min(n, 50));
  await checkA11y(page, '26-bulk-filter-done');
  await page.goto(url + '?topic=4');
  const n4 = Number((await page.locator('nav.pager span').textContent()).match(/\((\d+)/)[1]);
  await page.getByLabel(/Zeilen, die dem Filter entsprechen/).check();
  await page.locator('#b-status').selectOption('not_applicable');
  await page.getByRole('button', { name: 'Für ausgewählte übernehmen' }).click();
  await page.getByRole('alert').waitFor();
  const named = await page.locator('ul.failed li').count();
  const justified = await page.locator('table.answers tr.answer').evaluateAll((trs) => trs.filter((t) => t.querySelector('input[name=justification]').value.trim()).length);
  assert.equal(named, n4 - justified, 'every row without a justification is named');
  assert.equal(await page.locator('#f-topic').inputValue(), '4', 'filter kept after the error');
  await checkA11y(page, '27-bulk-filter-error');
  await page.close();
});

test('a whole topic marked entbehrlich is undone to the previous answers', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'koordination@raunheim.example');
  const url = await ownAssessment(page, 'Raunheim', '?topic=6');
  const answers = () => page.locator('table.answers tr.answer').evaluateAll((trs) => trs.map((t) => {
    const c = t.querySelector('input[type=radio]:checked');
    return `${t.id}:${c ? c.value : '-'}:${t.querySelector('input[name=justification]').value}`;
  }));
  const before = await answers();
  await page.locator('#g-topic').selectOption('6');
  await page.locator('#g-just').fill('Keine IBM-Z-Großrechner im Einsatz.');
  await page.getByRole('button', { name: 'Als entbehrlich markieren' }).click();
  await page.getByText(/ist als entbehrlich markiert/).waitFor();
  const during = await answers();
  assert.ok(during.every((a) => a.includes(':not_applicable:Keine IBM-Z-Großrechner im Einsatz.')), during.join('\n'));
  await checkA11y(page, '28-topic-not-applicable');
  await page.getByRole('button', { name: 'Rückgängig machen' }).click();
  await page.getByText(/Rückgängig gemacht/).waitFor();
  assert.ok(page.url().startsWith(url) && page.url().includes('topic=6'), page.url());
  assert.deepEqual(await answers(), before, 'every answer as before');
  await page.close();
});

test('a read-only role sees the answers but no edit controls', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'leitung@nauheim.example');
  await ownAssessment(page, 'Nauheim');
  for (const sel of ['form.quick', '#bulk', '#group-form', 'input[type=radio]', 'input[name=ids]', 'textarea']) {
    assert.equal(await page.locator(sel).count(), 0, `no ${sel}`);
  }
  assert.equal(await page.getByRole('link', { name: /^Bearbeiten/ }).count(), 0, 'no "Bearbeiten"');
  await checkA11y(page, '29-assessment-read-only');
  await page.getByRole('link', { name: /^Ansehen/ }).first().click();
  await page.waitForURL(/\/answers\/\d+/);
  assert.equal(await page.locator('form textarea, form input[type=radio], button:has-text("Speichern")').count(), 0);
  await page.getByText('Ihre Rolle darf diese Antwort lesen, aber nicht ändern.').waitFor();
  await checkA11y(page, '30-answer-read-only');
  await page.close();
});

test('the office dashboard shows the federation; a member sees its own assessments', async () => {
  const office = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(office, 'isb@verbund.example');
  await office.getByRole('heading', { name: 'Der Verbund' }).waitFor();
  await office.getByRole('heading', { name: 'Fortschritt je Mitglied (schwächstes zuerst)' }).waitFor();
  await office.getByRole('heading', { name: 'Älteste festgehaltene Stände' }).waitFor();
  await checkA11y(office, '30-dashboard-office');
  await office.close();
  const member = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(member, 'koordination@nauheim.example');
  await member.getByRole('heading', { name: 'Ihre Bewertungen' }).waitFor();
  const main = await member.locator('main').textContent();
  assert.match(main, /offen, \d+ nein, \d+ teilweise/);
  assert.doesNotMatch(main, /Raunheim/, 'no other member on a member dashboard');
  assert.equal(await member.getByRole('heading', { name: 'Der Verbund' }).count(), 0);
  await checkA11y(member, '31-dashboard-member');
  await member.close();
});

test('the comparison shows the weakest member, the trend as chart and table, and the report', async () => {
  const coordinator = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(coordinator, 'koordination@nauheim.example');
  await coordinator.goto(`${BASE}/assessments`);
  await coordinator.locator('main').getByRole('link', { name: 'Nauheim' }).first().click();
  await coordinator.waitForURL(/\/assessments\/\d+/);
  const snapshot = coordinator.getByRole('button', { name: /Stand festhalten/ });
  if (await snapshot.count()) {
    const name = coordinator.getByLabel('Name des Stands');
    if (await name.count()) await name.fill('Ausschuss');
    await snapshot.first().click();
  }
  await coordinator.close();
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.goto(`${BASE}/heatmap`);
  await page.getByText(/Prozentpunkte zum Durchschnitt/).first().waitFor();
  await page.getByRole('heading', { name: 'Themen' }).waitFor();
  await page.getByRole('heading', { name: 'Entwicklung des Verbunds' }).waitFor();
  if (await page.locator('svg.trend-chart').count()) {
    await page.getByText('Als Tabelle anzeigen').click();
    await page.getByRole('table', { name: 'Entwicklung des Verbunds' }).waitFor();
  }
  // The member column stays in place when the table scrolls sideways.
  const region = page.locator('.scroll').first();
  await region.evaluate((el) => { el.scrollLeft = 400; });
  const sticky = await page.locator('table.heatmap tbody th').first().evaluate((el) => getComputedStyle(el).position);
  assert.equal(sticky, 'sticky');
  await checkA11y(page, '32-heatmap-committee');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Bericht für den Ausschuss (PDF)' }).click();
  assert.match((await download).suggestedFilename(), /^vergleich-.*\.pdf$/);
  await page.close();
});

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
