"""factory_boy factories for realistic households (synthetic people only)."""
import random

import factory

from cases.models import Household, Person
from core.models import Region
from demo import synthetic

_rng = random.Random(7)
_ids = synthetic.IdFactory(_rng)


def make_id(area: str = "410823", birth=None, sex: str = "M") -> str:
    """A valid, unused ID; without `birth` a random adult birth date (one date has only 500 numbers)."""
    import datetime as dt

    birth = birth or dt.date(1950, 1, 1) + dt.timedelta(days=_rng.randrange(0, 365 * 50))
    return _ids.make(area, birth, sex)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    address = factory.Sequence(lambda n: f"测试村{n % 12 + 1}组{n}号")
    hukou_type = Household.HukouType.RURAL
    head_name = factory.LazyFunction(lambda: synthetic.name(_rng))

    @classmethod
    def _create(cls, model_class, *args, village="410823101200", **kwargs):
        obj = model_class(*args, **kwargs)
        obj.place_from_village(Region.objects.get(code=village))
        obj.save()
        return obj


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    name = factory.LazyFunction(lambda: synthetic.name(_rng))
    relationship = Person.Relationship.HEAD

    @classmethod
    def _create(cls, model_class, *args, id_number=None, **kwargs):
        obj = model_class(*args, **kwargs)
        h = obj.household
        obj.county_id, obj.township_id, obj.village_id = h.county_id, h.township_id, h.village_id
        obj.set_id_number(id_number or make_id(h.county_id))
        obj.save()
        return obj
