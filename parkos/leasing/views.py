"""Leasing pages: each model's UI is one ObjectViews declaration; a lease's page adds renew and terminate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from parkos.core.permissions import Action, can
from parkos.core.views.generic import ObjectViews, Related
from parkos.leasing import filtersets, forms, resources, services, tables
from parkos.leasing.models import Lease, RentTerm, Sale
from parkos.parks.models import SpaceUnit

UNITS = Prefetch("units", queryset=SpaceUnit.objects.order_by("code"))


class LeaseViews(ObjectViews):
    model = Lease
    path = "leases"
    table = tables.LeaseTable
    filterset = filtersets.LeaseFilterSet
    form = forms.LeaseForm
    resource = resources.LeaseResource
    list_related = ("tenant", "park")
    related = (
        Related(RentTerm, tables.RentTermTable, "lease", limit=50),
        Related(
            Lease, tables.LeaseTable, "renewal_of", title=gettext_lazy("Renewals of this lease"), exclude=("units",)
        ),
    )
    detail_template = "leasing/lease_detail.html"

    @classmethod
    def queryset(cls, user, action=Action.VIEW):
        return super().queryset(user, action).prefetch_related(UNITS)

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        chain = []
        previous = obj.renewal_of
        while previous is not None and len(chain) < 20:  # the leases this one renews, nearest first
            chain.append(previous)
            previous = previous.renewal_of
        today = timezone.localdate()
        may_change = Lease.objects.restrict(user, Action.CHANGE).filter(pk=obj.pk).exists()
        return {
            "units": obj.units.select_related("building").order_by("building__code", "code"),
            "renewed_from": chain,
            "today": today,
            "rent_today": obj.rent_on(today),
            "monthly_today": obj.monthly_rent_on(today),
            "may_renew": may_change and obj.status in (*Lease.ACTIVE, Lease.Status.EXPIRED),
            "may_terminate": may_change and obj.status in Lease.ACTIVE,
        }


class RentTermViews(ObjectViews):
    model = RentTerm
    path = "rent-terms"
    table = tables.RentTermTable
    filterset = filtersets.RentTermFilterSet
    form = forms.RentTermForm
    resource = resources.RentTermResource
    list_related = ("lease",)


class SaleViews(ObjectViews):
    model = Sale
    path = "sales"
    table = tables.SaleTable
    filterset = filtersets.SaleFilterSet
    form = forms.SaleForm
    resource = resources.SaleResource
    list_related = ("buyer", "park", "building")
    detail_template = "leasing/sale_detail.html"

    @classmethod
    def queryset(cls, user, action=Action.VIEW):
        return super().queryset(user, action).prefetch_related(UNITS)

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        return {"units": obj.units.select_related("building").order_by("building__code", "code")}


class LeaseActionView(View):
    """Renew or terminate a lease: a form page, then the service; errors come back at their fields."""

    form_class = None
    title = ""
    template_name = "leasing/lease_action.html"

    def lease(self, request, pk):
        return get_object_or_404(Lease.objects.restrict(request.user, Action.CHANGE), pk=pk)

    def form(self, lease, data=None):
        return self.form_class(data)

    def get(self, request, pk):
        lease = self.lease(request, pk)
        return self.show(request, lease, self.form(lease))

    def show(self, request, lease, form, status=200):
        context = {"object": lease, "form": form, "title": self.title, "can_change": can(request.user, Lease, "change")}
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk):
        lease = self.lease(request, pk)
        form = self.form(lease, request.POST)
        if form.is_valid():
            try:
                result = self.act(lease, request.user, form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        target = name if name in form.fields else None
                        for error in errors:
                            form.add_error(target, error)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, self.done_message(result))
                return redirect(result.get_absolute_url())
        return self.show(request, lease, form, status=400)


class LeaseRenewView(LeaseActionView):
    form_class = forms.LeaseRenewForm

    @property
    def title(self):
        return _("Renew lease")

    def form(self, lease, data=None):
        return forms.LeaseRenewForm(data, lease=lease)

    def act(self, lease, user, data):
        return services.lease_renew(
            lease=lease,
            user=user,
            start=data["start"],
            end=data.get("end"),
            rent_amount=data.get("rent_amount"),
            rent_basis=data.get("rent_basis"),
            reference=data.get("reference", ""),
        )

    def done_message(self, result):
        return _("Renewed: the new lease is %(lease)s.") % {"lease": result}


class LeaseTerminateView(LeaseActionView):
    form_class = forms.LeaseTerminateForm

    @property
    def title(self):
        return _("Terminate lease early")

    def act(self, lease, user, data):
        return services.lease_terminate(lease=lease, user=user, on=data["on"], reason=data["reason"])

    def done_message(self, result):
        return _("Lease %(lease)s terminated; its units are free after %(date)s.") % {
            "lease": result,
            "date": result.terminated_on.isoformat(),
        }
