"""Reading a problem report's upload without tripping Django's own limits, which answer a bare
400 before the form can say what is wrong."""

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class ReportUploadLimit(FileUploadHandler):
    """Refuses a body over ``max_bytes`` before reading any of it, and stops reading at the
    first file past ``max_files``.

    Django itself caps only the fields' size, not the files': without the first check, any
    body is read (to temporary files) before the screenshots' size can be refused. Past the
    second, the fields sent before the files (the CSRF token, the description) are kept, and
    so are the first ``max_files`` files: the form can then say « at most 5 » with the
    description still in it. DATA_UPLOAD_MAX_NUMBER_FILES (100), which would throw everything
    away, is never reached.
    """

    def __init__(self, max_files: int, max_bytes: int, request=None):
        super().__init__(request)
        self.max_files = max_files
        self.max_bytes = max_bytes
        self.count = 0
        self.overflowed = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Content-Length bounds what Django reads: a body cannot be longer than it says.
        if content_length > self.max_bytes:
            raise RequestDataTooBig("Request body exceeded the problem report's limit.")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.count += 1
        if self.count > self.max_files:
            self.overflowed = True
            raise StopUpload(connection_reset=False)  # reads and drops the rest of the body

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # the next handlers store the file

    def file_complete(self, file_size):
        return None
