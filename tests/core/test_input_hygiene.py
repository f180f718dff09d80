"""Issue #15 item 8: names refuse control, bidi-override and zero-width characters (one validator: models,
forms, services, API); free text is bounded with a Chinese message; no full ID number reaches a session."""
import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.session import SessionStorage
from django.core.exceptions import ValidationError

from cases.households import services
from core.models import Region
from core.names import validate_name
from core.sessions import ScrubbingJSONSerializer
from tests.factories import make_id

HOSTILE = ["张\u202e三", "李\u200b四", "王\u200d五", "\u2066赵六\u2069", "孙\x07七", "周\u00ad八", "吴\ufeff九", "郑\n十"]


@pytest.mark.parametrize("name", HOSTILE)
def test_names_with_invisible_or_control_characters_are_refused(name):
    with pytest.raises(ValidationError, match="不可见或控制字符"):
        validate_name(name)


@pytest.mark.parametrize("name", ["张三", "欧阳娜娜", "阿卜杜·热合曼", "Zhang San", "买买提·吐尔逊"])
def test_ordinary_names_pass(name):
    validate_name(name)


@pytest.mark.django_db
def test_household_service_refuses_a_bidi_name_and_keeps_nothing(users):
    import datetime as dt

    from cases.models import Household

    with pytest.raises(ValidationError) as exc:
        services.household_create(
            actor=users["zhandian_jingban"], village=Region.objects.get(code="410823101200"), address="三组1号",
            hukou_type="rural", phone="13903910000",
            members=[services.MemberData(name="张\u202e三", id_number=make_id("410823", dt.date(1970, 1, 1), "M"),
                                         relationship="head")])
    assert "不可见或控制字符" in str(exc.value)
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_api_refuses_hidden_characters_and_overlong_free_text(client, users):
    from decimal import Decimal

    from cases.temporary_aid import services as ta
    from demo.households import seed_standards
    from tests.factories import HouseholdFactory

    seed_standards()
    ta.reserve_fund_top_up(actor=users["wuzhi_minzheng"], township=Region.objects.get(code="410823101"),
                           amount=Decimal("5000.00"), note="拨付")
    client.force_login(users["zhandian_shenpi"])
    h = HouseholdFactory()
    resp = client.post("/api/v1/temporary-aid/", {"household": h.pk, "aid_type": "emergency", "amount": "100",
                                                  "cause": "火" * 2001}, content_type="application/json")
    assert resp.status_code == 400 and "2000" in resp.json()["cause"][0]
    client.force_login(users["wuzhi_minzheng"])
    resp = client.post("/api/v1/relatives/", {"name": "李\u200b四"}, content_type="application/json")
    assert resp.status_code == 400 and "不可见或控制字符" in resp.content.decode()


def test_session_data_never_holds_a_full_id_number():
    raw = "410823196803090011"
    data = ScrubbingJSONSerializer().dumps({"msg": f"身份证号码{raw}校验位错误", "nested": [{"id": raw}]})
    assert raw not in data.decode() and "0011" in data.decode()


@pytest.mark.django_db
def test_flash_messages_with_an_id_number_are_scrubbed_in_the_session(rf, client, users):
    client.force_login(users["zhandian_jingban"])
    request = rf.get("/")
    request.session = client.session
    storage = SessionStorage(request)
    storage.add(constants.ERROR, "身份证号码 41082319680309001X 不符合校验规则")
    storage._store(list(storage._queued_messages), None)  # what the middleware does at the end of a request
    request.session.save()
    from django.contrib.sessions.models import Session

    decoded = Session.objects.get(session_key=request.session.session_key).get_decoded()
    assert "41082319680309001X" not in str(decoded) and "001X" in str(decoded)


@pytest.mark.django_db
def test_flash_messages_with_dates_and_chinese_survive_the_scrubber(rf, client, users):
    """The message storage keeps a JSON string with Chinese as \\uXXXX escapes; scrubbing digit runs across those
    escapes (月 is \\u6708) broke the JSON and every later page of the session answered 500."""
    client.force_login(users["zhandian_jingban"])
    request = rf.get("/")
    request.session = client.session
    storage = SessionStorage(request)
    text = "已重新计算：截止日期顺延至12月 2026-12-08"
    storage.add(constants.INFO, text)
    storage._store(list(storage._queued_messages), None)
    request.session.save()
    again = rf.get("/")
    from django.contrib.sessions.backends.db import SessionStore

    again.session = SessionStore(session_key=request.session.session_key)
    assert [m.message for m in SessionStorage(again)] == [text]
