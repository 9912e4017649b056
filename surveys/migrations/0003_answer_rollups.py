"""Roll-ups of the numeric answers and of the meetings' feedback forms,
kept by triggers (surveys/rollups.py).

The SQL is frozen here as it was when the migration was written, and the
roll-ups are filled from the answers already given. `manage.py
rebuild_survey_rollups` installs the current code's version.
"""

import django.db.models.deletion
from django.db import migrations, models


INSTALL = """
CREATE OR REPLACE FUNCTION surveys_rollup_month(at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT date_trunc('month', at AT TIME ZONE 'Europe/Moscow')::date $$;
CREATE OR REPLACE FUNCTION surveys_answer_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
INSERT INTO surveys_answerrollup (organization_id, month, questionnaire_id, question_id,
                     pair_id, respondent_id, moment, answers, numbers, total)
SELECT r.organization_id, surveys_rollup_month(r.submitted_at) AS month,
       q.questionnaire_id, a.question_id,
       CASE WHEN r.meeting_id IS NULL THEN r.pair_id END AS pair_id,
       CASE WHEN r.meeting_id IS NULL THEN r.respondent_id END AS respondent_id,
       r.moment,
       - count(*) AS answers,
       - count(a.number_value) AS numbers,
       - coalesce(sum(a.number_value), 0) AS total
  FROM old_rows a
  JOIN surveys_response r ON r.id = a.response_id
  JOIN surveys_question q ON q.id = a.question_id
 WHERE q.kind IN ('scale', 'number')
 GROUP BY 1, 2, 3, 4, 5, 6, 7
 ORDER BY 1, 2, 4, 5, 6, 7
ON CONFLICT (organization_id, month, question_id, pair_id, respondent_id, moment) DO UPDATE
   SET answers = surveys_answerrollup.answers + EXCLUDED.answers,
       numbers = surveys_answerrollup.numbers + EXCLUDED.numbers,
       total = surveys_answerrollup.total + EXCLUDED.total;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
INSERT INTO surveys_answerrollup (organization_id, month, questionnaire_id, question_id,
                     pair_id, respondent_id, moment, answers, numbers, total)
SELECT r.organization_id, surveys_rollup_month(r.submitted_at) AS month,
       q.questionnaire_id, a.question_id,
       CASE WHEN r.meeting_id IS NULL THEN r.pair_id END AS pair_id,
       CASE WHEN r.meeting_id IS NULL THEN r.respondent_id END AS respondent_id,
       r.moment,
        count(*) AS answers,
        count(a.number_value) AS numbers,
        coalesce(sum(a.number_value), 0) AS total
  FROM new_rows a
  JOIN surveys_response r ON r.id = a.response_id
  JOIN surveys_question q ON q.id = a.question_id
 WHERE q.kind IN ('scale', 'number')
 GROUP BY 1, 2, 3, 4, 5, 6, 7
 ORDER BY 1, 2, 4, 5, 6, 7
ON CONFLICT (organization_id, month, question_id, pair_id, respondent_id, moment) DO UPDATE
   SET answers = surveys_answerrollup.answers + EXCLUDED.answers,
       numbers = surveys_answerrollup.numbers + EXCLUDED.numbers,
       total = surveys_answerrollup.total + EXCLUDED.total;
  END IF;
  DELETE FROM surveys_answerrollup WHERE answers = 0;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION surveys_response_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
INSERT INTO surveys_answerrollup (organization_id, month, questionnaire_id, question_id,
                     pair_id, respondent_id, moment, answers, numbers, total)
SELECT r.organization_id, surveys_rollup_month(r.submitted_at) AS month,
       q.questionnaire_id, a.question_id,
       CASE WHEN r.meeting_id IS NULL THEN r.pair_id END AS pair_id,
       CASE WHEN r.meeting_id IS NULL THEN r.respondent_id END AS respondent_id,
       r.moment,
       - count(*) AS answers,
       - count(a.number_value) AS numbers,
       - coalesce(sum(a.number_value), 0) AS total
  FROM surveys_answer a
  JOIN (SELECT o.*
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.organization_id, surveys_rollup_month(o.submitted_at),
        o.questionnaire_id, o.meeting_id IS NULL, o.pair_id, o.respondent_id,
        o.moment)
       IS DISTINCT FROM
       (n.organization_id, surveys_rollup_month(n.submitted_at),
        n.questionnaire_id, n.meeting_id IS NULL, n.pair_id, n.respondent_id,
        n.moment)
) r ON r.id = a.response_id
  JOIN surveys_question q ON q.id = a.question_id
 WHERE q.kind IN ('scale', 'number')
 GROUP BY 1, 2, 3, 4, 5, 6, 7
 ORDER BY 1, 2, 4, 5, 6, 7
ON CONFLICT (organization_id, month, question_id, pair_id, respondent_id, moment) DO UPDATE
   SET answers = surveys_answerrollup.answers + EXCLUDED.answers,
       numbers = surveys_answerrollup.numbers + EXCLUDED.numbers,
       total = surveys_answerrollup.total + EXCLUDED.total;
INSERT INTO surveys_answerrollup (organization_id, month, questionnaire_id, question_id,
                     pair_id, respondent_id, moment, answers, numbers, total)
SELECT r.organization_id, surveys_rollup_month(r.submitted_at) AS month,
       q.questionnaire_id, a.question_id,
       CASE WHEN r.meeting_id IS NULL THEN r.pair_id END AS pair_id,
       CASE WHEN r.meeting_id IS NULL THEN r.respondent_id END AS respondent_id,
       r.moment,
        count(*) AS answers,
        count(a.number_value) AS numbers,
        coalesce(sum(a.number_value), 0) AS total
  FROM surveys_answer a
  JOIN (SELECT n.*
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.organization_id, surveys_rollup_month(o.submitted_at),
        o.questionnaire_id, o.meeting_id IS NULL, o.pair_id, o.respondent_id,
        o.moment)
       IS DISTINCT FROM
       (n.organization_id, surveys_rollup_month(n.submitted_at),
        n.questionnaire_id, n.meeting_id IS NULL, n.pair_id, n.respondent_id,
        n.moment)
) r ON r.id = a.response_id
  JOIN surveys_question q ON q.id = a.question_id
 WHERE q.kind IN ('scale', 'number')
 GROUP BY 1, 2, 3, 4, 5, 6, 7
 ORDER BY 1, 2, 4, 5, 6, 7
ON CONFLICT (organization_id, month, question_id, pair_id, respondent_id, moment) DO UPDATE
   SET answers = surveys_answerrollup.answers + EXCLUDED.answers,
       numbers = surveys_answerrollup.numbers + EXCLUDED.numbers,
       total = surveys_answerrollup.total + EXCLUDED.total;
    DELETE FROM surveys_answerrollup WHERE answers = 0;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
INSERT INTO surveys_meetingfeedback (meeting_id, by_mentor, by_mentee)
SELECT r.meeting_id,
       - count(*) FILTER (WHERE q.audience = 'mentor'),
       - count(*) FILTER (WHERE q.audience = 'mentee')
  FROM old_rows r
  JOIN surveys_questionnaire q ON q.id = r.questionnaire_id
 WHERE r.meeting_id IS NOT NULL
   AND q.kind = 'meeting_feedback'
 GROUP BY 1
 ORDER BY 1
ON CONFLICT (meeting_id) DO UPDATE
   SET by_mentor = surveys_meetingfeedback.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingfeedback.by_mentee + EXCLUDED.by_mentee;
    DELETE FROM surveys_meetingfeedback WHERE by_mentor = 0 AND by_mentee = 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
INSERT INTO surveys_meetingfeedback (meeting_id, by_mentor, by_mentee)
SELECT r.meeting_id,
        count(*) FILTER (WHERE q.audience = 'mentor'),
        count(*) FILTER (WHERE q.audience = 'mentee')
  FROM new_rows r
  JOIN surveys_questionnaire q ON q.id = r.questionnaire_id
 WHERE r.meeting_id IS NOT NULL
   AND q.kind = 'meeting_feedback'
 GROUP BY 1
 ORDER BY 1
ON CONFLICT (meeting_id) DO UPDATE
   SET by_mentor = surveys_meetingfeedback.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingfeedback.by_mentee + EXCLUDED.by_mentee;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS surveys_answer_rollup_insert ON surveys_answer;
CREATE TRIGGER surveys_answer_rollup_insert AFTER INSERT ON surveys_answer
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_answer_rollup();
DROP TRIGGER IF EXISTS surveys_answer_rollup_update ON surveys_answer;
CREATE TRIGGER surveys_answer_rollup_update AFTER UPDATE ON surveys_answer
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_answer_rollup();
DROP TRIGGER IF EXISTS surveys_answer_rollup_delete ON surveys_answer;
CREATE TRIGGER surveys_answer_rollup_delete AFTER DELETE ON surveys_answer
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_answer_rollup();
DROP TRIGGER IF EXISTS surveys_response_rollup_insert ON surveys_response;
CREATE TRIGGER surveys_response_rollup_insert AFTER INSERT ON surveys_response
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_rollup();
DROP TRIGGER IF EXISTS surveys_response_rollup_delete ON surveys_response;
CREATE TRIGGER surveys_response_rollup_delete AFTER DELETE ON surveys_response
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_rollup();
DROP TRIGGER IF EXISTS surveys_response_rollup_update ON surveys_response;
CREATE TRIGGER surveys_response_rollup_update AFTER UPDATE ON surveys_response
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_rollup();
"""

FILL = """
INSERT INTO surveys_answerrollup (organization_id, month, questionnaire_id, question_id,
                     pair_id, respondent_id, moment, answers, numbers, total)
SELECT r.organization_id, surveys_rollup_month(r.submitted_at) AS month,
       q.questionnaire_id, a.question_id,
       CASE WHEN r.meeting_id IS NULL THEN r.pair_id END AS pair_id,
       CASE WHEN r.meeting_id IS NULL THEN r.respondent_id END AS respondent_id,
       r.moment,
        count(*) AS answers,
        count(a.number_value) AS numbers,
        coalesce(sum(a.number_value), 0) AS total
  FROM surveys_answer a
  JOIN surveys_response r ON r.id = a.response_id
  JOIN surveys_question q ON q.id = a.question_id
 WHERE q.kind IN ('scale', 'number')
 GROUP BY 1, 2, 3, 4, 5, 6, 7
 ORDER BY 1, 2, 4, 5, 6, 7
ON CONFLICT (organization_id, month, question_id, pair_id, respondent_id, moment) DO UPDATE
   SET answers = surveys_answerrollup.answers + EXCLUDED.answers,
       numbers = surveys_answerrollup.numbers + EXCLUDED.numbers,
       total = surveys_answerrollup.total + EXCLUDED.total;
INSERT INTO surveys_meetingfeedback (meeting_id, by_mentor, by_mentee)
SELECT r.meeting_id,
        count(*) FILTER (WHERE q.audience = 'mentor'),
        count(*) FILTER (WHERE q.audience = 'mentee')
  FROM surveys_response r
  JOIN surveys_questionnaire q ON q.id = r.questionnaire_id
 WHERE r.meeting_id IS NOT NULL
   AND q.kind = 'meeting_feedback'
 GROUP BY 1
 ORDER BY 1
ON CONFLICT (meeting_id) DO UPDATE
   SET by_mentor = surveys_meetingfeedback.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingfeedback.by_mentee + EXCLUDED.by_mentee;
"""

DROP = """
DROP TRIGGER IF EXISTS surveys_answer_rollup_insert ON surveys_answer;
DROP TRIGGER IF EXISTS surveys_answer_rollup_update ON surveys_answer;
DROP TRIGGER IF EXISTS surveys_answer_rollup_delete ON surveys_answer;
DROP TRIGGER IF EXISTS surveys_response_rollup_insert ON surveys_response;
DROP TRIGGER IF EXISTS surveys_response_rollup_update ON surveys_response;
DROP TRIGGER IF EXISTS surveys_response_rollup_delete ON surveys_response;
DROP FUNCTION IF EXISTS surveys_answer_rollup();
DROP FUNCTION IF EXISTS surveys_response_rollup();
DROP FUNCTION IF EXISTS surveys_rollup_month(timestamptz);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0022_document_batch'),
        ('surveys', '0002_standard_questionnaires'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingFeedback',
            fields=[
                ('meeting', models.OneToOneField(on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='feedback_rollup', serialize=False, to='mentoring.meeting')),
                ('by_mentor', models.IntegerField(default=0)),
                ('by_mentee', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'обратная связь по встрече (свод)',
                'verbose_name_plural': 'обратная связь по встречам (свод)',
            },
        ),
        migrations.CreateModel(
            name='AnswerRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('moment', models.CharField(blank=True, max_length=6)),
                ('answers', models.IntegerField(default=0)),
                ('numbers', models.IntegerField(default=0)),
                ('total', models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mentoring.organization')),
                ('pair', models.ForeignKey(null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mentoring.pair')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='surveys.question')),
                ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='surveys.questionnaire')),
                ('respondent', models.ForeignKey(null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mentoring.person')),
            ],
            options={
                'verbose_name': 'свод ответов',
                'verbose_name_plural': 'своды ответов',
            },
        ),
        # Not in CreateModel's options: Django would create them after every
        # operation of the migration, and the triggers' ON CONFLICT needs the
        # unique index when FILL runs.
        migrations.AddIndex(
            model_name='meetingfeedback',
            index=models.Index(condition=models.Q(('by_mentee', 0), ('by_mentor', 0)), fields=['meeting'], name='meeting_feedback_empty'),
        ),
        migrations.AddIndex(
            model_name='answerrollup',
            index=models.Index(condition=models.Q(('answers', 0)), fields=['id'], name='answer_rollup_empty'),
        ),
        migrations.AddConstraint(
            model_name='answerrollup',
            constraint=models.UniqueConstraint(fields=('organization', 'month', 'question', 'pair', 'respondent', 'moment'), name='answer_rollup_key', nulls_distinct=False),
        ),
        migrations.RunSQL(INSTALL + FILL, DROP),
    ]
