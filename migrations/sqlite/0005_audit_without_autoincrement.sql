-- audit_events was declared AUTOINCREMENT, which makes every insert also update the
-- sqlite_sequence table: one more page written, and synced, by every group commit that
-- stores an edit. Plain rowids stay increasing because audit rows are never deleted
-- (the triggers refuse it), so the table is rebuilt without it. Ids are kept.

drop trigger audit_events_no_update;
drop trigger audit_events_no_delete;

create table audit_events_rebuilt (
    id           integer primary key,
    at           integer not null,
    -- 'user', 'token' or 'system'.
    actor_kind   text    not null,
    actor_id     text    not null default '',
    actor_name   text    not null default '',
    actor_agency text    not null default '',
    review_id    text    not null default '',
    -- For edits: the document, and its log seq.
    document     text    not null default '',
    seq          integer,
    -- e.g. 'edit', 'login', 'login_failed', 'invitation_created', 'role_changed'.
    action       text    not null,
    -- For edits: the entity (its id) and the field touched.
    entity       text    not null default '',
    entity_kind  text    not null default '',
    field        text    not null default '',
    detail       text    not null default ''
);
insert into audit_events_rebuilt (id, at, actor_kind, actor_id, actor_name, actor_agency,
    review_id, document, seq, action, entity, entity_kind, field, detail)
select id, at, actor_kind, actor_id, actor_name, actor_agency,
    review_id, document, seq, action, entity, entity_kind, field, detail
from audit_events;
drop table audit_events;
delete from sqlite_sequence where name = 'audit_events';
alter table audit_events_rebuilt rename to audit_events;

create index audit_by_entity on audit_events (document, entity, id);
create index audit_by_review on audit_events (review_id, id);

create trigger audit_events_no_update before update on audit_events
begin
    select raise(abort, 'the audit trail is append-only');
end;

create trigger audit_events_no_delete before delete on audit_events
begin
    select raise(abort, 'the audit trail is append-only');
end;
