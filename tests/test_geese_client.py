"""The 7Geese client against the sandbox over HTTP: typed errors for every way 7Geese
can fail, bounded retries for reads, none for writes."""

from __future__ import annotations

import httpx2
import pytest

from bot.geese import GeeseApi, Invalid, NotFound, RateLimited, Unavailable
from bot.geese.documents import Document
from storage.records import SlackIdentity

DANA = SlackIdentity(team_id="T0GANDER", user_id="U0DANA")


@pytest.fixture
def linked(stack):
    stack.link("U0DANA")
    return stack


def api_for(stack, *, timeout=5.0, max_retry_wait=2.0):
    waits: list[float] = []
    api = GeeseApi(stack.geese_url, httpx2.Client(timeout=timeout),
                   max_retry_wait=max_retry_wait, sleep=waits.append)
    return api, waits, stack.services.links.find(DANA).token.access_token


def test_profile_lookups(linked):
    session = linked.services.geese.as_user(DANA)
    assert session.current_user().name == "Dana Ito"
    fox = session.profile_by_email(" Fox@GanderLabs.example ")
    assert (fox.pk, fox.name, fox.timezone) == (103, "Fox Adeyemi", "Europe/London")
    assert fox.url.endswith("/api/v/2.0/userprofiles/103/")
    assert session.profile_by_email("jo@contractors.example") is None


def test_reads_retry_a_short_rate_limit_and_5xx(linked):
    api, waits, token = api_for(linked)
    linked.geese.set_faults(status=429, retry_after=1, status_times=1)
    assert api.current_user(token).pk == 102
    assert waits == [1.0]
    linked.geese.set_faults(status=502, status_times=2)
    assert api.current_user(token).pk == 102


def test_reads_give_up_with_a_typed_error(linked):
    api, waits, token = api_for(linked)
    linked.geese.set_faults(status=429, retry_after=30)  # longer than we will wait
    with pytest.raises(RateLimited) as err:
        api.current_user(token)
    assert err.value.retry_after == 30 and waits == []
    linked.geese.set_faults(status=503, retry_after=None)
    with pytest.raises(Unavailable):
        api.current_user(token)
    linked.geese.clear_faults()
    linked.geese.set_faults(malformed_times=5)
    with pytest.raises(Unavailable, match="not JSON"):
        api.current_user(token)


def test_slow_past_the_bound_is_unavailable(linked):
    api, _, token = api_for(linked, timeout=0.2)
    linked.geese.set_faults(latency=0.5)
    with pytest.raises(Unavailable, match="in time"):
        api.current_user(token)


def test_writes_are_never_retried(linked):
    api, _, token = api_for(linked)
    write = Document("DeclineFeedback", "mutation DeclineFeedback { declineFeedback("
                     "requestPk: 1) { feedbackResponder { pk } } }")
    # Only this operation fails: work the link started in the background must not take it.
    linked.geese.set_faults(status=503, status_times=1, operation="DeclineFeedback")
    with pytest.raises(Unavailable):
        api.graphql(token, write)
    assert [p for _, p, s in linked.geese.requests if s == 503] == ["/graphql"]


def test_graphql_errors_and_rest_errors_are_typed(linked):
    api, _, token = api_for(linked)
    with pytest.raises(Invalid):
        api.graphql(token, Document("Bad", "query Bad { currentUser { noSuchField } }"))
    with pytest.raises(NotFound):
        api.rest(token, "GET", "/api/v/2.0/nothing-here/")
    assert api.rest(token, "GET", "/api/v/2.0/userprofiles/me/")["id"] == 102
