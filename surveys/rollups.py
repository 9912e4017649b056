"""Roll-ups of the numeric answers (surveys.models.AnswerRollup).

The monitoring figures are sums and counts of the answers. Aggregating
every answer of a district on each page view cost 12–22× a plain scan of
the answers table (issue 15), so the database keeps the sums: statement
triggers on the answers (insert, update, delete) and on the responses (a
response moved to another month, pair or respondent) add and subtract their
rows' share in the writing transaction. A roll-up is never behind a
committed answer, whoever wrote it (a service, the admin, a bulk generator),
and a batch of answers costs one grouped upsert, not one per row.

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

from django.conf import settings
from django.db import connection, transaction

from .models import (
    Answer,
    AnswerRollup,
    MeetingFeedback,
    Question,
    Questionnaire,
    Response,
)

TABLE = AnswerRollup._meta.db_table
FEEDBACK = MeetingFeedback._meta.db_table
QUESTIONNAIRES = Questionnaire._meta.db_table
ANSWERS = Answer._meta.db_table
RESPONSES = Response._meta.db_table
QUESTIONS = Question._meta.db_table
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
        cursor.execute(f"LOCK TABLE {ANSWERS}, {RESPONSES} IN SHARE MODE")
        cursor.execute(install_sql(settings.TIME_ZONE))
        # Deferred foreign-key checks pending in this transaction would
        # stop ALTER TABLE: done first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, names in TRIGGERS.items():
            for name in names:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_upsert(_rows(ANSWERS, RESPONSES, "")))
        rows = cursor.rowcount
        cursor.execute(f"DELETE FROM {FEEDBACK}")
        cursor.execute(_feedback_upsert(RESPONSES, ""))
        return rows
