from funds import api


def register(router):
    router.register("payment-batches", api.PaymentBatchViewSet, basename="payment-batch")
    router.register("price-index", api.PriceIndexViewSet, basename="price-index")


urlpatterns = []
