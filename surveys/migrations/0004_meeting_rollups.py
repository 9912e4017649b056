"""Monthly roll-up of the meetings and their feedback forms, kept by
triggers on the meetings, the pairs and the forms-per-meeting rows
(surveys/rollups.py).

The SQL is frozen here as it was when the migration was written, and the
roll-up is filled from the meetings already there. `manage.py
rebuild_survey_rollups` installs the current code's version.
"""

import django.db.models.deletion
from django.db import migrations, models


INSTALL = """
CREATE OR REPLACE FUNCTION surveys_meeting_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
       - count(*) AS meetings,
       - count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
       - count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
       - count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM (SELECT o.*
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.pair_id, surveys_rollup_month(o.starts_at), o.status)
       IS DISTINCT FROM
       (n.pair_id, surveys_rollup_month(n.starts_at), n.status)
) m
  JOIN mentoring_pair p ON p.id = m.pair_id
  LEFT JOIN surveys_meetingfeedback f ON f.meeting_id = m.id
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
        count(*) AS meetings,
        count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
        count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
        count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM (SELECT n.*
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.pair_id, surveys_rollup_month(o.starts_at), o.status)
       IS DISTINCT FROM
       (n.pair_id, surveys_rollup_month(n.starts_at), n.status)
) m
  JOIN mentoring_pair p ON p.id = m.pair_id
  LEFT JOIN surveys_meetingfeedback f ON f.meeting_id = m.id
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
  ELSIF TG_OP = 'DELETE' THEN
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
       - count(*) AS meetings,
       - count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
       - count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
       - count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM old_rows m
  JOIN mentoring_pair p ON p.id = m.pair_id
  LEFT JOIN surveys_meetingfeedback f ON f.meeting_id = m.id
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
  ELSE
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
        count(*) AS meetings,
        count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
        count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
        count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM new_rows m
  JOIN mentoring_pair p ON p.id = m.pair_id
  LEFT JOIN surveys_meetingfeedback f ON f.meeting_id = m.id
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
  END IF;
  DELETE FROM surveys_meetingrollup WHERE meetings = 0;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION surveys_pair_meeting_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
       - count(*) AS meetings,
       - count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
       - count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
       - count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM mentoring_meeting m
  JOIN (SELECT o.*
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.organization_id, o.status = 'suspended')
       IS DISTINCT FROM
       (n.organization_id, n.status = 'suspended')
) p ON p.id = m.pair_id
  LEFT JOIN surveys_meetingfeedback f ON f.meeting_id = m.id
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
        count(*) AS meetings,
        count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
        count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
        count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM mentoring_meeting m
  JOIN (SELECT n.*
  FROM old_rows o JOIN new_rows n ON n.id = o.id
 WHERE (o.organization_id, o.status = 'suspended')
       IS DISTINCT FROM
       (n.organization_id, n.status = 'suspended')
) p ON p.id = m.pair_id
  LEFT JOIN surveys_meetingfeedback f ON f.meeting_id = m.id
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
  DELETE FROM surveys_meetingrollup WHERE meetings = 0;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION surveys_feedback_meeting_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
       - 0 AS meetings,
       - count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
       - count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
       - count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM (SELECT o.*
  FROM old_rows o JOIN new_rows n ON n.meeting_id = o.meeting_id
 WHERE (o.by_mentor > 0, o.by_mentee > 0) IS DISTINCT FROM
       (n.by_mentor > 0, n.by_mentee > 0)
) f
  JOIN mentoring_meeting m ON m.id = f.meeting_id
  JOIN mentoring_pair p ON p.id = m.pair_id
 WHERE f.by_mentor > 0 OR f.by_mentee > 0
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
        0 AS meetings,
        count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
        count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
        count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM (SELECT n.*
  FROM old_rows o JOIN new_rows n ON n.meeting_id = o.meeting_id
 WHERE (o.by_mentor > 0, o.by_mentee > 0) IS DISTINCT FROM
       (n.by_mentor > 0, n.by_mentee > 0)
) f
  JOIN mentoring_meeting m ON m.id = f.meeting_id
  JOIN mentoring_pair p ON p.id = m.pair_id
 WHERE f.by_mentor > 0 OR f.by_mentee > 0
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
  ELSIF TG_OP = 'DELETE' THEN
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
       - 0 AS meetings,
       - count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
       - count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
       - count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM old_rows f
  JOIN mentoring_meeting m ON m.id = f.meeting_id
  JOIN mentoring_pair p ON p.id = m.pair_id
 WHERE f.by_mentor > 0 OR f.by_mentee > 0
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
  ELSE
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
        0 AS meetings,
        count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
        count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
        count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM new_rows f
  JOIN mentoring_meeting m ON m.id = f.meeting_id
  JOIN mentoring_pair p ON p.id = m.pair_id
 WHERE f.by_mentor > 0 OR f.by_mentee > 0
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS surveys_meeting_rollup_insert ON mentoring_meeting;
CREATE TRIGGER surveys_meeting_rollup_insert AFTER INSERT ON mentoring_meeting
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_meeting_rollup();
DROP TRIGGER IF EXISTS surveys_meeting_rollup_update ON mentoring_meeting;
CREATE TRIGGER surveys_meeting_rollup_update AFTER UPDATE ON mentoring_meeting
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_meeting_rollup();
DROP TRIGGER IF EXISTS surveys_meeting_rollup_delete ON mentoring_meeting;
CREATE TRIGGER surveys_meeting_rollup_delete AFTER DELETE ON mentoring_meeting
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_meeting_rollup();
DROP TRIGGER IF EXISTS surveys_pair_meeting_rollup_update ON mentoring_pair;
CREATE TRIGGER surveys_pair_meeting_rollup_update AFTER UPDATE ON mentoring_pair
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_pair_meeting_rollup();
DROP TRIGGER IF EXISTS surveys_feedback_meeting_rollup_insert ON surveys_meetingfeedback;
CREATE TRIGGER surveys_feedback_meeting_rollup_insert AFTER INSERT ON surveys_meetingfeedback
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_feedback_meeting_rollup();
DROP TRIGGER IF EXISTS surveys_feedback_meeting_rollup_update ON surveys_meetingfeedback;
CREATE TRIGGER surveys_feedback_meeting_rollup_update AFTER UPDATE ON surveys_meetingfeedback
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_feedback_meeting_rollup();
DROP TRIGGER IF EXISTS surveys_feedback_meeting_rollup_delete ON surveys_meetingfeedback;
CREATE TRIGGER surveys_feedback_meeting_rollup_delete AFTER DELETE ON surveys_meetingfeedback
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION surveys_feedback_meeting_rollup();
"""

FILL = """
INSERT INTO surveys_meetingrollup (organization_id, month, status, pair_suspended, meetings, by_mentor, by_mentee, by_both)
SELECT p.organization_id, surveys_rollup_month(m.starts_at) AS month, m.status,
       p.status = 'suspended' AS pair_suspended,
        count(*) AS meetings,
        count(*) FILTER (WHERE f.by_mentor > 0) AS by_mentor,
        count(*) FILTER (WHERE f.by_mentee > 0) AS by_mentee,
        count(*) FILTER (WHERE f.by_mentor > 0 AND f.by_mentee > 0) AS by_both
  FROM mentoring_meeting m
  JOIN mentoring_pair p ON p.id = m.pair_id
  LEFT JOIN surveys_meetingfeedback f ON f.meeting_id = m.id
 GROUP BY 1, 2, 3, 4
 ORDER BY 1, 2, 3, 4
ON CONFLICT (organization_id, month, status, pair_suspended) DO UPDATE
   SET meetings = surveys_meetingrollup.meetings + EXCLUDED.meetings,
       by_mentor = surveys_meetingrollup.by_mentor + EXCLUDED.by_mentor,
       by_mentee = surveys_meetingrollup.by_mentee + EXCLUDED.by_mentee,
       by_both = surveys_meetingrollup.by_both + EXCLUDED.by_both;
"""

DROP = """
DROP TRIGGER IF EXISTS surveys_meeting_rollup_insert ON mentoring_meeting;
DROP TRIGGER IF EXISTS surveys_meeting_rollup_update ON mentoring_meeting;
DROP TRIGGER IF EXISTS surveys_meeting_rollup_delete ON mentoring_meeting;
DROP TRIGGER IF EXISTS surveys_pair_meeting_rollup_update ON mentoring_pair;
DROP TRIGGER IF EXISTS surveys_feedback_meeting_rollup_insert ON surveys_meetingfeedback;
DROP TRIGGER IF EXISTS surveys_feedback_meeting_rollup_update ON surveys_meetingfeedback;
DROP TRIGGER IF EXISTS surveys_feedback_meeting_rollup_delete ON surveys_meetingfeedback;
DROP FUNCTION IF EXISTS surveys_meeting_rollup();
DROP FUNCTION IF EXISTS surveys_pair_meeting_rollup();
DROP FUNCTION IF EXISTS surveys_feedback_meeting_rollup();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0023_bank_organization'),
        ('surveys', '0003_answer_rollups'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('status', models.CharField(max_length=10)),
                ('pair_suspended', models.BooleanField()),
                ('meetings', models.IntegerField(default=0)),
                ('by_mentor', models.IntegerField(default=0)),
                ('by_mentee', models.IntegerField(default=0)),
                ('by_both', models.IntegerField(default=0)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='mentoring.organization')),
            ],
            options={
                'verbose_name': 'свод встреч',
                'verbose_name_plural': 'своды встреч',
                'indexes': [models.Index(condition=models.Q(('meetings', 0)), fields=['id'], name='meeting_rollup_empty')],
                'constraints': [models.UniqueConstraint(fields=('organization', 'month', 'status', 'pair_suspended'), name='meeting_rollup_key')],
            },
        ),
        migrations.RunSQL(INSTALL + FILL, DROP),
    ]
