"""Names that collide once they are Python: schema classes (E217) and properties (E218).

The conversions are generator.naming's, the very ones the IR uses, so what
passes here cannot collide in the generated code. A name that is a keyword
alone (a property ``class``) is fine: it becomes ``class_``; only a collision
(with a property ``class_``) is an error.
"""

from __future__ import annotations

import keyword
from typing import Callable, Iterable, Iterator

from generator.diagnostics import Diagnostic
from generator.loader import Pointer
from generator.naming import attribute_name, class_name
from generator.validate.document import Document

__all__ = ["check_class_names", "check_property_names"]


def check_class_names(doc: Document) -> Iterator[Diagnostic]:
    components = doc.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(schemas, dict):
        pointer = ("components", "schemas")
        yield from _collisions(doc, pointer, schemas, class_name, "E217", "schemas", "class")


def check_property_names(doc: Document) -> Iterator[Diagnostic]:
    for pointer, schema in doc.schemas:
        properties = schema.get("properties")
        if isinstance(properties, dict) and len(properties) > 1:
            yield from _collisions(doc, (*pointer, "properties"), properties, attribute_name,
                                   "E218", "properties", "Python name")


def _collisions(doc: Document, pointer: Pointer, names: Iterable[str],
                convert: Callable[[str], str], code: str, plural: str,
                what: str) -> Iterator[Diagnostic]:
    first: dict[str, str] = {}
    for name in names:
        python = convert(name)
        if python not in first:
            first[python] = name
            continue
        other = first[python]
        keywords = [n for n in (other, name) if keyword.iskeyword(n)]
        hint = (f"`{keywords[0]}` is a Python keyword, so it becomes `{keywords[0]}_`; "
                "rename the other" if keywords else "rename one of them")
        yield Diagnostic(
            code, f"{plural} `{other}` and `{name}` both become the {what} `{python}`",
            doc.at((*pointer, name)), related=(doc.at((*pointer, other)),), hint=hint,
        )
