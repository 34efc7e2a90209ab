# The office's tools: comparison for the committee, audit log in words, dashboards per role,
# password-reset links. German first; English in ../en/office.ftl.

unit-pp = Prozentpunkte

## Comparison and trend
heatmap-weakest-named = { $name } mit { $score } ({ $gap } zum Durchschnitt)
heatmap-report-pdf = Bericht für den Ausschuss (PDF)
heatmap-report-xlsx = Bericht für den Ausschuss (Excel)
heatmap-legend-title = Themen
trend-title = Entwicklung des Verbunds
trend-empty = Noch keine festgehaltenen Stände: Die Entwicklung erscheint, sobald Mitglieder Stände festhalten.
trend-hint = Je Monat der Durchschnitt des jeweils letzten festgehaltenen Stands jedes Mitglieds.
trend-as-table = Als Tabelle anzeigen
trend-month = Monat
trend-members = Mitglieder
trend-level = Niveau
trend-change = Veränderung
trend-summary = Niveau des Verbunds von { $from } ({ $from_month }) bis { $to } ({ $to_month })

## Dashboard
dashboard-federation = Der Verbund
dashboard-level = { $level } bei { $count ->
    [one] einem bewerteten Mitglied
   *[other] { $count } bewerteten Mitgliedern
}
dashboard-level-label = Niveau des Verbunds
dashboard-spread = Spanne { $min } bis { $max }
dashboard-progress = Fortschritt je Mitglied (schwächstes zuerst)
dashboard-all-members = Alle Mitglieder im Vergleich
dashboard-oldest = Älteste festgehaltene Stände
dashboard-last-snapshot = letzter Stand
dashboard-never = noch nie
dashboard-own = Ihre Bewertungen
dashboard-score = Erfüllung
dashboard-open = Offene Punkte
dashboard-open-items = { $unanswered } offen, { $no } nein, { $partial } teilweise

## Audit log
audit-filters = Filter für das Protokoll
audit-person = Person
audit-all-people = Alle Personen
audit-from = Von (Datum)
audit-to = Bis (Datum)
audit-kind = Art der Änderung
audit-all-kinds = Alle Arten
audit-object = Objekt
audit-all-objects = Alle Objekte
audit-date-hint = Datum als TT.MM.JJJJ, z. B. 31.03.2027; beide Tage zählen mit.
audit-export = Gefiltertes Protokoll als CSV herunterladen
audit-show-rows = Zeilen anzeigen
audit-requirement = Anforderung
audit-bulk-rows = { $count ->
    [one] eine Zeile
   *[other] { $count } Zeilen
}
audit-bulk-object = { $count ->
    [one] eine Anforderung
   *[other] { $count } Anforderungen
}
action-answer-bulk_update = Antworten gesammelt geändert
action-user-password_reset_link = Link zum Zurücksetzen des Passworts ausgestellt
action-user-password_reset = Passwort über Link neu gesetzt
action-key_figures-propose = Kennzahlen vorgeschlagen
action-org-key_figures = Kennzahlen übernommen
audit-entity-organisation = Organisation
audit-entity-membership = Mitgliedschaft
audit-entity-user = Benutzer
audit-entity-role_assignment = Rollenzuweisung
audit-entity-api_token = API-Token
audit-entity-catalog = Katalog
audit-entity-assessment = Bewertung
audit-entity-assessment_answer = Antwort
audit-entity-assessment_snapshot = Festgehaltener Stand
audit-entity-evidence = Nachweis
audit-entity-budget_line = Budgetposition
audit-entity-subsidy = Förderung
audit-entity-cost_key = Finanzierungsschlüssel
audit-entity-cost_statement = Abrechnung
audit-entity-key_figure_proposal = Kennzahlenvorschlag
audit-entity-federation_settings = Einstellungen des Verbunds
audit-entity-federation = Verbund
audit-entity-invitation = Einladung
audit-field-id = ID
audit-field-name = Name
audit-field-kind = Art
audit-field-ags = AGS
audit-field-population = Einwohnerzahl
audit-field-staff = Beschäftigte
audit-field-it_workplaces = IT-Arbeitsplätze
audit-field-address = Anschrift
audit-field-version = Version
audit-field-figures_changed_at_ms = Kennzahlen geändert
audit-field-federation_id = Verbund
audit-field-org_id = Organisation
audit-field-org_name = Organisation
audit-field-role = Rolle
audit-field-email = E-Mail-Adresse
audit-field-display_name = Name
audit-field-locale = Sprache
audit-field-disabled = Deaktiviert
audit-field-mfa_enabled = Zwei-Faktor-Anmeldung
audit-field-password = Passwort
audit-field-starts_on = Beginn
audit-field-ends_on = Ende
audit-field-note = Bemerkung
audit-field-status = Status
audit-field-justification = Begründung
audit-field-owner = Verantwortlich
audit-field-due_on = Fällig am
audit-field-comment = Kommentar
audit-field-score_bp = Erfüllung
audit-field-assessment_id = Bewertung
audit-field-catalog_id = Katalog
audit-field-requirements = Anforderungen
audit-field-year = Jahr
audit-field-amount = Betrag
audit-field-category = Kostenart
audit-field-key_id = Finanzierungsschlüssel
audit-field-revision = Stand
audit-field-nodes = Einträge
audit-field-urn = URN
audit-field-expires_at = Gültig bis
audit-field-sessions = Sitzungen
audit-field-tokens_revoked = Widerrufene API-Tokens
audit-field-revoked = Widerrufen
audit-field-count = Anzahl

## Password reset
reset-link-issue = Link zum Zurücksetzen des Passworts ausstellen
reset-link-title = Link zum Zurücksetzen des Passworts
reset-link-issued = Der Link gilt einmal und bis { $expires }. Er wird nur jetzt angezeigt; geben Sie ihn der Person auf sicherem Weg weiter.
reset-link-label = Link
reset-link-hint = Ein früher ausgestellter, noch nicht benutzter Link gilt nicht mehr. Beim Setzen des neuen Passworts enden alle Sitzungen und API-Tokens des Kontos.
reset-link-back = Zurück zum Benutzer
reset-title = Neues Passwort setzen
reset-intro = Wählen Sie ein neues Passwort. Danach melden Sie sich damit neu an; alle bisherigen Sitzungen und API-Tokens enden.
reset-submit = Passwort setzen
reset-done = Das neue Passwort ist gesetzt. Alle bisherigen Sitzungen und API-Tokens sind beendet.
reset-to-login = Zur Anmeldung
error-reset-disabled = Das Konto ist deaktiviert; aktivieren Sie es zuerst.
error-reset-not-local = Das Konto meldet sich über einen Identitätsanbieter an und hat kein eigenes Passwort.
error-audit-code = Unbekannter Wert für diesen Filter.
error-period-order = Das Ende des Zeitraums liegt vor seinem Beginn.

## Organisation links
org-links-title = Zum Mitglied
org-links-assessments = Bewertungen
org-links-statements = Abrechnungen
org-links-users = Benutzer
users-col-roles = Rollen und Organisationen

# Audit log in words: the structure analysis
action-structure-object-create = Zielobjekt angelegt
action-structure-object-update = Zielobjekt geändert
action-structure-object-delete = Zielobjekt gelöscht
action-structure-link-create = Abhängigkeit angelegt
action-structure-link-delete = Abhängigkeit entfernt
action-structure-need-set = Schutzbedarf festgelegt
action-structure-settings-update = Einstellungen der Strukturanalyse geändert
action-structure-import = Inventar importiert
audit-entity-structure_object = Zielobjekt
audit-entity-structure_link = Abhängigkeit
audit-entity-structure_settings = Einstellungen der Strukturanalyse
audit-entity-structure_module_rules = Regeln für Bausteinvorschläge
audit-field-goal = Grundwert
audit-field-effective = Schutzbedarf
audit-field-manual = Festgelegter Schutzbedarf
audit-field-calculated = Berechneter Schutzbedarf
audit-field-deviation = Abweichung
audit-field-link_type = Art der Abhängigkeit
audit-field-from = Objekt
audit-field-to = Hängt ab von
audit-field-passes_needs = Vererbt Schutzbedarf
audit-field-short_id = Kürzel
audit-field-object_type = Typ
audit-field-location = Standort
audit-field-description = Beschreibung
audit-field-origin = Herkunft
audit-field-set_by = Festgelegt von
audit-fields = { $count ->
    [one] ein Feld
   *[other] { $count } Felder
}
audit-entries = { $count ->
    [one] ein Eintrag
   *[other] { $count } Einträge
}
