"""Choice sets named for the API schema: several models have a "kind" or "status", each its own set."""

from parkos.investment.models import Agreement, Commitment

AGREEMENT_KIND = Agreement.Kind.choices
AGREEMENT_STATUS = Agreement.Status.choices
COMMITMENT_KIND = Commitment.Kind.choices
