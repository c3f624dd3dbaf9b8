from tests.helpers import Caller


def test_version_envelope(guest: Caller) -> None:
    answer = guest.get("system/version")
    assert answer.status == 200
    assert set(answer.body) == {"result", "error"}
    assert isinstance(answer.ok(), str)


def test_admin_key_auth(admin) -> None:  # type: ignore[no-untyped-def]
    answer = admin.api("system/version")
    answer.fails(code=740, status=404)
