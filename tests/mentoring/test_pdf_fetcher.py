"""Documents quote what users typed: WeasyPrint fetches only our static files."""

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings as django_settings

from mentoring.pdf import render_pdf
from tests.mentoring.orders_helpers import pdf_text

HOSTILE = """{% extends "documents/base.html" %}
{% block head %}
<link rel="stylesheet" href="{{ site }}/evil.css">
<link rel="stylesheet" href="file://{{ outside_css }}">
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="file://{{ base }}/static/../pyproject.toml">
<link rel="attachment" href="static/css/documents.css">
{% endblock head %}
{% block content %}<p>Текст документа</p>{% endblock content %}
"""


@pytest.fixture
def outside_site():
    """A web server the document names; it counts the requests it gets."""
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            body = b'body::before { content: "FROM-OUTSIDE-SITE" }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile_template(settings, tmp_path):
    folder = tmp_path / "templates" / "documents"
    folder.mkdir(parents=True)
    (folder / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    outside_css = tmp_path / "outside.css"
    outside_css.write_text('body::after { content: "FROM-LOCAL-FILE" }')
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]],
        }
    ]
    return {"outside_css": outside_css, "base": django_settings.BASE_DIR}


def attachments(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    listing = subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True
    )
    return listing.stdout


def test_a_document_fetches_no_outside_url_and_no_file_beside_static(
    hostile_template, outside_site, tmp_path
):
    site, asked = outside_site

    content = render_pdf("documents/hostile.html", {"site": site, **hostile_template})

    text = pdf_text(content)
    assert "Текст документа" in text
    assert asked == []
    assert "FROM-OUTSIDE-SITE" not in text
    assert "FROM-LOCAL-FILE" not in text
    embedded = attachments(content, tmp_path)
    # The static file is fetched: the fetcher is not simply refusing all.
    assert "documents.css" in embedded
    assert "passwd" not in embedded
    assert "pyproject" not in embedded
    assert b"root:" not in content
