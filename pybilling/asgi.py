"""The ASGI entry point uvicorn imports in each worker."""

from pybilling.app import create_app

app = create_app()
