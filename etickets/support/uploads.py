"""Reading a problem report's upload without tripping Django's own limits, which answer a bare
400 before the form can say what is wrong."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class FileCountLimit(FileUploadHandler):
    """Stops reading the request at the first file past ``limit``.

    The fields sent before the files (the CSRF token, the description) are kept, and so are the
    first ``limit`` files: the form can then say « at most 5 » with the description still in
    it. DATA_UPLOAD_MAX_NUMBER_FILES (100), which would throw everything away, is never reached.
    """

    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.count = 0
        self.overflowed = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.count += 1
        if self.count > self.limit:
            self.overflowed = True
            raise StopUpload(connection_reset=False)  # reads and drops the rest of the body

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # the next handlers store the file

    def file_complete(self, file_size):
        return None
