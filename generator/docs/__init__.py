"""Plan the Markdown reference: an index, one page per operation, one per schema.

The pages read well on GitHub and in mkdocs alike (CommonMark with GitHub
tables and ```` ```mermaid ```` class diagrams) and need no network. Like the
package and the stubs, they come from the IR through ``TypeWriter`` (as a type
checker reads it: ``StaticTypeWriter``), so a "Type" column shows exactly what
the Python code accepts or returns.

- ``markdown``: escaping, so that nothing from the spec breaks a page;
- ``site``: names, links, field tables, tagged unions and diagrams;
- ``pages``: the view of each page; the templates (``templates/docs/``) print them.
"""

from __future__ import annotations

from generator.docs.markdown import header
from generator.docs.pages import plan_docs

__all__ = ["header", "plan_docs"]
