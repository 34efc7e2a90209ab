# The office's tools: comparison for the committee, audit log in words, dashboards per role,
# password-reset links. English; German first in ../de/office.ftl.

unit-pp = percentage points

## Comparison and trend
heatmap-weakest-named = { $name } at { $score } ({ $gap } from the average)
heatmap-report-pdf = Committee report (PDF)
heatmap-report-xlsx = Committee report (Excel)
heatmap-legend-title = Topics
trend-title = Federation trend
trend-empty = No snapshots yet: the trend appears once members take snapshots.
trend-hint = Per month, the average of each member's latest snapshot.
trend-as-table = Show as a table
trend-month = Month
trend-members = Members
trend-level = Level
trend-change = Change
trend-summary = Federation level from { $from } ({ $from_month }) to { $to } ({ $to_month })

## Dashboard
dashboard-federation = The federation
dashboard-level = { $level } over { $count ->
    [one] one assessed member
   *[other] { $count } assessed members
}
dashboard-level-label = Federation level
dashboard-spread = Range { $min } to { $max }
dashboard-progress = Progress per member (weakest first)
dashboard-all-members = All members in the comparison
dashboard-oldest = Oldest snapshots
dashboard-last-snapshot = last snapshot
dashboard-never = never
dashboard-own = Your assessments
dashboard-score = Fulfilment
dashboard-open = Open items
dashboard-open-items = { $unanswered } open, { $no } no, { $partial } partial

## Audit log
audit-filters = Audit log filters
audit-person = Person
audit-all-people = All people
audit-from = From (date)
audit-to = To (date)
audit-kind = Kind of change
audit-all-kinds = All kinds
audit-object = Object
audit-all-objects = All objects
audit-date-hint = Dates as DD.MM.YYYY, e.g. 31.03.2027; both days are included.
audit-export = Download the filtered log as CSV
audit-show-rows = Show rows
audit-requirement = Requirement
audit-bulk-rows = { $count ->
    [one] one row
   *[other] { $count } rows
}
audit-bulk-object = { $count ->
    [one] one requirement
   *[other] { $count } requirements
}
action-answer-bulk_update = Answers changed in bulk
action-user-password_reset_link = Password reset link issued
action-user-password_reset = Password set through a reset link
action-key_figures-propose = Key figures proposed
action-org-key_figures = Key figures adopted
audit-entity-organisation = Organisation
audit-entity-membership = Membership
audit-entity-user = User
audit-entity-role_assignment = Role assignment
audit-entity-api_token = API token
audit-entity-catalog = Catalog
audit-entity-assessment = Assessment
audit-entity-assessment_answer = Answer
audit-entity-assessment_snapshot = Snapshot
audit-entity-evidence = Evidence
audit-entity-budget_line = Budget line
audit-entity-subsidy = Subsidy
audit-entity-cost_key = Allocation key
audit-entity-cost_statement = Cost statement
audit-entity-key_figure_proposal = Key figure proposal
audit-entity-federation_settings = Federation settings
audit-entity-federation = Federation
audit-entity-invitation = Invitation
audit-field-id = ID
audit-field-name = Name
audit-field-kind = Type
audit-field-ags = AGS
audit-field-population = Population
audit-field-staff = Staff
audit-field-it_workplaces = IT workplaces
audit-field-address = Address
audit-field-version = Version
audit-field-figures_changed_at_ms = Key figures changed
audit-field-federation_id = Federation
audit-field-org_id = Organisation
audit-field-org_name = Organisation
audit-field-role = Role
audit-field-email = E-mail address
audit-field-display_name = Name
audit-field-locale = Language
audit-field-disabled = Deactivated
audit-field-mfa_enabled = Two-factor sign-in
audit-field-password = Password
audit-field-starts_on = Start
audit-field-ends_on = End
audit-field-note = Note
audit-field-status = Status
audit-field-justification = Justification
audit-field-owner = Owner
audit-field-due_on = Due on
audit-field-comment = Comment
audit-field-score_bp = Fulfilment
audit-field-assessment_id = Assessment
audit-field-catalog_id = Catalog
audit-field-requirements = Requirements
audit-field-year = Year
audit-field-amount = Amount
audit-field-category = Cost category
audit-field-key_id = Allocation key
audit-field-revision = Revision
audit-field-nodes = Entries
audit-field-urn = URN
audit-field-expires_at = Valid until
audit-field-sessions = Sessions
audit-field-tokens_revoked = API tokens revoked
audit-field-revoked = Revoked
audit-field-count = Count

## Password reset
reset-link-issue = Issue a password reset link
reset-link-title = Password reset link
reset-link-issued = The link works once and until { $expires }. It is shown only now; pass it on to the person securely.
reset-link-label = Link
reset-link-hint = A link issued earlier and not used yet no longer works. Setting the new password ends every session and API token of the account.
reset-link-back = Back to the user
reset-title = Set a new password
reset-intro = Choose a new password, then sign in with it; every earlier session and API token ends.
reset-submit = Set password
reset-done = The new password is set. Every earlier session and API token has ended.
reset-to-login = To sign-in
error-reset-disabled = The account is deactivated; activate it first.
error-reset-not-local = The account signs in through an identity provider and has no password of its own.
error-audit-code = Unknown value for this filter.
error-period-order = The end of the period lies before its start.

## Organisation links
org-links-title = About this member
org-links-assessments = Assessments
org-links-statements = Cost statements
org-links-users = Users
users-col-roles = Roles and organisations

# Audit log in words: the structure analysis
action-structure-object-create = Target object created
action-structure-object-update = Target object changed
action-structure-object-delete = Target object deleted
action-structure-link-create = Dependency created
action-structure-link-delete = Dependency removed
action-structure-need-set = Protection need set
action-structure-settings-update = Structure analysis settings changed
action-structure-import = Inventory imported
audit-entity-structure_object = Target object
audit-entity-structure_link = Dependency
audit-entity-structure_settings = Structure analysis settings
audit-entity-structure_module_rules = Module suggestion rules
audit-field-goal = Security goal
audit-field-effective = Protection need
audit-field-manual = Protection need set
audit-field-calculated = Calculated protection need
audit-field-deviation = Deviation
audit-field-link_type = Kind of dependency
audit-field-from = Object
audit-field-to = Depends on
audit-field-passes_needs = Passes protection needs on
audit-field-short_id = Short ID
audit-field-object_type = Type
audit-field-location = Location
audit-field-description = Description
audit-field-origin = Origin
audit-field-set_by = Set by
audit-fields = { $count ->
    [one] one field
   *[other] { $count } fields
}
audit-entries = { $count ->
    [one] one entry
   *[other] { $count } entries
}
