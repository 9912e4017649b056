"""The static files' storage: whitenoise's, each file's URL worked out once."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Every page asked the manifest for the same URLs again: `{% static %}`
    is a lookup, a quote and a urljoin each, some 20 µs, five to ten times a
    page (issue 15). The manifest is read once, when the process starts;
    so, here, is each URL it gives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
