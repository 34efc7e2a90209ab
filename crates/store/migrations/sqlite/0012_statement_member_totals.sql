-- A member's part of a statement now records the federation-wide totals its letter and
-- extract need (number of members, cents distributed, remainders, sums), so a member's
-- documents are rendered from its own part alone. The parts are derived data: they are
-- deleted here and written again by the program right after migrating (see
-- Store::complete_statement_members), now with the totals.
DELETE FROM statement_members;
