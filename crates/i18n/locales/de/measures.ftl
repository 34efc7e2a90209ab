# Maßnahmen / Realisierungsplan
error-measure-status = Bitte einen gültigen Status wählen (offen, in Arbeit, umgesetzt, geprüft).
error-measure-priority = Bitte eine gültige Priorität wählen (sehr hoch, hoch, mittel, niedrig).
measure-status-offen = offen
measure-status-in-arbeit = in Arbeit
measure-status-umgesetzt = umgesetzt
measure-status-geprueft = geprüft
measure-priority-sehr-hoch = sehr hoch
measure-priority-hoch = hoch
measure-priority-mittel = mittel
measure-priority-niedrig = niedrig
