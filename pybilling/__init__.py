"""PyBilling: billing and client management with a FOSSBilling-compatible API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pybilling")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
