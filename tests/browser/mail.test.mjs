// Browser tests of reminders and feeds: the office's "Hintergrundaufgaben" page (jobs, the
// reminder settings with a refused value, the outbox) and the calendar feed on the profile
// (created, shown once, fetched without a session, revoked).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ctx, useDemo, checkA11y, login } from './harness.mjs';

useDemo();

test('the office sees the background jobs and changes the reminder settings', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'isb@verbund.example');
  await page.getByRole('link', { name: 'Hintergrundaufgaben' }).first().click();
  await page.waitForURL(`${BASE}/jobs`);
  await page.getByRole('heading', { name: 'Hintergrundaufgaben', level: 1 }).waitFor();
  // The runner of `demo` has created both recurring jobs.
  await page.getByRole('cell', { name: 'Erinnerungen an Fristen' }).waitFor();
  await page.getByRole('cell', { name: 'Mailversand' }).waitFor();
  await checkA11y(page, 'M1-jobs');
  await page.getByLabel('Tage vor der Frist (1–60)').fill('99');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.getByText('Bitte eine ganze Zahl von 1 bis 60 angeben.').waitFor();
  assert.equal(await page.getByLabel('Tage vor der Frist (1–60)').getAttribute('aria-invalid'), 'true');
  await checkA11y(page, 'M2-jobs-refused');
  await page.getByLabel('Tage vor der Frist (1–60)').fill('5');
  await page.getByLabel('Wochentag der Übersicht').selectOption({ label: 'Freitag' });
  await page.getByRole('button', { name: 'Speichern' }).click();
  await page.getByText('Die Einstellungen für Erinnerungen wurden gespeichert.').waitFor();
  assert.equal(await page.getByLabel('Tage vor der Frist (1–60)').inputValue(), '5');
  await page.setViewportSize({ width: 320, height: 800 });
  await checkA11y(page, 'M3-jobs-320');
  await page.close();
});

test('a measure owner subscribes to the calendar feed, sees the URL once and revokes it', async () => {
  const page = await ctx.browser.newPage({ locale: 'de-DE' });
  await login(page, 'massnahmen@nauheim.example');
  await page.goto(`${BASE}/profile`);
  await page.getByRole('heading', { name: 'Kalender-Abonnement' }).waitFor();
  await page.getByRole('button', { name: 'Kalenderadresse erstellen' }).click();
  const url = (await page.locator('#new-feed-url').textContent()).trim();
  assert.match(url, /\/calendar\/vcal_[A-Za-z0-9_-]{43}$/);
  await checkA11y(page, 'M4-profile-feed');
  const feed = await page.request.get(url.replace(/^https?:\/\/[^/]+/, BASE), { headers: { cookie: '' } });
  assert.equal(feed.status(), 200);
  assert.match(feed.headers()['content-type'], /^text\/calendar/);
  assert.match(await feed.text(), /^BEGIN:VCALENDAR\r\n/);
  await page.goto(`${BASE}/profile`);
  assert.equal(await page.locator('#new-feed-url').count(), 0, 'shown once');
  await page.getByRole('button', { name: 'Abonnement widerrufen' }).click();
  await page.getByText('Sie haben kein Kalender-Abonnement.').waitFor();
  const gone = await page.request.get(url.replace(/^https?:\/\/[^/]+/, BASE));
  assert.equal(gone.status(), 404);
  await page.close();
});
