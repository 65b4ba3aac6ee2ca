"""The ParkOS user: a Django user with a display preference and the scope of its roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from parkos.core.models import ChangeLoggedModel
from parkos.core.permissions import fallback_roles_of, roles_of
from parkos.core.units import AreaUnit, MoneyUnit


class User(ChangeLoggedModel, AbstractUser):
    """Staff are assigned parks; government partners and enterprise users belong to organizations."""

    area_unit = models.CharField(
        _("show areas in"), max_length=2, choices=AreaUnit.choices, default=AreaUnit.SQUARE_METRE
    )
    money_unit = models.CharField(
        _("show money in"),
        max_length=4,
        choices=MoneyUnit.choices,
        default=MoneyUnit.BY_LANGUAGE,
        blank=True,
        help_text=_("Blank: 10,000 yuan (万元) in Chinese, yuan with the currency code in English."),
    )
    parks = models.ManyToManyField(
        "parks.Park",
        verbose_name=_("assigned parks"),
        blank=True,
        related_name="staff",
        help_text=_("Staff roles see the rows of these parks."),
    )
    organizations = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("organizations"),
        blank=True,
        related_name="users",
        help_text=_("Government partners and enterprise users see their own organization's rows."),
    )

    #: set to a new random value (never by a form or a model save: see ``save``) whenever what the user may do or
    #: see in the menu changes: its groups, permissions, parks, organizations, a group's permissions or name, its
    #: government organizations' district (parkos.users.access). Pages key their cross-request cache of the
    #: user's permissions, roles and menu on it (parkos.core.access), read with the user's row: no query.
    access_version = models.BigIntegerField(default=0, editable=False)

    changelog_exclude = ("last_login", "date_joined", "password", "access_version")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """An existing user's save writes every field but ``access_version``: a user read before a grant changed
        (and bumped it) must not write the old version back, or the stale cached grants would serve again."""
        if (
            not args
            and not self._state.adding
            and self.pk is not None
            and not kwargs.get("force_insert")
            and (kwargs.get("update_fields") is None)
        ):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "access_version"
            ]
        super().save(*args, **kwargs)

    def scope_park_ids(self):
        """The parks the user is assigned to and, for a fallback of a role, the parks no holder of it covers."""
        fallbacks = fallback_roles_of(self)
        if not fallbacks:
            return self.parks.values("pk")
        from parkos.parks.models import Park

        reach = models.Q(pk__in=self.parks.values("pk"))
        for role in fallbacks:
            covered = User.parks.through.objects.filter(user__is_active=True, user__groups__name=role.name)
            reach |= ~models.Q(pk__in=covered.values("park_id"))
        return Park.objects.filter(reach).values("pk")

    def scope_organization_ids(self):
        """The user's organizations' ids, as a subquery: built once per user object (a page restricts a dozen
        querysets, each built it anew: about 300 Python calls a time, issue 16) and cloned for each caller, so
        none of them evaluates or changes the kept one."""
        ids = self.__dict__.get("_scope_organization_ids")
        if ids is None:
            ids = self.__dict__["_scope_organization_ids"] = self.organizations.values("pk")
        return ids.all()

    @property
    def role_labels(self) -> list[str]:
        return [str(role.label) for role in roles_of(self)]
