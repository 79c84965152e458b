"""The installed selfeval version, read from package metadata."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("selfeval")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
