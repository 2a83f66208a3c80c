-- A withdrawn invitation is told apart from an expired one.
alter table invitations add column withdrawn_at integer;
