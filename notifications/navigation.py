from accounts.scope import Action
from core.navigation import Entry

ENTRIES = [
    Entry("短信通知", "notifications:outbox", Action.CASE_VIEW, order=65),
    Entry("短信模板", "notifications:templates", actions=(Action.PARAMS_CHANGE,), group="公开与设置", order=60),
]
