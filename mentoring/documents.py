"""Printed documents: each one's template, context and file name (STYLE.md).

Orders, the personalized program of a pair and the consent form a participant
signs. Names in running text take their case through `mentoring.names`;
rendering itself is `mentoring.pdf`'s job.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from mentoring.consent_texts import CURRENT
from mentoring.dates import academic_year, academic_year_end, short_date
from mentoring.models import (
    Consent,
    MentorProfile,
    Order,
    OrderReward,
    Pair,
    Participation,
    Person,
    Program,
    ProgramResult,
)
from mentoring.names import Case, full_name_in, initials_surname
from mentoring.pdf import render_pdf
from mentoring.portfolio import portfolio_providers
from mentoring.selectors import has_valid_transfer_consent
from mentoring.selectors.orders import organization_curator

# File names keep a fixed date format; the text prints dates by the locale's.
FILE_DATE = "%d.%m.%Y"
BLANK_DATE = "«___» ________ 20___ г."

# ---------------------------------------------------------------- file names

# Russian → Latin letters (the passport system of 2014, ГОСТ Р 52535.1-2006
# less the apostrophes), for file names that open everywhere.
_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m",
            "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch",
            "ie", "y", "", "e", "iu", "ia",
        ],
        strict=True,
    )
)  # fmt: skip


def transliterate(text: str) -> str:
    """«Приказ № 63-од» → «prikaz_63-od»: lower case, safe characters only."""
    latin = "".join(_LATIN.get(ch, ch) for ch in text.lower())
    kept = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "-.") else "_" for ch in latin
    )
    return "_".join(part for part in kept.split("_") if part)


def order_filename(order: Order) -> str:
    if order.status == Order.Status.SIGNED:
        return (
            transliterate(
                f"приказ {order.full_number} от {order.signed_on:{FILE_DATE}}"
            )
            + ".pdf"
        )
    return transliterate(f"проект приказа {order.pk}") + ".pdf"


def program_filename(program: Program) -> str:
    mentees = [
        p.person
        for p in program.pair.participations.all()
        if p.role == Participation.Role.MENTEE
    ]
    who = mentees[0].last_name if mentees else str(program.pair_id)
    return (
        transliterate(
            f"программа наставничества {who} от {program.starts_on:{FILE_DATE}}"
        )
        + ".pdf"
    )


def consent_filename(person: Person, purpose: str = Consent.Purpose.PROCESSING) -> str:
    transfer = purpose == Consent.Purpose.TRANSFER
    what = "согласие на передачу" if transfer else "согласие"
    return transliterate(f"{what} {person.short_name}") + ".pdf"


def no_break(text: str) -> str:
    """Keep «№ 517» on one line."""
    return text.replace("№ ", "№\u00a0")


def pairs_for_document(pairs) -> list[Pair]:
    """Pairs with their form and people (and the mentees' bank entries)."""
    return list(
        pairs.select_related("form").prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related(
                    "person__mentee_profile"
                ).order_by("role", "person__last_name", "person__first_name"),
            )
        )
    )


# ---------------------------------------------------------------- orders


def person_post(person: Person) -> str:
    """Position, or the class of a student, as the appendix prints it."""
    if person.category == Person.Category.STUDENT:
        student = (
            _("обучающаяся")
            if person.gender == Person.Gender.FEMALE
            else _("обучающийся")
        )
        if person.school_class:
            return _("%(who)s %(class)s класса") % {
                "who": student,
                "class": person.school_class,
            }
        return student
    return person.position


def order_context(order: Order) -> dict:
    items = []
    for number, item in enumerate(order.items.all(), start=1):
        lines = item.lines
        items.append({"number": number, "head": lines[0], "subs": lines[1:]})
    rows = _pair_rows(order) if order.kind == Order.Kind.PAIRS else []
    if order.kind == Order.Kind.REWARD:
        rows = [
            {
                "number": number,
                "name": reward.person.full_name,
                "post": person_post(reward.person),
                "kind": reward.get_kind_display(),
                "basis": reward.basis,
            }
            for number, reward in enumerate(
                order.rewards.select_related("person").order_by("position", "pk"), 1
            )
        ]
    return {
        **_requisites(order),
        "esign": esign_mark(order),
        "items": items,
        "rows": rows,
        "acquainted": [
            {
                "name": initials_surname(a.person),
                "full_name": a.person.full_name,
                "on": short_date(a.acquainted_on) if a.acquainted_on else "",
            }
            for a in order.acquaintances.select_related("person").order_by(
                "person__last_name", "person__first_name"
            )
        ],
    }


def signed_moment(order: Order) -> str:
    """«01.12.2026 14:05»: when the director signed, local time."""
    signed_at = timezone.localtime(order.decided_at)
    return f"{short_date(signed_at)} {signed_at:%H:%M}"


def esign_mark(order: Order) -> dict | None:
    """The mark of the simple electronic signature and the QR code to its
    verification page (ГОСТ Р 7.0.97-2025), for an order signed in the
    browser; None for a draft and an order signed on paper."""
    if order.status != Order.Status.SIGNED or not order.signature_code:
        return None
    # segno is needed only here and for the slips: imported when printed.
    import segno

    from mentoring.links import absolute_url

    url = absolute_url("mentoring:order-verify", order.signature_code)
    return {
        "code": order.signature_code,
        "position": order.signer_position,
        "name": order.signer_name,
        "signed_at": signed_moment(order),
        "url": url,
        # SVG, embedded as is: sharp at any printer.
        "qr": segno.make(url, error="m").svg_data_uri(border=0),
    }


def _requisites(order: Order) -> dict:
    organization = order.organization
    signed = order.status == Order.Status.SIGNED
    return {
        "order": order,
        "organization": organization,
        "org_name": no_break(organization.full_name),
        "date": short_date(order.signed_on) if signed else BLANK_DATE,
        "number": order.full_number if signed else "______",
        "is_draft": not signed,
        "place": order.place or organization.place,
    }


def _pair_rows(order: Order) -> list[dict]:
    """The appendix of a pair order: a row per pair, numbered as printed."""
    rows = []
    for number, pair in enumerate(pairs_for_document(order.pairs.order_by("pk")), 1):
        roles = list(pair.participations.all())
        rows.append(
            {
                "number": number,
                "pair_id": pair.pk,
                "mentors": [
                    (p.person.full_name, person_post(p.person))
                    for p in roles
                    if p.role == Participation.Role.MENTOR
                ],
                "mentees": [
                    (p.person.full_name, person_post(p.person))
                    for p in roles
                    if p.role == Participation.Role.MENTEE
                ],
                "form": pair.form.name,
                "format": pair.get_format_display(),
                "starts_on": short_date(pair.starts_on) if pair.starts_on else "",
                "ends_on": short_date(pair.ends_on) if pair.ends_on else "",
            }
        )
    return rows


ORDER_TEMPLATES = {
    Order.Kind.PAIRS: "documents/order_pairs.html",
    Order.Kind.REWARD: "documents/order_reward.html",
}


def order_pdf(*, order: Order) -> bytes:
    """Render the order as it reads now (the signed one is stored, not re-rendered)."""
    template = ORDER_TEMPLATES.get(order.kind, "documents/order.html")
    return render_pdf(template, order_context(order))


def order_extract_pdf(
    *,
    order: Order,
    preamble: list[str],
    items: list[dict],
    pair_ids: set[int],
    certifier,
    day: datetime.date,
) -> bytes:
    """An extract (выписка) from the signed order: its requisites, the
    `preamble` and `items` chosen for the person, the appendix rows of
    `pair_ids`, the original signer without a signature, and the
    certification dated `day`."""
    rows = [row for row in _pair_rows(order) if row["pair_id"] in pair_ids]
    return render_pdf(
        "documents/order_extract.html",
        {
            **_requisites(order),
            "preamble": preamble,
            "items": items,
            "rows": rows,
            "certifier": certifier,
            "day": short_date(day),
        },
    )


def order_extract_filename(order: Order, person: Person) -> str:
    return (
        transliterate(
            f"выписка из приказа {order.full_number} от "
            f"{order.signed_on:{FILE_DATE}} {person.last_name}"
        )
        + ".pdf"
    )


# ---------------------------------------------------------------- program


def program_context(program: Program) -> dict:
    pair = program.pair
    roles = list(pair.participations.all())
    mentors = [p.person for p in roles if p.role == Participation.Role.MENTOR]
    mentees = [p.person for p in roles if p.role == Participation.Role.MENTEE]
    order = (
        pair.order if pair.order and pair.order.status == Order.Status.SIGNED else None
    )

    def card(person: Person) -> dict:
        years = person.experience_years()
        return {
            "name": person.full_name,
            "short": initials_surname(person),
            "post": person_post(person),
            "experience": years,
            "qualification": person.get_qualification_display(),
        }

    curator = organization_curator(organization=pair.organization)
    return {
        "program": program,
        "pair": pair,
        # Who agrees the program (СОГЛАСОВАНО) and signs under it.
        "curator": initials_surname(curator) if curator else "",
        "organization": pair.organization,
        "mentors": [card(p) for p in mentors],
        "mentees": [card(p) for p in mentees],
        "mentee_names_genitive": ", ".join(
            full_name_in(p, Case.GENITIVE) for p in mentees
        ),
        "order": order,
        "starts_on": short_date(program.starts_on),
        "ends_on": short_date(program.ends_on),
        "approved_on": short_date(program.approved_on) if program.approved_on else "",
        "tasks": [t for t in program.tasks.splitlines() if t.strip()],
        "difficulties": [t for t in program.difficulties.splitlines() if t.strip()],
        "items": [
            {
                "number": number,
                "direction": item.direction,
                "content": item.content,
                "due_on": short_date(item.due_on),
                "form": item.form,
                "expected_result": item.expected_result,
                "mark": item.get_status_display()
                + (f" {short_date(item.done_on)}" if item.done_on else ""),
            }
            for number, item in enumerate(program.items.all(), start=1)
        ],
    }


def program_pdf(*, program: Program) -> bytes:
    return render_pdf("documents/program.html", program_context(program))


# ---------------------------------------------------------------- consent

# 152-ФЗ ст. 9 ч. 4 п. 5: the personal data the program processes.
CONSENT_DATA = [
    _("фамилия, имя, отчество"),
    _("дата рождения"),
    _("должность, место работы или класс (группа) обучения"),
    _("сведения о педагогическом стаже, квалификационной категории, образовании"),
    _("контактный телефон, адрес электронной почты"),
    _(
        "сведения об участии в программе наставничества: профессиональные или "
        "образовательные запросы, результаты анкетирования, встреч и мониторинга"
    ),
]
# Transfer (156-ФЗ: its own consent) is not among the processing actions.
CONSENT_ACTIONS = _(
    "сбор, запись, систематизация, накопление, хранение, уточнение (обновление, "
    "изменение), извлечение, использование, обезличивание, блокирование, "
    "удаление, уничтожение; обработка смешанная, с использованием средств "
    "автоматизации и без них"
)
CONSENT_PURPOSES = _(
    "организация и сопровождение наставнической деятельности, формирование "
    "банков наставников и наставляемых, наставнических пар (групп), "
    "персонализированных программ наставничества, мониторинг и отчётность "
    "по программе наставничества"
)
# Who outside the school receives person-level data of the programme.
TRANSFER_RECIPIENTS = [
    _(
        "орган местного самоуправления, осуществляющий управление в сфере "
        "образования (муниципальный методист по наставничеству)"
    ),
    _(
        "региональный наставнический центр (центр непрерывного повышения "
        "профессионального мастерства педагогических работников)"
    ),
]
TRANSFER_DATA = [
    _("фамилия, имя, отчество"),
    _("должность или класс (группа) обучения"),
    _(
        "сведения об участии в программе наставничества: роль, форма "
        "наставничества, наставническая пара (группа), сроки, результаты "
        "мониторинга"
    ),
]
TRANSFER_PURPOSES = _(
    "мониторинг реализации целевой модели наставничества в районе и субъекте "
    "Российской Федерации, методическое сопровождение наставников, учёт "
    "наставников для поощрения"
)
TRANSFER_ACTIONS = _(
    "предоставление доступа к сведениям в информационной системе «Наставник» "
    "и передача списков в электронной форме по защищённым каналам связи"
)


def consent_context(
    person: Person, *, purpose: str, day: datetime.date | None = None
) -> dict:
    day = day or timezone.localdate()
    minor = person.is_minor(day)
    transfer = purpose == Consent.Purpose.TRANSFER
    return {
        "person": person,
        "organization": person.organization,
        "minor": minor,
        "representative": person.legal_representative,
        "subject_genitive": full_name_in(person, Case.GENITIVE),
        "minor_word": _("несовершеннолетней")
        if person.gender == Person.Gender.FEMALE
        else _("несовершеннолетнего"),
        "data": TRANSFER_DATA if transfer else CONSENT_DATA,
        "actions": TRANSFER_ACTIONS if transfer else CONSENT_ACTIONS,
        "purposes": TRANSFER_PURPOSES if transfer else CONSENT_PURPOSES,
        "recipients": TRANSFER_RECIPIENTS,
        "year_end": short_date(academic_year_end(academic_year(day))),
        "version": CURRENT[purpose].version,
    }


def consent_pdf(
    *, people: list[Person], purpose: str = Consent.Purpose.PROCESSING
) -> bytes:
    """The forms of one purpose, one per person, each on its own page.

    Processing and transfer are separate documents (156-ФЗ): each its own
    file, its own text and signature.
    """
    return render_pdf(
        CURRENT[purpose].template,
        {"forms": [consent_context(p, purpose=purpose) for p in people]},
    )


# ---------------------------------------------------------------- login slips


def login_slips_context(slips) -> dict:
    """Slips for people without e-mail: each `IssuedLogin` with its QR code."""
    # segno is needed only here: imported when slips are printed.
    import segno

    from mentoring.links import absolute_url

    return {
        "slips": [
            {
                "person": slip.person,
                "organization": slip.person.organization,
                "login": slip.user.username,
                "code": slip.code_display,
                "expires_on": short_date(timezone.localdate(slip.expires_at)),
                # SVG, embedded as is: no raster step, sharp at any printer.
                "qr": segno.make(slip.url, error="m").svg_data_uri(border=0),
            }
            for slip in slips
        ],
        "code_url": absolute_url("mentoring:invitation-code"),
        "login_url": absolute_url("login"),
    }


def login_slips_pdf(*, slips) -> bytes:
    return render_pdf("documents/login_slips.html", login_slips_context(slips))


def login_slips_filename() -> str:
    return (
        transliterate(f"бланки входа {timezone.localdate().strftime(FILE_DATE)}")
        + ".pdf"
    )


# ---------------------------------------------------------------- destruction

DESTRUCTION_SYSTEM = _(
    "информационная система «Наставник» (сопровождение программы наставничества "
    "образовательной организации)"
)
DESTRUCTION_METHOD = _(
    "обезличивание записей базы данных информационной системы: фамилия, имя, "
    "отчество заменены номером записи, остальные перечисленные сведения стёрты "
    "без возможности восстановления средствами системы; файлы сканов удалены с "
    "носителя сервера. Обезличенные записи о парах, встречах и ответах на анкеты "
    "сохранены для сводной отчётности."
)
# Members of the commission sign by hand: as many lines as a school's
# commission usually has besides its chair.
COMMISSION_MEMBERS = 2


def _moment(at: datetime.datetime) -> str:
    return date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")


def destruction_act_context(act) -> dict:
    performed_by = (
        _("пользователем %(who)s") % {"who": act.destroyed_by.get_full_name()}
        if act.destroyed_by and act.destroyed_by.get_full_name()
        else _("автоматически ежедневной процедурой информационной системы")
    )
    journal = [
        {
            "at": _moment(datetime.datetime.fromisoformat(at)),
            "event": _("уничтожение (обезличивание) персональных данных"),
            "person": entry["person"],
        }
        for entry in act.entries
        for at, _action in entry.get("journal", [])
    ]
    return {
        "act": act,
        "organization": act.organization,
        "date": short_date(timezone.localdate(act.destroyed_at)),
        "destroyed_at": _moment(act.destroyed_at),
        "performed_by": performed_by,
        "system": DESTRUCTION_SYSTEM,
        "method": DESTRUCTION_METHOD,
        "entries": act.entries,
        "count": len(act.entries),
        "members": range(COMMISSION_MEMBERS),
        "journal": journal,
    }


def destruction_act_pdf(*, act) -> bytes:
    return render_pdf("documents/destruction_act.html", destruction_act_context(act))


def destruction_act_filename(act) -> str:
    day = timezone.localdate(act.destroyed_at).strftime(FILE_DATE)
    return transliterate(f"акт об уничтожении пдн {act.number} от {day}") + ".pdf"


# ---------------------------------------------------------------- agreement


def agreement_context(agreement) -> dict:
    """The mentor's agreement (ТК РФ ст. 351.8): the parties, the mentees,
    the form, content, term and pay, the basis and both signatures."""
    pair = agreement.pair
    organization = pair.organization
    mentor = agreement.mentor
    mentees = [
        p.person
        for p in pair.participations.all()
        if p.role == Participation.Role.MENTEE
    ]
    # The written consent the agreement rests on, if the school recorded it.
    consent = (
        Consent.objects.valid_on(agreement.concluded_on or timezone.localdate())
        .filter(person=mentor, kind=Consent.Kind.MENTOR_DUTIES)
        .order_by("-given_on")
        .first()
    )
    order = pair.order
    return {
        "agreement": agreement,
        "organization": organization,
        "org_name": no_break(organization.full_name),
        "place": organization.place,
        "date": short_date(agreement.concluded_on)
        if agreement.concluded_on
        else BLANK_DATE,
        "contract_date": short_date(agreement.contract_date)
        if agreement.contract_date
        else "",
        "mentor": {
            "name": mentor.full_name,
            "short": initials_surname(mentor),
            "post": person_post(mentor),
        },
        "mentees": [
            {"name": person.full_name, "post": person_post(person)}
            for person in mentees
        ],
        "form": pair.form.name,
        "format": pair.get_format_display(),
        "content": [line for line in agreement.content.splitlines() if line.strip()],
        "starts_on": short_date(agreement.starts_on),
        "ends_on": short_date(agreement.ends_on),
        "pay_value": agreement.pay_value_text,
        "other_terms": [
            line for line in agreement.other_terms.splitlines() if line.strip()
        ],
        "order": order if order and order.status == Order.Status.SIGNED else None,
        "consent_on": short_date(consent.given_on) if consent else "",
    }


def agreement_pdf(*, agreement) -> bytes:
    return render_pdf("documents/mentor_agreement.html", agreement_context(agreement))


def agreement_filename(agreement) -> str:
    return (
        transliterate(
            f"соглашение о наставничестве {agreement.mentor.last_name} "
            f"пара {agreement.pair_id}"
        )
        + ".pdf"
    )


# ---------------------------------------------------------------- portfolio


def _portfolio_mentee(person: Person, *, named: bool) -> str:
    """A mentee as the portfolio names them. The portfolio leaves the school
    for the attestation commission, a third party: a mentee is named only on
    their consent to transfer (156-ФЗ), and a pupil never, by class only."""
    post = person_post(person)
    if person.category == Person.Category.STUDENT or not named:
        return post or _("наставляемый")
    return f"{person.full_name}, {post}" if post else person.full_name


def _term(starts_on, ends_on) -> str:
    if starts_on and ends_on:
        return _("с %(start)s по %(end)s") % {
            "start": short_date(starts_on),
            "end": short_date(ends_on),
        }
    if starts_on:
        return _("с %(start)s") % {"start": short_date(starts_on)}
    return ""


def _section_cell(value) -> str:
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=1)
    if isinstance(value, datetime.datetime):
        return short_date(timezone.localtime(value))
    if isinstance(value, datetime.date):
        return short_date(value)
    return "" if value is None else str(value)


def portfolio_context(person: Person, *, day: datetime.date | None = None) -> dict:
    """A mentor's portfolio of mentoring for аттестация: their pairs, the
    programs completed with results, the feedback received (from the
    registered providers), training and rewards of signed orders; the
    curator certifies it."""
    day = day or timezone.localdate()
    organization = person.organization
    profile = MentorProfile.objects.filter(person=person).first()
    pairs = pairs_for_document(
        Pair.objects.filter(
            participations__person=person,
            participations__role=Participation.Role.MENTOR,
        ).order_by("starts_on", "pk")
    )
    results = list(
        ProgramResult.objects.filter(person=person, role=Participation.Role.MENTOR)
        .select_related("program__pair")
        .order_by("completed_on", "pk")
    )
    mentee_ids = {
        p.person_id
        for pair in pairs
        for p in pair.participations.all()
        if p.role == Participation.Role.MENTEE
    }
    named = set(
        Person.objects.filter(pk__in=mentee_ids)
        .filter(has_valid_transfer_consent(day))
        .values_list("pk", flat=True)
    )
    mentees_of = {
        pair.pk: [
            _portfolio_mentee(p.person, named=p.person_id in named)
            for p in pair.participations.all()
            if p.role == Participation.Role.MENTEE
        ]
        for pair in pairs
    }
    trainings = (
        list(profile.trainings.order_by("completed_on", "pk")) if profile else []
    )
    rewards = list(
        OrderReward.objects.filter(person=person, order__status=Order.Status.SIGNED)
        .select_related("order")
        .order_by("order__signed_on", "order__pk", "position")
    )
    outcomes = [r.outcome for r in results]
    feedback = [
        {
            "title": section.title,
            "columns": [str(c) for c in section.columns],
            "rows": [[_section_cell(v) for v in row] for row in section.rows],
        }
        for provider in portfolio_providers()
        for section in provider(person=person)
    ]
    curator = organization_curator(organization=organization)
    years = person.experience_years(day)
    return {
        "person": person,
        "organization": organization,
        "org_name": no_break(organization.full_name),
        "place": organization.place,
        "date": short_date(day),
        "name_genitive": full_name_in(person, Case.GENITIVE),
        "post": person_post(person),
        "experience": years,
        "qualification": person.get_qualification_display(),
        "in_bank_since": short_date(profile.entered_on) if profile else "",
        "competencies": profile.competencies if profile else "",
        "totals": {
            "pairs": len(pairs),
            "mentees": len(mentee_ids),
            "active": sum(1 for p in pairs if p.status == Pair.Status.ACTIVE),
            "completed": len(results),
            "done": outcomes.count(Program.Status.DONE),
            "partially": outcomes.count(Program.Status.PARTIALLY_DONE),
            "not_done": outcomes.count(Program.Status.NOT_DONE),
            "trainings": len(trainings),
            "hours": sum(t.hours or 0 for t in trainings),
            "rewards": len(rewards),
        },
        "pairs": [
            {
                "number": number,
                "pair_id": pair.pk,
                "mentees": mentees_of[pair.pk],
                "form": pair.form.name,
                "format": pair.get_format_display(),
                "term": _term(pair.starts_on, pair.closed_on or pair.ends_on),
                "status": pair.get_status_display(),
            }
            for number, pair in enumerate(pairs, start=1)
        ],
        "results": [
            {
                "number": number,
                "pair_id": result.program.pair_id,
                "subject": result.subject,
                "mentees": mentees_of.get(result.program.pair_id, []),
                "form": result.form,
                "completed_on": short_date(result.completed_on),
                "outcome": result.get_outcome_display(),
                "summary": [
                    line for line in result.summary.splitlines() if line.strip()
                ],
                "documents": result.document_lines,
            }
            for number, result in enumerate(results, start=1)
        ],
        "feedback": feedback,
        "trainings": [
            {
                "number": number,
                "on": short_date(training.completed_on),
                "kind": training.get_kind_display(),
                "programme": training.programme,
                "hours": training.hours or "",
                "certificate": training.certificate,
            }
            for number, training in enumerate(trainings, start=1)
        ],
        "rewards": [
            {
                "number": number,
                "order": _("от %(day)s № %(number)s")
                % {
                    "day": short_date(reward.order.signed_on),
                    "number": reward.order.full_number,
                },
                "title": reward.order.title,
                "kind": reward.get_kind_display(),
                "basis": reward.basis,
            }
            for number, reward in enumerate(rewards, start=1)
        ],
        "curator": initials_surname(curator) if curator else "",
        "curator_post": _("Куратор программы наставничества"),
    }


def portfolio_pdf(*, person: Person, day: datetime.date | None = None) -> bytes:
    return render_pdf("documents/portfolio.html", portfolio_context(person, day=day))


def portfolio_filename(person: Person) -> str:
    return (
        transliterate(
            f"портфолио наставника {person.last_name} "
            f"{timezone.localdate().strftime(FILE_DATE)}"
        )
        + ".pdf"
    )
