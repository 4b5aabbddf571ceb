"""The public names of `import wildcli` resolve to what they say, whatever was imported first."""

from __future__ import annotations

import importlib
import pkgutil
import types

import wildcli


def test_every_export_is_a_library_object_even_after_all_modules_are_imported() -> None:
    # Importing a submodule binds its name on the package: an export named like a module
    # would turn into that module once something imported it.
    for info in pkgutil.walk_packages(wildcli.__path__, "wildcli."):
        if ".engines." not in info.name and not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    for name in wildcli.__all__:
        value = getattr(wildcli, name)
        assert not isinstance(value, types.ModuleType), name
