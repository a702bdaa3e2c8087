"""Build hook: the wheel leaves out the tests that sit beside the code (test_*.py, conftest.py)."""

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithoutTests(build_py):
    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if not m[1].startswith("test_") and m[1] != "conftest"]


setup(cmdclass={"build_py": BuildWithoutTests})
