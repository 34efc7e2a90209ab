# Reminders, mail outbox, background jobs and calendar feeds (issue 13).

nav-jobs = Background jobs

## Mails
mail-subject-upcoming = Deadline in { $days } days: { $title }
mail-subject-today = Deadline today: { $title }
mail-subject-overdue = Deadline passed: { $title }
mail-subject-digest = Weekly summary { $week }: { $count } open measures
mail-greeting = Hello { $name },
mail-body-upcoming = the measure "{ $title }" ({ $org }) is due in { $days } days, on { $date }.
mail-body-today = the measure "{ $title }" ({ $org }) is due today ({ $date }).
mail-body-overdue = the deadline of the measure "{ $title }" ({ $org }) passed on { $date }; the measure is still open.
mail-status = Status
mail-measure-status-offen = open
mail-measure-status-in_arbeit = in progress
mail-measure-status-umgesetzt = implemented
mail-measure-status-geprueft = verified
mail-footer = Verbund sent this message automatically because you are responsible for the measure.
mail-digest-intro = You are responsible for { $count } open measures with a deadline. The next deadlines:
mail-digest-overdue-mark = overdue
mail-digest-more = … and { $more } more.

## Background jobs (office)
jobs-title = Background jobs
jobs-intro = Work Verbund does on its own: deadline reminders and sending mail. Failed runs are retried later; their error is shown here.
jobs-settings-title = Reminders
jobs-settings-intro = Owners get a mail some days before the deadline, on the day and after it has passed, and a weekly summary of their open measures.
jobs-settings-saved = The reminder settings were saved.
field-reminder-days = Days before the deadline (1–60)
field-digest-weekday = Weekday of the summary
jobs-list-title = Jobs
jobs-col-kind = Kind
jobs-col-state = State
jobs-col-next = Next run
jobs-col-attempts = Attempts
jobs-col-last = Last run
jobs-col-result = Result
jobs-col-lease = Run by
jobs-col-created = Created
jobs-col-to = Recipient
jobs-col-subject = Subject
jobs-col-sent = Sent
jobs-error = Error
jobs-outbox-title = Outbox
jobs-outbox-intro = Every mail is sent at most once. Without a configured SMTP server mails stay here as "waiting".
job-kind-reminders = Deadline reminders
job-kind-outbox = Sending mail
job-state-scheduled = scheduled
job-state-running = running
job-state-done = done
job-state-failed = failed
mail-kind-vorab = Reminder before the deadline
mail-kind-heute = Deadline today
mail-kind-ueberfaellig = Deadline passed
mail-kind-wochenuebersicht = Weekly summary
mail-state-pending = waiting
mail-state-sending = sending
mail-state-sent = sent
mail-state-failed = failed
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
error-reminder-days = Please enter a whole number from 1 to 60.
error-reminder-weekday = Please choose a weekday.
error-job-kind = Unknown kind of job.
error-job-state = Unknown job state.
error-mail-state = Unknown state: allowed are pending, sending, sent and failed.
error-reminder-kind = Unknown kind of reminder.

## Calendar feed (profile)
feed-title = Calendar subscription
feed-intro = A secret address your calendar program subscribes to: it holds the deadlines of the open measures you are responsible for. Whoever knows the address sees these deadlines – do not pass it on.
feed-show-once = Your calendar address (shown only now; add it to your calendar program as a subscription):
feed-none = You have no calendar subscription.
feed-since = Calendar subscription active since { $created }; last fetched: { $used }.
feed-create = Create calendar address
feed-regenerate = Create a new address (the old one stops working)
feed-revoke = Revoke subscription
feed-created = The calendar address was created.
feed-revoked = The calendar subscription was revoked; the address no longer works.
feed-name = Verbund: deadlines
feed-summary = Deadline: { $title }
feed-description = Measure of { $org }, status: { $status }
