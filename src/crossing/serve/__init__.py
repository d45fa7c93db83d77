"""`crossing serve` and `crossing class --live`: the story in students' browsers, the lesson in the
teacher's terminal.

An edge like the CLI: it imports the web server (Starlette, uvicorn) and the QR library (segno), which
no other command loads. What a student reads comes from ``crossing.telling``, as in the terminal.
The modules:

- ``room``: the lesson's state: students, their runs, sessions, limits, the live vote (no web code).
- ``pages``: HTML pages, every byte of story text and alias escaped.
- ``app``: the Starlette application (routes, security headers, limits, errors as 4xx).
- ``network``: which address to listen on (``--lan``), and the QR code of the address.
- ``server``: running uvicorn in a thread beside the teacher's terminal.
- ``terminal``: the teacher's live view of the room (Rich).
- ``live``: the vote source for ``crossing class --live``.
"""
