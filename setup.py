"""The one thing pyproject.toml cannot say: a wheel carries the translations compiled
(bot/locales/<lang>/LC_MESSAGES/geese_bot.mo from its .po), as `make` does for a
checkout. The bot never compiles them itself."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path("bot/locales").glob("*/LC_MESSAGES/geese_bot.po"):
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parts[2])
            with target.open("wb") as out:
                write_mo(out, catalog)


setup(cmdclass={"build_py": BuildWithCatalogs})
