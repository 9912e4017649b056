"""Roll-ups of the numeric answers (surveys.models.AnswerRollup).

The monitoring figures are sums and counts of the answers. Aggregating
every answer of a district on each page view cost 12–22× a plain scan of
the answers table (issue 15), so the database keeps the sums: statement
triggers on the answers (insert, update, delete) and on the responses (a
response moved to another month, pair or respondent) add and subtract their
rows' share in the writing transaction. A roll-up is never behind a
committed answer, whoever wrote it (a service, the admin, a bulk generator),
and a batch of answers costs one grouped upsert, not one per row.

Two coarser tables sum those rows again (QuestionRollup: per question,
over pairs and people; RespondentRollup: per person's questionnaire, over
its scale questions): the pages' averages and before/after comparisons read
a district's few thousand rows there instead of the tens of thousands per
person and question. Statement triggers on the roll-up itself keep them,
so whatever changes its rows (an answer, a response moved, a rebuild)
changes theirs in the same transaction.

The rows can fall behind only when the triggers do not run: disabled for a
bulk load, or replication-role restores. `figures_are_current()` tells the
pages, which then say so in Russian; `rebuild()` (`manage.py
rebuild_survey_rollups`) enables the triggers and builds every row anew in
one transaction, so a reader sees the old rows or the new ones, never a
half-built table.

Months are calendar months in settings.TIME_ZONE (the academic year starts
at its midnight); `surveys_rollup_month` holds the zone, and a rebuild
writes it again from the settings.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mentoring.models import Meeting, Organization, Pair

from .models import (
    Answer,
    AnswerRollup,
    MeetingFeedback,
    MeetingRollup,
    Question,
    Questionnaire,
    QuestionRollup,
    RespondentRollup,
    Response,
)

TABLE = AnswerRollup._meta.db_table
FEEDBACK = MeetingFeedback._meta.db_table
QUESTIONNAIRES = Questionnaire._meta.db_table
ANSWERS = Answer._meta.db_table
RESPONSES = Response._meta.db_table
QUESTIONS = Question._meta.db_table
MEETINGS = Meeting._meta.db_table
PAIRS = Pair._meta.db_table
ORGANIZATIONS = Organization._meta.db_table
MEETING_TABLE = MeetingRollup._meta.db_table
QUESTION_TABLE = QuestionRollup._meta.db_table
RESPONDENT_TABLE = RespondentRollup._meta.db_table
NUMERIC_KINDS = ", ".join(f"'{kind}'" for kind in Question.NUMERIC_KINDS)
TRIGGERS = {
    ANSWERS: (
        "surveys_answer_rollup_insert",
        "surveys_answer_rollup_update",
        "surveys_answer_rollup_delete",
    ),
    RESPONSES: (
        "surveys_response_rollup_insert",
        "surveys_response_rollup_update",
        "surveys_response_rollup_delete",
    ),
    MEETINGS: (
        "surveys_meeting_rollup_insert",
        "surveys_meeting_rollup_update",
        "surveys_meeting_rollup_delete",
    ),
    PAIRS: ("surveys_pair_meeting_rollup_update",),
    TABLE: (
        "surveys_coarse_rollup_insert",
        "surveys_coarse_rollup_update",
        "surveys_coarse_rollup_delete",
    ),
    FEEDBACK: (
        "surveys_feedback_meeting_rollup_insert",
        "surveys_feedback_meeting_rollup_update",
        "surveys_feedback_meeting_rollup_delete",
    ),
}

KEY = "organization_id, month, question_id, pair_id, respondent_id, moment"


def _month_function(time_zone: str) -> str:
    # Quoted as a literal: the zone comes from the settings, not from a user.
    zone = time_zone.replace("'", "''")
    return f"""
CREATE OR REPLACE FUNCTION surveys_rollup_month(at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT date_trunc('month', at AT TIME ZONE '{zone}')::date $$;
"""


def _rows(answers: str, responses: str, sign: str) -> str:
    """The roll-up rows of `answers` (a table of answer rows) grouped by key,
    with the sign of their contribution."""
    # Feedback after a meeting folds into a row per school, month and
    # question: no figure reads it per pair or person.
    return f"""
SELECT r.organization_id, surveys_rollup_month(r.submitted_at) AS month,
       q.questionnaire_id, a.question_id,
       CASE WHEN r.meeting_id IS NULL THEN r.pair_id END AS pair_id,
       CASE WHEN r.meeting_id IS NULL THEN r.respondent_id END AS respondent_id,
       r.moment,
       {sign} count(*) AS answers,
       {sign} count(a.number_value) AS numbers,
       {sign} coalesce(sum(a.number_value), 0) AS total
  FROM {answers} a
  JOIN {responses} r ON r.id = a.response_id
  JOIN {QUESTIONS} q ON q.id = a.question_id
 WHERE q.kind IN ({NUMERIC_KINDS})
 GROUP BY 1, 2, 3, 4, 5, 6, 7
 ORDER BY 1, 2, 4, 5, 6, 7
"""


def _upsert(rows: str) -> str:
    # Ordered by key, so two writers lock shared rows in the same order.
    return f"""
INSERT INTO {TABLE} (organization_id, month, questionnaire_id, question_id,
                     pair_id, respondent_id, moment, answers, numbers, total)
{rows}
ON CONFLICT ({KEY}) DO UPDATE
   SET answers = {TABLE}.answers + EXCLUDED.answers,
       numbers = {TABLE}.numbers + EXCLUDED.numbers,
       total = {TABLE}.total + EXCLUDED.total;
"""


DROP_EMPTY = f"DELETE FROM {TABLE} WHERE answers = 0;"


def _feedback_upsert(responses: str, sign: str) -> str:
    """Add (or with sign "-" take) the feedback forms among `responses`."""
    mentor = Questionnaire.Audience.MENTOR
    mentee = Questionnaire.Audience.MENTEE
    return f"""
INSERT INTO {FEEDBACK} (meeting_id, by_mentor, by_mentee)
SELECT r.meeting_id,
       {sign} count(*) FILTER (WHERE q.audience = '{mentor}'),
       {sign} count(*) FILTER (WHERE q.audience = '{mentee}')
  FROM {responses} r
  JOIN {QUESTIONNAIRES} q ON q.id = r.questionnaire_id
 WHERE r.meeting_id IS NOT NULL
   AND q.kind = '{Questionnaire.Kind.MEETING_FEEDBACK}'
 GROUP BY 1
 ORDER BY 1
ON CONFLICT (meeting_id) DO UPDATE
   SET by_mentor = {FEEDBACK}.by_mentor + EXCLUDED.by_mentor,
       by_mentee = {FEEDBACK}.by_mentee + EXCLUDED.by_mentee;
"""


DROP_NO_FEEDBACK = f"DELETE FROM {FEEDBACK} WHERE by_mentor = 0 AND by_mentee = 0;"


def install_sql(time_zone: str) -> str:
    """The functions and triggers that keep the roll-ups."""
    response_moved = """
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.organization_id, surveys_rollup_month(o.submitted_at),
        o.questionnaire_id, o.meeting_id IS NULL, o.pair_id, o.respondent_id,
        o.moment)
       IS DISTINCT FROM
       (n.organization_id, surveys_rollup_month(n.submitted_at),
        n.questionnaire_id, n.meeting_id IS NULL, n.pair_id, n.respondent_id,
        n.moment)
"""
    moved_old = f"(SELECT o.* {response_moved})"
    moved_new = f"(SELECT n.* {response_moved})"
    return f"""
{_month_function(time_zone)}

CREATE OR REPLACE FUNCTION surveys_answer_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_upsert(_rows("old_rows", RESPONSES, "-"))}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_upsert(_rows("new_rows", RESPONSES, ""))}
  END IF;
  {DROP_EMPTY}
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION surveys_response_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    {_upsert(_rows(ANSWERS, moved_old, "-"))}
    {_upsert(_rows(ANSWERS, moved_new, ""))}
    {DROP_EMPTY}
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_feedback_upsert("old_rows", "-")}
    {DROP_NO_FEEDBACK}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_feedback_upsert("new_rows", "")}
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS surveys_answer_rollup_insert ON {ANSWERS};
CREATE TRIGGER surveys_answer_rollup_insert AFTER INSERT ON {ANSWERS}
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_answer_rollup();
DROP TRIGGER IF EXISTS surveys_answer_rollup_update ON {ANSWERS};
CREATE TRIGGER surveys_answer_rollup_update AFTER UPDATE ON {ANSWERS}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_answer_rollup();
DROP TRIGGER IF EXISTS surveys_answer_rollup_delete ON {ANSWERS};
CREATE TRIGGER surveys_answer_rollup_delete AFTER DELETE ON {ANSWERS}
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_answer_rollup();
DROP TRIGGER IF EXISTS surveys_response_rollup_insert ON {RESPONSES};
CREATE TRIGGER surveys_response_rollup_insert AFTER INSERT ON {RESPONSES}
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_rollup();
DROP TRIGGER IF EXISTS surveys_response_rollup_delete ON {RESPONSES};
CREATE TRIGGER surveys_response_rollup_delete AFTER DELETE ON {RESPONSES}
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_rollup();
DROP TRIGGER IF EXISTS surveys_response_rollup_update ON {RESPONSES};
CREATE TRIGGER surveys_response_rollup_update AFTER UPDATE ON {RESPONSES}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_rollup();
"""


MEETING_KEY = "organization_id, month, status, pair_suspended"


def _meeting_rows(source: str, sign: str, *, meetings: str = "count(*)") -> str:
    """The meetings' roll-up rows of `source` (a FROM clause naming the
    meetings m, their pairs p and their forms f), with the sign of their
    contribution."""
    both = "f.by_mentor > 0 AND f.by_mentee > 0"
    return f"""
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = '{Pair.Status.SUSPENDED}' AS pair_suspended,
       {sign} {meetings} AS meetings,
       {sign} count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
       {sign} count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
       {sign} count(*) FILTER (WHERE {both}) AS by_both
  FROM {source}
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
"""


def _of_meetings(meetings: str, pairs: str = PAIRS) -> str:
    return f"""{meetings} m
  JOIN {pairs} p ON p.id = m.pair_id
  LEFT JOIN {FEEDBACK} f ON f.meeting_id = m.id"""


def _of_forms(forms: str) -> str:
    # A meeting without a form counts in no column but `meetings`, which
    # the forms do not change.
    return f"""{forms} f
  JOIN {MEETINGS} m ON m.id = f.meeting_id
  JOIN {PAIRS} p ON p.id = m.pair_id
 WHERE f.by_mentor > 0 OR f.by_mentee > 0"""


def _meeting_upsert(rows: str) -> str:
    # Ordered by key, so two writers lock shared rows in the same order.
    return f"""
INSERT INTO {MEETING_TABLE} ({MEETING_KEY}, meetings, by_mentor, by_mentee, by_both)
{rows}
ON CONFLICT ({MEETING_KEY}) DO UPDATE
   SET meetings = {MEETING_TABLE}.meetings + EXCLUDED.meetings,
       by_mentor = {MEETING_TABLE}.by_mentor + EXCLUDED.by_mentor,
       by_mentee = {MEETING_TABLE}.by_mentee + EXCLUDED.by_mentee,
       by_both = {MEETING_TABLE}.by_both + EXCLUDED.by_both;
"""


DROP_NO_MEETINGS = f"DELETE FROM {MEETING_TABLE} WHERE meetings = 0;"


def meeting_install_sql() -> str:
    """The functions and triggers that keep the meetings' roll-up.

    The rows are a function of the meetings, their pairs and their forms
    now: each trigger takes out what its table's old rows gave and adds
    what the new rows give, the other two tables as they are. A meeting
    counts where its pair's school is, so a pair moved to another school
    (or suspended) moves its meetings too.
    """
    meeting_moved = """
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.pair_id, surveys_rollup_month(o.starts_at), o.status)
       IS DISTINCT FROM
       (n.pair_id, surveys_rollup_month(n.starts_at), n.status)
"""
    suspended = Pair.Status.SUSPENDED
    pair_moved = f"""
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.organization_id, o.status = '{suspended}')
       IS DISTINCT FROM
       (n.organization_id, n.status = '{suspended}')
"""
    form_changed = """
  FROM old_rows o JOIN new_rows n ON n.meeting_id = o.meeting_id
 WHERE (o.by_mentor > 0, o.by_mentee > 0) IS DISTINCT FROM
       (n.by_mentor > 0, n.by_mentee > 0)
"""
    triggers = []
    for table, function, ops in (
        (MEETINGS, "surveys_meeting_rollup", ("insert", "update", "delete")),
        (PAIRS, "surveys_pair_meeting_rollup", ("update",)),
        (FEEDBACK, "surveys_feedback_meeting_rollup", ("insert", "update", "delete")),
    ):
        for op in ops:
            name = f"{function}_{op}"
            transition = {
                "insert": "NEW TABLE AS new_rows",
                "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "delete": "OLD TABLE AS old_rows",
            }[op]
            triggers.append(f"""
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name} AFTER {op.upper()} ON {table}
  REFERENCING {transition}
  FOR EACH STATEMENT EXECUTE FUNCTION {function}();""")
    return f"""
CREATE OR REPLACE FUNCTION surveys_meeting_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    {_meeting_upsert(_meeting_rows(_of_meetings(f"(SELECT o.* {meeting_moved})"), "-"))}
    {_meeting_upsert(_meeting_rows(_of_meetings(f"(SELECT n.* {meeting_moved})"), ""))}
  ELSIF TG_OP = 'DELETE' THEN
    {_meeting_upsert(_meeting_rows(_of_meetings("old_rows"), "-"))}
  ELSE
    {_meeting_upsert(_meeting_rows(_of_meetings("new_rows"), ""))}
  END IF;
  {DROP_NO_MEETINGS}
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION surveys_pair_meeting_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  {_meeting_upsert(_meeting_rows(_of_meetings(MEETINGS, f"(SELECT o.* {pair_moved})"), "-"))}
  {_meeting_upsert(_meeting_rows(_of_meetings(MEETINGS, f"(SELECT n.* {pair_moved})"), ""))}
  {DROP_NO_MEETINGS}
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION surveys_feedback_meeting_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    {_meeting_upsert(_meeting_rows(_of_forms(f"(SELECT o.* {form_changed})"), "-", meetings="0"))}
    {_meeting_upsert(_meeting_rows(_of_forms(f"(SELECT n.* {form_changed})"), "", meetings="0"))}
  ELSIF TG_OP = 'DELETE' THEN
    {_meeting_upsert(_meeting_rows(_of_forms("old_rows"), "-", meetings="0"))}
  ELSE
    {_meeting_upsert(_meeting_rows(_of_forms("new_rows"), "", meetings="0"))}
  END IF;
  RETURN NULL;
END $$;
{"".join(triggers)}
"""


QUESTION_KEY = "organization_id, month, question_id, moment"
RESPONDENT_KEY = (
    "organization_id, month, questionnaire_id, pair_id, respondent_id, moment"
)
SCALE = Question.Kind.SCALE


def _coarse_upsert(target: str, key: str, rows: str, sign: str, scale: str) -> str:
    """Add (or with sign "-" take) the roll-up rows `rows` to the coarser
    table `target`, summed by `key` (with the questionnaire, which a
    question determines)."""
    columns = f"questionnaire_id, {key}" if "questionnaire_id" not in key else key
    return f"""
INSERT INTO {target} ({columns}, answers, numbers, total)
SELECT {", ".join(f"a.{c}" for c in columns.split(", "))},
       {sign} sum(a.answers), {sign} sum(a.numbers), {sign} sum(a.total)
  FROM {rows} a{scale}
 GROUP BY {", ".join(f"a.{c}" for c in columns.split(", "))}
 ORDER BY {", ".join(f"a.{c}" for c in key.split(", "))}
ON CONFLICT ({key}) DO UPDATE
   SET answers = {target}.answers + EXCLUDED.answers,
       numbers = {target}.numbers + EXCLUDED.numbers,
       total = {target}.total + EXCLUDED.total;
"""


def _coarse_upserts(rows: str, sign: str) -> str:
    """Both coarser tables' share of the roll-up rows `rows`."""
    scale = f"""
  JOIN {QUESTIONS} q ON q.id = a.question_id AND q.kind = '{SCALE}'"""
    return _coarse_upsert(QUESTION_TABLE, QUESTION_KEY, rows, sign, "") + (
        _coarse_upsert(RESPONDENT_TABLE, RESPONDENT_KEY, rows, sign, scale)
    )


DROP_EMPTY_COARSE = f"""
DELETE FROM {QUESTION_TABLE} WHERE answers = 0;
DELETE FROM {RESPONDENT_TABLE} WHERE answers = 0;
"""


def coarse_install_sql() -> str:
    """The function and triggers that keep the coarser roll-ups: each is a
    sum of the answers' roll-up rows, so its triggers add what the rows'
    changes add, whoever changed them (an answer, a response moved, a
    rebuild)."""
    triggers = []
    for op, transition in (
        ("insert", "NEW TABLE AS new_rows"),
        ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("delete", "OLD TABLE AS old_rows"),
    ):
        name = f"surveys_coarse_rollup_{op}"
        triggers.append(f"""
DROP TRIGGER IF EXISTS {name} ON {TABLE};
CREATE TRIGGER {name} AFTER {op.upper()} ON {TABLE}
  REFERENCING {transition}
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_coarse_rollup();""")
    return f"""
CREATE OR REPLACE FUNCTION surveys_coarse_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_coarse_upserts("old_rows", "-")}
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {_coarse_upserts("new_rows", "")}
  END IF;
  {DROP_EMPTY_COARSE}
  RETURN NULL;
END $$;
{"".join(triggers)}
"""


def figures_are_current() -> bool:
    """Whether every roll-up trigger is in place and enabled (one catalogue read)."""
    names = [name for group in TRIGGERS.values() for name in group]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND tgenabled <> 'D'",
            [names],
        )
        (enabled,) = cursor.fetchone()
    return enabled == len(names)


@transaction.atomic
def rebuild() -> int:
    """Build every roll-up row anew from the answers and responses; return
    the answers' roll-up rows written.

    Answers wait for the lock until the new rows commit, so none is counted
    twice or lost; readers keep the old rows meanwhile.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"LOCK TABLE {ANSWERS}, {RESPONSES}, {MEETINGS}, {PAIRS} IN SHARE MODE"
        )
        cursor.execute(install_sql(settings.TIME_ZONE))
        cursor.execute(meeting_install_sql())
        cursor.execute(coarse_install_sql())
        # Deferred foreign-key checks pending in this transaction would
        # stop ALTER TABLE: done first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, names in TRIGGERS.items():
            for name in names:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_upsert(_rows(ANSWERS, RESPONSES, "")))
        rows = cursor.rowcount
        # The coarser tables' triggers followed both statements above, from
        # whatever they held: built anew from the rows too.
        cursor.execute(f"DELETE FROM {QUESTION_TABLE}; DELETE FROM {RESPONDENT_TABLE}")
        cursor.execute(_coarse_upserts(TABLE, ""))
        cursor.execute(f"DELETE FROM {FEEDBACK}")
        cursor.execute(_feedback_upsert(RESPONSES, ""))
        cursor.execute(f"DELETE FROM {MEETING_TABLE}")
        cursor.execute(_meeting_upsert(_meeting_rows(_of_meetings(MEETINGS), "")))
        return rows


@dataclass
class MeetingCounts:
    meetings: int = 0
    by_mentor: int = 0
    by_mentee: int = 0
    by_both: int = 0


def _month_start(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.datetime(local.year, local.month, 1))


def _next_month(start: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(start)
    year, month = divmod(local.year * 12 + local.month, 12)
    return timezone.make_aware(datetime.datetime(year, month + 1, 1))


GROUPS = {None: "0", "organization": "o.id", "district": "o.district_id"}


def meeting_counts(
    *,
    organizations: QuerySet[Organization],
    starts: datetime.datetime,
    ends: datetime.datetime,
    statuses: tuple[str, ...],
    group: str | None = None,
    without_suspended: bool = False,
) -> dict:
    """Meetings of `organizations`' pairs starting in [starts, ends) with the
    given statuses, and those with each side's and both sides' forms:
    {key: MeetingCounts}, the key being the organization's or its district's
    id (`group`), or None.

    Whole months come from the roll-up; the part of a month at either end
    (the month not over yet, a period starting on the 2nd) from the meetings,
    in the same statement. Written in SQL: the district's table is a few
    milliseconds of SQL, and building this through the ORM cost more.
    """
    first = _month_start(starts)
    if first < starts:
        first = _next_month(first)
    last = _month_start(ends)
    result: dict = defaultdict(MeetingCounts)
    try:
        scope, scope_params = (
            organizations.order_by().values("pk").query.sql_with_params()
        )
    except EmptyResultSet:  # no organization at all (.none(), pk__in=[])
        return result
    key = GROUPS[group]
    parts, params = [], []
    live: list[tuple] = []
    if first < last:
        parts.append(
            f"""SELECT {key} AS key, r.meetings, r.by_mentor, r.by_mentee, r.by_both
  FROM {MEETING_TABLE} r JOIN {ORGANIZATIONS} o ON o.id = r.organization_id
 WHERE r.organization_id IN ({scope}) AND r.month >= %s AND r.month < %s
   AND r.status = ANY(%s){" AND NOT r.pair_suspended" if without_suspended else ""}"""
        )
        params += [*scope_params, first.date(), last.date(), list(statuses)]
        live = [(starts, first), (last, ends)]
    else:
        live = [(starts, ends)]
    live = [(since, until) for since, until in live if since < until]
    if live:
        window = " OR ".join("(m.starts_at >= %s AND m.starts_at < %s)" for _ in live)
        suspended = Pair.Status.SUSPENDED
        parts.append(
            # A meeting without forms has no MeetingFeedback row: NULLs.
            f"""SELECT {key} AS key, 1, ((f.by_mentor > 0) IS TRUE)::int,
       ((f.by_mentee > 0) IS TRUE)::int,
       ((f.by_mentor > 0 AND f.by_mentee > 0) IS TRUE)::int
  FROM {MEETINGS} m JOIN {PAIRS} p ON p.id = m.pair_id
  JOIN {ORGANIZATIONS} o ON o.id = p.organization_id
  LEFT JOIN {FEEDBACK} f ON f.meeting_id = m.id
 WHERE p.organization_id IN ({scope}) AND ({window})
   AND m.status = ANY(%s){
                f" AND p.status <> '{suspended}'" if without_suspended else ""
            }"""
        )
        params += [*scope_params, *(t for pair in live for t in pair), list(statuses)]
    if not parts:
        return result
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT key, sum(meetings), sum(by_mentor), sum(by_mentee), sum(by_both)
  FROM ({" UNION ALL ".join(parts)}) AS t (key, meetings, by_mentor, by_mentee, by_both)
 GROUP BY key""",
            params,
        )
        for key_value, meetings, by_mentor, by_mentee, by_both in cursor.fetchall():
            result[key_value if group else None] = MeetingCounts(
                meetings, by_mentor, by_mentee, by_both
            )
    return result
