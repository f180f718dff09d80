from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "救助对象与案件"

    def ready(self):
        # 特困 and 临时救助 plug their assessment and decision hooks into the one application state machine.
        from cases.dibao import changes
        from cases.households import services as household_services
        from cases.lowincome import kinds as lowincome_kinds
        from cases.tekun import kinds as tekun_kinds
        from cases.temporary_aid import kinds as temporary_aid_kinds

        tekun_kinds.register()
        temporary_aid_kinds.register()
        lowincome_kinds.register()
        # changes that may end eligibility re-run the means test and open a re-check (never an exit by themselves)
        household_services.on_change(changes.household_changed)
