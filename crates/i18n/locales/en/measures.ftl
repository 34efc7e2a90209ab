# Measures / implementation plan
error-measure-status = Please choose a valid status (open, in progress, implemented, verified).
error-measure-priority = Please choose a valid priority (very high, high, medium, low).
measure-status-offen = open
measure-status-in-arbeit = in progress
measure-status-umgesetzt = implemented
measure-status-geprueft = verified
measure-priority-sehr-hoch = very high
measure-priority-hoch = high
measure-priority-mittel = medium
measure-priority-niedrig = low
