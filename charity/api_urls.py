from charity import api


def register(router):
    router.register("charity-funds", api.CharityFundViewSet, basename="charity-fund")
    router.register("referrals", api.ReferralViewSet, basename="referral")
    router.register("mutual-aid-societies", api.MutualAidSocietyViewSet, basename="mutual-aid-society")
    router.register("pairings", api.PairingViewSet, basename="pairing")
    router.register("service-contracts", api.ServiceContractViewSet, basename="service-contract")
    router.register("service-records", api.ServiceRecordViewSet, basename="service-record")


urlpatterns = []
