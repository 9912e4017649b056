"""CPU of the district monitoring page around monitoring() (issue 15, item 3).

Run in a plain process (not pytest, whose test client copies each template's
context), against a database holding a generated district, after
`manage.py collectstatic` into STATIC_ROOT (the production storage):

    SECRET_KEY=x SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=localhost \
    STATIC_ROOT=/tmp/static DATABASE_URL=postgres://…/monx \
    .venv/bin/python manage.py shell < scripts/monitoring_page_cpu.py

Prints medians of process CPU (ms) over RUNS (40) rounds, each timing in turn:
the page, monitoring(rows=100) alone, the page with monitoring()'s result
fixed (what is left is the page around it), `/admin/login/` anonymous.
DISTRICT (1) picks the district; its methodologist is created once.
"""

import os
import statistics
import time

from django.test import Client
from django.urls import reverse

from mentoring.models import Role, User
from surveys import views
from surveys.monitoring import Period, monitoring

district = int(os.environ.get("DISTRICT", 1))
user = User.objects.filter(username=f"cpu-methodologist-{district}").first()
if user is None:
    user = User.objects.create_user(
        username=f"cpu-methodologist-{district}",
        role=Role.METHODOLOGIST,
        district_id=district,
    )
year = int(os.environ.get("YEAR", 2025))
client = Client(SERVER_NAME="localhost")
client.force_login(user)
anonymous = Client(SERVER_NAME="localhost")
url = reverse("surveys:monitoring") + f"?year={year}"
live = views.monitoring
fixed = live(user=user, period=Period(year), rows=views.SHOWN_ROWS)


def page():
    assert client.get(url).status_code == 200


def page_around_a_fixed_result():
    views.monitoring = lambda **kwargs: fixed
    try:
        page()
    finally:
        views.monitoring = live


def monitoring_alone():
    monitoring(user=user, period=Period(year), rows=views.SHOWN_ROWS)


def admin_login():
    assert anonymous.get("/admin/login/").status_code == 200


timed = [page, monitoring_alone, page_around_a_fixed_result, admin_login]
for function in timed * 3:
    function()
spent = {function.__name__: [] for function in timed}
for _ in range(int(os.environ.get("RUNS", 40))):
    for function in timed:
        started = time.process_time()
        function()
        spent[function.__name__].append(time.process_time() - started)
median = {name: statistics.median(times) * 1000 for name, times in spent.items()}
for name, ms in median.items():
    print(f"{name:28s} {ms:6.2f} ms CPU (median)")
print(
    f"{'page - monitoring_alone':28s} {median['page'] - median['monitoring_alone']:6.2f}"
)
