"""Finding tool functions in Python modules: one rule shared by the registry and the sandbox worker.

A tool is any public function defined in a tool module (not imported into it). A module is named
either as an importable dotted name (``fcgraph.tools.builtin.fs``) or as a path to a ``.py`` file,
which is how users drop their own tools into a ``tool_defines_path`` folder.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

def _builtin_modules() -> tuple[str, ...]:
    """Every module of fcgraph.tools.builtin: adding a category is adding a file."""
    from fcgraph.tools import builtin

    return tuple(sorted(f"{builtin.__name__}.{info.name}" for info in pkgutil.iter_modules(builtin.__path__)
                        if not info.name.startswith("_")))


BUILTIN_MODULES = _builtin_modules()


def load_module(spec: str) -> ModuleType:
    if not spec.endswith(".py"):
        return importlib.import_module(spec)
    path = Path(spec).resolve()
    name = "fcgraph_user_tools_" + hashlib.sha1(str(path).encode()).hexdigest()[:12]
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot load tool module {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def tool_functions(module: ModuleType) -> dict[str, Callable]:
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_")
    }


def module_category(module: ModuleType) -> str:
    """A module declares its category with CATEGORY = "..."; otherwise its file name is used."""
    return getattr(module, "CATEGORY", None) or Path(module.__file__ or module.__name__).stem
