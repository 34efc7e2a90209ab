# Reminders, mail outbox, background jobs and calendar feeds (issue 13).

nav-jobs = Hintergrundaufgaben

## Mails (plain text; { $title } is the measure's title as typed)
mail-subject-upcoming = Frist in { $days } Tagen: { $title }
mail-subject-today = Frist heute: { $title }
mail-subject-overdue = Frist überschritten: { $title }
mail-subject-digest = Wochenübersicht { $week }: { $count } offene Maßnahmen
mail-greeting = Guten Tag { $name },
mail-body-upcoming = die Maßnahme „{ $title }“ ({ $org }) ist in { $days } Tagen fällig, am { $date }.
mail-body-today = die Maßnahme „{ $title }“ ({ $org }) ist heute fällig ({ $date }).
mail-body-overdue = die Frist der Maßnahme „{ $title }“ ({ $org }) ist am { $date } abgelaufen; die Maßnahme ist noch offen.
mail-status = Stand
mail-measure-status-offen = offen
mail-measure-status-in_arbeit = in Arbeit
mail-measure-status-umgesetzt = umgesetzt
mail-measure-status-geprueft = geprüft
mail-footer = Diese Nachricht hat Verbund automatisch gesendet, weil Sie für die Maßnahme verantwortlich sind.
mail-digest-intro = Sie sind für { $count } offene Maßnahmen mit Frist verantwortlich. Die nächsten Fristen:
mail-digest-overdue-mark = überfällig
mail-digest-more = … und { $more } weitere.

## Hintergrundaufgaben (office)
jobs-title = Hintergrundaufgaben
jobs-intro = Aufgaben, die Verbund selbstständig ausführt: Erinnerungen an Fristen und der Mailversand. Fehlgeschlagene Läufe werden später erneut versucht; ihr Fehler steht hier.
jobs-settings-title = Erinnerungen
jobs-settings-intro = Verantwortliche erhalten eine Mail einige Tage vor der Frist, am Tag der Frist und nach Ablauf, dazu wöchentlich eine Übersicht ihrer offenen Maßnahmen.
jobs-settings-saved = Die Einstellungen für Erinnerungen wurden gespeichert.
field-reminder-days = Tage vor der Frist (1–60)
field-digest-weekday = Wochentag der Übersicht
jobs-list-title = Aufgaben
jobs-col-kind = Art
jobs-col-state = Zustand
jobs-col-next = Nächster Lauf
jobs-col-attempts = Versuche
jobs-col-last = Letzter Lauf
jobs-col-result = Ergebnis
jobs-col-lease = Ausgeführt von
jobs-col-created = Erstellt
jobs-col-to = Empfänger
jobs-col-subject = Betreff
jobs-col-sent = Gesendet
jobs-error = Fehler
jobs-outbox-title = Postausgang
jobs-outbox-intro = Jede Mail wird höchstens einmal gesendet. Ohne konfigurierten SMTP-Server bleiben Mails hier im Zustand „wartet“.
job-kind-reminders = Erinnerungen an Fristen
job-kind-outbox = Mailversand
job-state-scheduled = geplant
job-state-running = läuft
job-state-done = erledigt
job-state-failed = fehlgeschlagen
mail-kind-vorab = Erinnerung vor der Frist
mail-kind-heute = Frist heute
mail-kind-ueberfaellig = Frist überschritten
mail-kind-wochenuebersicht = Wochenübersicht
mail-state-pending = wartet
mail-state-sending = wird gesendet
mail-state-sent = gesendet
mail-state-failed = fehlgeschlagen
weekday-1 = Montag
weekday-2 = Dienstag
weekday-3 = Mittwoch
weekday-4 = Donnerstag
weekday-5 = Freitag
weekday-6 = Samstag
weekday-7 = Sonntag
error-reminder-days = Bitte eine ganze Zahl von 1 bis 60 angeben.
error-reminder-weekday = Bitte einen Wochentag wählen.
error-job-kind = Unbekannte Art von Aufgabe.
error-job-state = Unbekannter Zustand einer Aufgabe.
error-mail-state = Unbekannter Zustand: erlaubt sind pending, sending, sent und failed.
error-reminder-kind = Unbekannte Art von Erinnerung.

## Calendar feed (profile)
feed-title = Kalender-Abonnement
feed-intro = Eine geheime Adresse, die Ihr Kalenderprogramm abonniert: Sie enthält die Fristen der offenen Maßnahmen, für die Sie verantwortlich sind. Wer die Adresse kennt, sieht diese Fristen – geben Sie sie nicht weiter.
feed-show-once = Ihre Kalenderadresse (wird nur jetzt angezeigt; in Ihr Kalenderprogramm als Abonnement eintragen):
feed-none = Sie haben kein Kalender-Abonnement.
feed-since = Kalender-Abonnement aktiv seit { $created }; zuletzt abgerufen: { $used }.
feed-create = Kalenderadresse erstellen
feed-regenerate = Neue Adresse erstellen (die alte wird ungültig)
feed-revoke = Abonnement widerrufen
feed-created = Die Kalenderadresse wurde erstellt.
feed-revoked = Das Kalender-Abonnement wurde widerrufen; die Adresse ist ungültig.
feed-name = Verbund: Fristen
feed-summary = Frist: { $title }
feed-description = Maßnahme von { $org }, Stand: { $status }
