"""A small asyncio HTTP client that replays logged-in users (tests/perf/bench_load.py).

Standard library only: each request opens a loopback connection, sends one
HTTP/1.1 request as the TLS proxy in front of the app would pass it on
(Host, X-Forwarded-Proto), reads the answer to the end and closes. A user
keeps its own cookies (the session, the CSRF token) and picks its next page
at random by weight, without pausing: 50 users are 50 requests in flight.
A run is bounded in seconds and in requests; a server that does not answer
ends it with ServerDown and a message saying so.
"""

import asyncio
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

HOST = "nastavnik.example.ru"
TIMEOUT = 30.0
# A server refusing connections for this long with no answer ends the run.
DOWN_AFTER = 10.0
# One feedback in this many is posted twice at once (a double click).
DOUBLE_EVERY = 5
UNAVAILABLE = "Сервис временно недоступен"
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class ServerDown(Exception):
    pass


@dataclass
class User:
    name: str
    session: str
    # (endpoint's name, URL, weight)
    pages: list[tuple[str, str, int]]
    # Feedback form URLs still due; a run takes them from the front.
    feedback: list[str] = field(default_factory=list)
    feedback_data: dict[str, str] = field(default_factory=dict)
    feedback_weight: int = 0

    def visitor(self, url: str) -> "User":
        """A user without a session asking for one page (the floor)."""
        return User(name=f"visitor-{self.name}", session="", pages=[(url, url, 1)])


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str:
        return (self.headers.get(name.lower()) or [""])[0]


@dataclass
class Result:
    seconds: float = 0.0
    # (endpoint, seconds taken, status, started at, from the run's start)
    samples: list[tuple[str, float, int, float]] = field(default_factory=list)
    errors: dict[str, Counter] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    feedback_saved: set[int] = field(default_factory=set)
    feedback_tried: set[int] = field(default_factory=set)
    doubled: int = 0
    first_503: float | None = None
    last_503: float | None = None
    unavailable_pages_russian: bool = True
    event_done: float | None = None
    ok_after_event: bool = False

    @property
    def throughput(self) -> float:
        return len(self.samples) / self.seconds

    def percentile(self, p: float, endpoint: str | None = None) -> float:
        times = sorted(
            taken for name, taken, _s, _a in self.samples if endpoint in (None, name)
        )
        if not times:
            return 0.0
        return times[min(len(times) - 1, round(p / 100 * (len(times) - 1)))]

    def error(self, endpoint: str, what: str) -> None:
        self.errors.setdefault(endpoint, Counter())[what] += 1

    def lines(self) -> list[str]:
        endpoints = sorted({name for name, *_ in self.samples})
        width = max([len(name) for name in endpoints] + [5])
        head = (
            f"{'page':<{width}} | {'requests':>8} | {'req/s':>6} | {'mean ms':>7} | "
            f"{'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} | errors"
        )
        lines = [head, "-" * len(head)]
        for name in [*endpoints, None]:
            taken = [t for n, t, _s, _a in self.samples if name in (None, n)]
            errors = (
                sum(self.errors.get(name, Counter()).values())
                if name
                else sum(sum(c.values()) for c in self.errors.values())
            )
            label = name or "all"
            lines.append(
                f"{label:<{width}} | {len(taken):>8} | "
                f"{len(taken) / self.seconds:>6.1f} | "
                f"{statistics.fmean(taken) * 1000 if taken else 0:>7.0f} | "
                f"{self.percentile(50, name) * 1000:>7.0f} | "
                f"{self.percentile(95, name) * 1000:>7.0f} | "
                f"{self.percentile(99, name) * 1000:>7.0f} | {errors}"
            )
        for name, counter in sorted(self.errors.items()):
            lines.append(f"  errors of {name}: {dict(counter)}")
        if self.statuses.get(503):
            lines.append(f"  503 answers: {self.statuses[503]}")
        return lines


async def fetch(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str],
    form: dict[str, str] | None = None,
) -> Answer:
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port), TIMEOUT
    )
    try:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {HOST}",
            "X-Forwarded-Proto: https",
            "Connection: close",
            "User-Agent: nastavnik-load",
        ]
        if cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                # Django's CSRF check on HTTPS compares the origin with the host.
                f"Origin: https://{HOST}",
                f"Referer: https://{HOST}{path}",
            ]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        data = await asyncio.wait_for(reader.read(), TIMEOUT)
    finally:
        writer.close()
    head, _, content = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in (headers.get("transfer-encoding") or [""])[0]:
        content = _unchunk(content)
    return Answer(int(status_line.split()[1]), headers, content)


def _unchunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


class Run:
    def __init__(self, port, users, *, seconds, max_requests, event):
        self.port = port
        self.users = users
        self.seconds = seconds
        self.budget = max_requests
        self.event = event
        self.result = Result()
        self.started = 0.0
        self.deadline = 0.0
        self.last_answer = 0.0
        self.down: str | None = None

    def now(self) -> float:
        return time.monotonic() - self.started

    def running(self) -> bool:
        return (
            self.down is None and time.monotonic() < self.deadline and self.budget > 0
        )

    async def request(self, endpoint, method, path, cookies, form=None):
        """One timed request; None when it failed before an answer."""
        self.budget -= 1
        at = self.now()
        started = time.perf_counter()
        try:
            answer = await fetch(self.port, method, path, cookies=cookies, form=form)
        except (OSError, TimeoutError, ValueError, IndexError) as error:
            self.result.error(endpoint, type(error).__name__)
            if (
                isinstance(error, ConnectionRefusedError)
                and time.monotonic() - self.last_answer > DOWN_AFTER
            ):
                self.down = (
                    f"the server on 127.0.0.1:{self.port} refused connections for "
                    f"over {DOWN_AFTER:.0f} s: is it running? The run ended."
                )
            return None
        taken = time.perf_counter() - started
        self.last_answer = time.monotonic()
        self.result.samples.append((endpoint, taken, answer.status, at))
        self.result.statuses[answer.status] += 1
        for cookie in answer.headers.get("set-cookie", []):
            name, _, value = cookie.split(";")[0].partition("=")
            if value:
                cookies[name] = value
        if answer.status == 503:
            self.result.first_503 = self.result.first_503 or at
            self.result.last_503 = at + taken
            if UNAVAILABLE not in answer.body.decode(errors="replace"):
                self.result.unavailable_pages_russian = False
        elif answer.status == 200 and at > (self.result.event_done or self.seconds):
            self.result.ok_after_event = True
        return answer

    def check(self, endpoint: str, answer: Answer | None, expected: int) -> bool:
        if answer is None:
            return False
        if answer.status == 503 and self.event is not None:
            return False  # the outage announced, in the restart run
        if answer.status != expected:
            where = answer.header("location")
            self.result.error(endpoint, f"{answer.status} {where}".strip())
            return False
        return True

    async def page(self, cookies, endpoint, url):
        answer = await self.request(endpoint, "GET", url, cookies)
        self.check(endpoint, answer, 200)

    async def feedback(self, user: User, cookies, rng: random.Random):
        url = user.feedback.pop(0)
        meeting = int(url.rstrip("/").split("/")[-2])
        form = await self.request("feedback form", "GET", url, cookies)
        if form is not None and form.status == 302:
            # Already saved (a post answered by the 503 page had been saved).
            self.result.feedback_saved.add(meeting)
            return
        if not self.check("feedback form", form, 200):
            user.feedback.insert(0, url)  # the user comes back to it later
            return
        token = CSRF_FIELD.search(form.body)
        if token is None:
            self.result.error("feedback form", "no CSRF token")
            return
        data = {"csrfmiddlewaretoken": token.group(1).decode(), **user.feedback_data}
        self.result.feedback_tried.add(meeting)
        times = 2 if rng.randrange(DOUBLE_EVERY) == 0 else 1
        self.result.doubled += times == 2
        answers = await asyncio.gather(
            *[
                self.request("feedback POST", "POST", url, dict(cookies), data)
                for _ in range(times)
            ]
        )
        saved = False
        for answer in answers:
            if not self.check("feedback POST", answer, 302):
                continue
            location = answer.header("location")
            if location.rstrip("/").endswith("/my"):
                saved = True
            elif "/my/pairs/" not in location:
                self.result.error("feedback POST", f"302 {location}")
        if saved:
            self.result.feedback_saved.add(meeting)
        elif all(a is None or a.status == 503 for a in answers):
            user.feedback.insert(0, url)

    async def user(self, user: User, rng: random.Random):
        cookies = {"sessionid": user.session} if user.session else {}
        while self.running():
            weights = [weight for *_page, weight in user.pages]
            if user.feedback:
                weights.append(user.feedback_weight)
            choice = rng.choices(range(len(weights)), weights)[0]
            if choice == len(user.pages):
                await self.feedback(user, cookies, rng)
            else:
                endpoint, url, _weight = user.pages[choice]
                await self.page(cookies, endpoint, url)

    async def happen(self):
        at, action = self.event
        await asyncio.sleep(at)
        await asyncio.to_thread(action)
        self.result.event_done = self.now()

    async def go(self) -> Result:
        try:
            await fetch(self.port, "GET", "/admin/login/", cookies={})
        except OSError as error:
            raise ServerDown(
                f"the server on 127.0.0.1:{self.port} does not answer ({error}): "
                "nothing was run."
            ) from error
        self.started = self.last_answer = time.monotonic()
        self.deadline = self.started + self.seconds
        tasks = [
            self.user(user, random.Random(index))
            for index, user in enumerate(self.users)
        ]
        if self.event is not None:
            tasks.append(self.happen())
        await asyncio.gather(*tasks)
        self.result.seconds = self.now()
        if self.down:
            raise ServerDown(self.down)
        return self.result


async def run_load(
    port: int,
    users: list[User],
    *,
    seconds: float,
    max_requests: int,
    event: tuple[float, Callable[[], None]] | None = None,
) -> Result:
    """Replay the users against the server for `seconds` or `max_requests`;
    `event` is (seconds from the start, a blocking action) run meanwhile."""
    return await Run(
        port, users, seconds=seconds, max_requests=max_requests, event=event
    ).go()
