class RowIdConverter:
    """A database id in a URL: up to 9 digits, so that no number reaches the database too large
    for its integer column (an error there would be a 500, not the 404 it deserves)."""

    regex = "[0-9]{1,9}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
