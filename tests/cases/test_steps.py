"""The step indicator: where the application is, what is next, who acts, by when."""
from cases.dibao import steps, workflow
from tests.cases.dibao_helpers import poor_household, seed_standards, to_awaiting_decision


def test_indicator_follows_the_case(users, client, monkeypatch):
    seed_standards()
    cw = users["zhandian_jingban"]
    app = workflow.application_accept(actor=cw, household=poor_household(), reason="x")
    ind = steps.indicator(app)
    assert [s.state for s in ind.steps] == ["current", "todo", "todo", "todo", "todo", "todo"]
    assert ind.who == "乡镇（街道）经办人" and ind.due == app.deadline
    client.force_login(cw)
    text = client.get(f"/applications/{app.pk}/").content.decode()
    assert 'aria-current="step"' in text and "接下来：<strong>开始入户调查" in text
    to_awaiting_decision(cw, app, monkeypatch)
    ind = steps.indicator(app)
    assert [s.state for s in ind.steps][:5] == ["done", "done", "done", "done", "current"]
    assert ind.who == "乡镇（街道）审批人"
    workflow.transition(actor=users["zhandian_shenpi"], application=app, action="confirm")
    ind = steps.indicator(app)
    assert all(s.state == "done" for s in ind.steps) and ind.next_action == "" and ind.steps[-1].label == "已确认"


def test_sole_decider_case_waits_for_the_county(users, monkeypatch):
    seed_standards()
    app = workflow.application_accept(actor=users["zhandian_shenpi"], household=poor_household(), reason="x")
    to_awaiting_decision(users["zhandian_jingban"], app, monkeypatch)
    assert steps.indicator(app).who.startswith("县民政局")
