from django.urls import path
from django.views.generic import RedirectView

from charity.views import funds, purchased, social

app_name = "charity"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="charity:fund_list", permanent=False), name="index"),
    path("funds/", funds.fund_list, name="fund_list"),
    path("funds/<int:pk>/", funds.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/statement/", funds.fund_statement, name="fund_statement"),
    path("grants/", funds.grant_list, name="grant_list"),
    path("grants/new/", funds.grant_create, name="grant_create"),
    path("grants/<int:pk>/", funds.grant_detail, name="grant_detail"),
    path("referrals/", funds.referral_list, name="referral_list"),
    path("referrals/new/", funds.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", funds.referral_detail, name="referral_detail"),
    path("societies/", social.society_list, name="society_list"),
    path("societies/<int:pk>/", social.society_detail, name="society_detail"),
    path("societies/<int:pk>/account/", social.society_account, name="society_account"),
    path("pairings/", social.pairing_list, name="pairing_list"),
    path("pairings/unpaired/", social.unpaired, name="unpaired"),
    path("pairings/<int:pk>/", social.pairing_detail, name="pairing_detail"),
    path("services/contracts/", purchased.contract_list, name="contract_list"),
    path("services/contracts/<int:pk>/", purchased.contract_detail, name="contract_detail"),
    path("services/orders/", purchased.order_list, name="order_list"),
    path("services/orders/<int:pk>/", purchased.order_detail, name="order_detail"),
    path("services/coverage/", purchased.coverage, name="coverage"),
]
