"""Coarser roll-ups of the answers: per question, and per respondent's
questionnaire (scale answers), kept by triggers on the answers' roll-up
(surveys/rollups.py).

The SQL is frozen here as it was when the migration was written, and the
tables are filled from the answers' roll-up. `manage.py
rebuild_survey_rollups` installs the current code's version.
"""

import django.db.models.deletion
from django.db import migrations, models


INSTALL = """
CREATE OR REPLACE FUNCTION surveys_coarse_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
INSERT INTO surveys_questionrollup (questionnaire_id, organization_id, month, question_id, moment, answers, numbers, total)
SELECT a.questionnaire_id, a.organization_id, a.month, a.question_id, a.moment,
       - sum(a.answers), - sum(a.numbers), - sum(a.total)
  FROM old_rows a
 GROUP BY a.questionnaire_id, a.organization_id, a.month, a.question_id, a.moment
 ORDER BY a.organization_id, a.month, a.question_id, a.moment
ON CONFLICT (organization_id, month, question_id, moment) DO UPDATE
   SET answers = surveys_questionrollup.answers + EXCLUDED.answers,
       numbers = surveys_questionrollup.numbers + EXCLUDED.numbers,
       total = surveys_questionrollup.total + EXCLUDED.total;
INSERT INTO surveys_respondentrollup (organization_id, month, questionnaire_id, pair_id, respondent_id, moment, answers, numbers, total)
SELECT a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment,
       - sum(a.answers), - sum(a.numbers), - sum(a.total)
  FROM old_rows a
  JOIN surveys_question q ON q.id = a.question_id AND q.kind = 'scale'
 GROUP BY a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment
 ORDER BY a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment
ON CONFLICT (organization_id, month, questionnaire_id, pair_id, respondent_id, moment) DO UPDATE
   SET answers = surveys_respondentrollup.answers + EXCLUDED.answers,
       numbers = surveys_respondentrollup.numbers + EXCLUDED.numbers,
       total = surveys_respondentrollup.total + EXCLUDED.total;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
INSERT INTO surveys_questionrollup (questionnaire_id, organization_id, month, question_id, moment, answers, numbers, total)
SELECT a.questionnaire_id, a.organization_id, a.month, a.question_id, a.moment,
        sum(a.answers),  sum(a.numbers),  sum(a.total)
  FROM new_rows a
 GROUP BY a.questionnaire_id, a.organization_id, a.month, a.question_id, a.moment
 ORDER BY a.organization_id, a.month, a.question_id, a.moment
ON CONFLICT (organization_id, month, question_id, moment) DO UPDATE
   SET answers = surveys_questionrollup.answers + EXCLUDED.answers,
       numbers = surveys_questionrollup.numbers + EXCLUDED.numbers,
       total = surveys_questionrollup.total + EXCLUDED.total;
INSERT INTO surveys_respondentrollup (organization_id, month, questionnaire_id, pair_id, respondent_id, moment, answers, numbers, total)
SELECT a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment,
        sum(a.answers),  sum(a.numbers),  sum(a.total)
  FROM new_rows a
  JOIN surveys_question q ON q.id = a.question_id AND q.kind = 'scale'
 GROUP BY a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment
 ORDER BY a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment
ON CONFLICT (organization_id, month, questionnaire_id, pair_id, respondent_id, moment) DO UPDATE
   SET answers = surveys_respondentrollup.answers + EXCLUDED.answers,
       numbers = surveys_respondentrollup.numbers + EXCLUDED.numbers,
       total = surveys_respondentrollup.total + EXCLUDED.total;
  END IF;
DELETE FROM surveys_questionrollup WHERE answers = 0;
DELETE FROM surveys_respondentrollup WHERE answers = 0;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS surveys_coarse_rollup_insert ON surveys_answerrollup;
CREATE TRIGGER surveys_coarse_rollup_insert AFTER INSERT ON surveys_answerrollup
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_coarse_rollup();
DROP TRIGGER IF EXISTS surveys_coarse_rollup_update ON surveys_answerrollup;
CREATE TRIGGER surveys_coarse_rollup_update AFTER UPDATE ON surveys_answerrollup
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_coarse_rollup();
DROP TRIGGER IF EXISTS surveys_coarse_rollup_delete ON surveys_answerrollup;
CREATE TRIGGER surveys_coarse_rollup_delete AFTER DELETE ON surveys_answerrollup
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_coarse_rollup();
"""

FILL = """
INSERT INTO surveys_questionrollup (questionnaire_id, organization_id, month, question_id, moment, answers, numbers, total)
SELECT a.questionnaire_id, a.organization_id, a.month, a.question_id, a.moment,
        sum(a.answers),  sum(a.numbers),  sum(a.total)
  FROM surveys_answerrollup a
 GROUP BY a.questionnaire_id, a.organization_id, a.month, a.question_id, a.moment
 ORDER BY a.organization_id, a.month, a.question_id, a.moment
ON CONFLICT (organization_id, month, question_id, moment) DO UPDATE
   SET answers = surveys_questionrollup.answers + EXCLUDED.answers,
       numbers = surveys_questionrollup.numbers + EXCLUDED.numbers,
       total = surveys_questionrollup.total + EXCLUDED.total;
INSERT INTO surveys_respondentrollup (organization_id, month, questionnaire_id, pair_id, respondent_id, moment, answers, numbers, total)
SELECT a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment,
        sum(a.answers),  sum(a.numbers),  sum(a.total)
  FROM surveys_answerrollup a
  JOIN surveys_question q ON q.id = a.question_id AND q.kind = 'scale'
 GROUP BY a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment
 ORDER BY a.organization_id, a.month, a.questionnaire_id, a.pair_id, a.respondent_id, a.moment
ON CONFLICT (organization_id, month, questionnaire_id, pair_id, respondent_id, moment) DO UPDATE
   SET answers = surveys_respondentrollup.answers + EXCLUDED.answers,
       numbers = surveys_respondentrollup.numbers + EXCLUDED.numbers,
       total = surveys_respondentrollup.total + EXCLUDED.total;
"""

DROP = """
DROP TRIGGER IF EXISTS surveys_coarse_rollup_insert ON surveys_answerrollup;
DROP TRIGGER IF EXISTS surveys_coarse_rollup_update ON surveys_answerrollup;
DROP TRIGGER IF EXISTS surveys_coarse_rollup_delete ON surveys_answerrollup;
DROP FUNCTION IF EXISTS surveys_coarse_rollup();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0023_bank_organization'),
        ('surveys', '0004_meeting_rollups'),
    ]

    operations = [
        migrations.CreateModel(
            name='QuestionRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('moment', models.CharField(blank=True, max_length=6)),
                ('answers', models.IntegerField(default=0)),
                ('numbers', models.IntegerField(default=0)),
                ('total', models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mentoring.organization')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='surveys.question')),
                ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='surveys.questionnaire')),
            ],
            options={
                'verbose_name': 'свод ответов по вопросам',
                'verbose_name_plural': 'своды ответов по вопросам',
                'indexes': [models.Index(condition=models.Q(('answers', 0)), fields=['id'], name='question_rollup_empty')],
            },
        ),
        migrations.CreateModel(
            name='RespondentRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('moment', models.CharField(blank=True, max_length=6)),
                ('answers', models.IntegerField(default=0)),
                ('numbers', models.IntegerField(default=0)),
                ('total', models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mentoring.organization')),
                ('pair', models.ForeignKey(null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mentoring.pair')),
                ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='surveys.questionnaire')),
                ('respondent', models.ForeignKey(null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mentoring.person')),
            ],
            options={
                'verbose_name': 'свод ответов по участникам',
                'verbose_name_plural': 'своды ответов по участникам',
                'indexes': [models.Index(condition=models.Q(('answers', 0)), fields=['id'], name='respondent_rollup_empty')],
            },
        ),
        # Added before the SQL: its ON CONFLICT needs them now, not at the end.
        migrations.AddConstraint(
            model_name='questionrollup',
            constraint=models.UniqueConstraint(fields=('organization', 'month', 'question', 'moment'), name='question_rollup_key'),
        ),
        migrations.AddConstraint(
            model_name='respondentrollup',
            constraint=models.UniqueConstraint(fields=('organization', 'month', 'questionnaire', 'pair', 'respondent', 'moment'), name='respondent_rollup_key', nulls_distinct=False),
        ),
        migrations.RunSQL(INSTALL + FILL, DROP),
    ]
