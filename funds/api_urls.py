from funds import api, bankapi


def register(router):
    router.register("payment-batches", api.PaymentBatchViewSet, basename="payment-batch")
    router.register("price-index", api.PriceIndexViewSet, basename="price-index")
    router.register("bank-result-jobs", bankapi.BankResultJobViewSet, basename="bank-result-job")


urlpatterns = []
