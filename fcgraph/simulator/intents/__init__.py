"""Request types for further tool categories, one module per category, each defining INTENTS.

The core categories' requests live in grammar.py; a module here brings a category's own wordings
(English `template`, Chinese `zh`) and groundings, so adding a category never touches the grammar.
"""

from __future__ import annotations

import importlib
import pkgutil

from fcgraph.simulator.grounding import Intent


def category_intents() -> tuple[Intent, ...]:
    intents: list[Intent] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        intents.extend(module.INTENTS)
    return tuple(intents)
