"""Documents a form of mentoring requires, and the participants' documents.

Seeds the requirements the catalogue's forms need: an adult from outside the
school (an employer's specialist, a university student) mentoring a minor
brings a certificate of no criminal record (ТК РФ ст. 351.1 bars people with
certain records from work with minors; for outside mentors the school asks for
it by its own act). The law sets no term for the certificate: 12 months from
issue is the default a school can change in the admin.
"""

import django.contrib.postgres.fields
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import mentoring.models.base
from django.conf import settings
from django.db import migrations, models


# form code, side, categories, only when the other side is a minor, months
REQUIREMENTS = [
    ("employer-student", "mentor", ["employer"], True, 12),
    ("university-student", "mentor", ["university_student"], True, 12),
    # A college student of 16 or 17 mentored by an employer's specialist.
    ("employer-university", "mentor", ["employer"], True, 12),
]
KIND = "criminal_record"
BASIS = "ст. 351.1 ТК РФ; локальный акт организации"


def seed_requirements(apps, schema_editor):
    MentoringForm = apps.get_model("mentoring", "MentoringForm")
    DocumentRequirement = apps.get_model("mentoring", "DocumentRequirement")
    forms = {f.code: f for f in MentoringForm.objects.all()}
    for code, side, categories, only_with_minor, months in REQUIREMENTS:
        if code not in forms:
            continue
        DocumentRequirement.objects.update_or_create(
            form=forms[code],
            kind=KIND,
            side=side,
            defaults={
                "categories": categories,
                "only_with_minor": only_with_minor,
                "valid_months": months,
                "basis": BASIS,
            },
        )


def unseed_requirements(apps, schema_editor):
    DocumentRequirement = apps.get_model("mentoring", "DocumentRequirement")
    for code, side, _categories, _minor, _months in REQUIREMENTS:
        DocumentRequirement.objects.filter(
            form__code=code, kind=KIND, side=side
        ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0009_consent_consequences'),
    ]

    operations = [
        migrations.CreateModel(
            name='DocumentRequirement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('criminal_record', 'Справка о наличии (отсутствии) судимости')], max_length=30, verbose_name='документ')),
                ('side', models.CharField(choices=[('mentor', 'Наставник'), ('mentee', 'Наставляемый')], default='mentor', max_length=10, verbose_name='от кого')),
                ('categories', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('teacher', 'Педагогический работник'), ('student', 'Обучающийся'), ('university_student', 'Студент'), ('employer', 'Представитель работодателя'), ('other', 'Иной')], max_length=20), blank=True, default=list, help_text='Пусто — от всех участников этой стороны.', size=None, verbose_name='категории участников')),
                ('only_with_minor', models.BooleanField(default=True, verbose_name='только если с другой стороны несовершеннолетний')),
                ('valid_months', models.PositiveSmallIntegerField(blank=True, help_text='Срок, который принимает организация. Пусто — без срока, пока документ не заменён.', null=True, validators=[django.core.validators.MaxValueValidator(120)], verbose_name='действует, месяцев с даты выдачи')),
                ('basis', models.CharField(blank=True, help_text='Например «ст. 351.1 ТК РФ».', max_length=255, verbose_name='основание')),
                ('is_active', models.BooleanField(default=True, verbose_name='действует')),
                ('form', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='document_requirements', to='mentoring.mentoringform', verbose_name='форма наставничества')),
            ],
            options={
                'verbose_name': 'документ, требуемый формой',
                'verbose_name_plural': 'документы, требуемые формами',
                'ordering': ['form__position', 'form__name', 'side', 'kind'],
                'constraints': [models.UniqueConstraint(fields=('form', 'kind', 'side'), name='document_requirement_unique', violation_error_message='Этот документ для этой стороны формы уже требуется.'), models.CheckConstraint(condition=models.Q(('valid_months__isnull', True), models.Q(('valid_months__gte', 1), ('valid_months__lte', 120)), _connector='OR'), name='document_requirement_months_range', violation_error_message='Срок действия — от 1 до 120 месяцев или без срока.')],
            },
        ),
        migrations.CreateModel(
            name='PersonDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('criminal_record', 'Справка о наличии (отсутствии) судимости')], max_length=30, verbose_name='документ')),
                ('number', models.CharField(blank=True, max_length=50, verbose_name='номер')),
                ('issued_on', models.DateField(verbose_name='дата выдачи')),
                ('valid_until', models.DateField(blank=True, help_text='Если пусто — по сроку, который требуют формы наставничества (месяцев с даты выдачи).', null=True, verbose_name='действует до')),
                ('issued_by', models.CharField(blank=True, help_text='Например «ГУ МВД России по г. Санкт-Петербургу».', max_length=255, verbose_name='кем выдан')),
                ('scan', models.FileField(blank=True, help_text='PDF, JPG или PNG, не больше 10 МБ.', upload_to=mentoring.models.base.private_upload_path, validators=[django.core.validators.FileExtensionValidator(['pdf', 'jpg', 'jpeg', 'png']), mentoring.models.base.limit_upload_size], verbose_name='скан документа')),
                ('replaced_at', models.DateTimeField(blank=True, null=True, verbose_name='заменён')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='внесено в систему')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='mentoring.person', verbose_name='участник')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='внесено')),
            ],
            options={
                'verbose_name': 'документ участника',
                'verbose_name_plural': 'документы участников',
                'ordering': ['-issued_on', '-pk'],
                'indexes': [models.Index(fields=['valid_until'], name='person_document_until')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('replaced_at__isnull', True)), fields=('person', 'kind'), name='person_document_one_current_per_kind', violation_error_message='У участника уже есть такой документ: замените его новым.'), models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), ('valid_until__gte', models.F('issued_on')), _connector='OR'), name='person_document_valid_after_issued', violation_error_message='Документ не может перестать действовать раньше даты выдачи.')],
            },
        ),
        migrations.RunPython(seed_requirements, unseed_requirements),
    ]
