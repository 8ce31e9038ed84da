"""messages-codegen: a spec-driven generator of typed Python clients.

The pipeline is a chain of plain stages (see ``generator.pipeline``)::

    load -> validate -> build IR -> plan -> render -> format -> write
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
