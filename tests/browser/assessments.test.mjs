// Browser tests of assessments: starting them, answering by keyboard, bulk changes, a whole
// topic marked entbehrlich and undone, read-only roles, the dashboard and the comparison
// (harness in harness.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

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
