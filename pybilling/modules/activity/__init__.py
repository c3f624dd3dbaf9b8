"""The system log and the client email log (FOSSBilling's `activity`); every fired event is logged."""

from pybilling.core.events import events
from pybilling.modules.activity import api, models, retention  # noqa: F401 - registration on import
from pybilling.modules.activity.service import record_event

events.on_any(record_event)
