"""The production storage of static files (config/storage.py) gives the
manifest's hashed URLs, each worked out once per process."""

import json

import pytest

from config.storage import StaticFilesStorage


def test_static_urls_come_from_the_manifest_once(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {
                "version": "1.1",
                "hash": "x",
                "paths": {"css/site.css": "css/site.0a1b2c3d.css"},
            }
        )
    )
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")

    first = storage.url("css/site.css")
    storage.hashed_files.clear()  # only a URL not asked before reads it again

    assert first == "/static/css/site.0a1b2c3d.css"
    assert storage.url("css/site.css") == first
    for _ in range(2):  # a file missing from the manifest is an error each time
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/gone.css")
