class IdConverter:
    """Integer ids that fit in a bigint; anything longer is simply not a route (404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
