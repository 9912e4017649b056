"""Reading the tables schools bring (XLSX, XLS, ODS, CSV) into plain values.

Shared by every import in the project (people, consents, roadmaps): the
importers recognise headers and check values; this package only reads.
"""

from .reader import (  # noqa: F401
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    Table,
    check_size,
    check_unpacked,
    read_table,
)
