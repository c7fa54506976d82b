"""The contrib module of the tests' greeters: imported by the registry on first use."""

from tests.core.test_plugins import Greeter, greeters


@greeters.register
class English(Greeter):
    key = "english"

    def greet(self) -> str:
        return "hello"


@greeters.register
class Welsh(Greeter):
    key = "welsh"

    def greet(self) -> str:
        return "shwmae"
