"""Choice sets named for the API schema: several models have a "status", each its own set."""

from parkos.services.models import Status

REQUEST_STATUS = Status.choices
