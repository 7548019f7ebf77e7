"""Cap an upload request before its body is read, and each file in it while it is read.

Django reads a multipart body only when the view first touches ``request.POST`` or
``request.FILES``; by then a 200 MB upload has arrived in full and sits in a temporary file.
``upload_limit`` refuses it earlier, in two steps:

1. **Declared size.** A ``Content-Length`` above ``max_request_bytes`` (plus room for the
   multipart envelope) is answered at once by ``too_large(request)`` (default: the 413 page),
   without reading a byte of the body.
2. **While reading.** An upload handler counts the bytes as they arrive (a client may send the
   body chunked, or lie about its length): past ``max_request_bytes`` it stops reading
   (``request.upload_too_large`` is set and ``FILES`` stays empty); past ``max_file_bytes`` for
   one file it skips that file only, so the other fields and files of the form are kept, and
   records it in ``request.refused_uploads`` (a list of ``(field name, file name)``) for the
   view to explain beside the field.

Usage, on any view that takes a file (the view still checks type and content as before)::

    @upload_limit(max_request_bytes=settings.EVIDENCE_MAX_BYTES, max_file_bytes=settings.EVIDENCE_MAX_BYTES)
    @login_required
    def evidence_upload(request, pk):
        if request.upload_too_large or request.refused_uploads:
            ...  # say so; nothing of the file was stored
        ...

A one-file-per-request endpoint (the phone's evidence upload) sets both limits to the file limit.
The decorator must be the outermost one that could read the body: upload handlers can only be
changed before the body is parsed. It exempts the view from the CSRF middleware and applies the
same CSRF check itself once the handler is in place (the middleware would read the body first).
"""

import functools

from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room for the multipart envelope (boundaries, headers, the other fields of the form).
ENVELOPE = 64 * 1024


class CappedUploadHandler(FileUploadHandler):
    """Count the body as it arrives: stop past the request limit, skip a file past the file limit."""

    def __init__(self, request, *, max_request_bytes, max_file_bytes=None):
        super().__init__(request)
        self.max_request_bytes = max_request_bytes
        self.max_file_bytes = max_file_bytes
        self.received = 0
        self.file_received = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.file_received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        self.file_received += len(raw_data)
        # Only file contents pass through here (the envelope and the text fields do not).
        if self.received > self.max_request_bytes:
            self.request.upload_too_large = True
            # connection_reset: do not read the rest of a body we will not use.
            raise StopUpload(connection_reset=True)
        if self.max_file_bytes is not None and self.file_received > self.max_file_bytes:
            self.request.refused_uploads.append((self.field_name, self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def too_large_page(request):
    return render(request, "413.html", status=413)


def upload_limit(*, max_request_bytes, max_file_bytes=None, too_large=too_large_page):
    """Decorator: refuse a too large upload before its body is read (see the module docstring).

    ``max_request_bytes`` and ``max_file_bytes`` may be callables (read at request time, so that
    tests and deployments can change the settings they come from).
    """

    def value(limit):
        return limit() if callable(limit) else limit

    def decorator(view):
        protected = csrf_protect(view)

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            request.upload_too_large = False
            request.refused_uploads = []
            if request.method in ("POST", "PUT", "PATCH"):
                limit = value(max_request_bytes)
                try:
                    declared = int(request.META.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    declared = 0
                if declared > limit + ENVELOPE:
                    request.upload_too_large = True
                    return too_large(request)
                request.upload_handlers.insert(
                    0,
                    CappedUploadHandler(
                        request, max_request_bytes=limit, max_file_bytes=value(max_file_bytes)
                    ),
                )
                # Read the body now, through the handler: the view finds the flags set.
                request.POST  # noqa: B018
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorator
