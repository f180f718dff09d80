from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "救助对象与案件"

    def ready(self):
        # 特困 and 临时救助 plug their assessment and decision hooks into the one application state machine.
        from cases.lowincome import kinds as lowincome_kinds
        from cases.tekun import kinds as tekun_kinds
        from cases.temporary_aid import kinds as temporary_aid_kinds

        tekun_kinds.register()
        temporary_aid_kinds.register()
        lowincome_kinds.register()
