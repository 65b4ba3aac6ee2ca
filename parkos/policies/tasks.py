"""Background work of policies: matching again after a policy or a certificate changed (``snapshot``), worked
off by `parkos db_worker`."""

from django_tasks import task


@task()
def policy_matches_task(policy_ids: list[int]) -> int:
    """Match the policies that were saved, if their rules changed since they were last matched (a rename or a
    new closing date needs no matching); how many were matched."""
    from parkos.policies.models import Policy
    from parkos.policies.outcomes import refresh_stored
    from parkos.policies.snapshot import refresh, stale

    outdated = stale(list(Policy.objects.filter(pk__in=policy_ids)))
    refresh(outdated)
    refresh_stored(policy_ids)  # their outcome tables, stale since the policy was saved
    return len(outdated)


@task()
def organization_matches_task(organization_ids: list[int]) -> int:
    """Match the enterprises whose certificates changed against every stored policy; the rows stored for them."""
    from parkos.policies.snapshot import refresh_organizations

    return refresh_organizations(organization_ids)


@task()
def outcomes_task(policy_ids: list[int]) -> int:
    """Recompute the stored outcome tables of the policies whose applications changed; how many."""
    from parkos.policies.outcomes import refresh_stored

    return refresh_stored(policy_ids)
