"""Parsers: source text -> Document (plain data plus a span for every value)."""

# Deeper nesting than this is refused with an InputError: real templates stay far below it, and
# every later stage may then recurse over the data without hitting Python's recursion limit.
MAX_DEPTH = 200
