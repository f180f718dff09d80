from charity.models.funds import CharityFund, CharityGrant, Donation, FundEntry, Referral
from charity.models.mutual_aid import Contribution, MutualAidSociety, SocietyGrant, SocietyMember
from charity.models.pairing import Contact, Helper, Pairing
from charity.models.purchased import (
           ContractPrice,
           Provider,
           ServiceContract,
           ServiceKind,
           ServiceOrder,
           ServiceRecord,
           Unit,
)

__all__ = ["CharityFund", "CharityGrant", "Donation", "FundEntry", "Referral", "Contribution", "MutualAidSociety",
           "SocietyGrant", "SocietyMember", "Contact", "Helper", "Pairing", "ContractPrice", "Provider",
           "ServiceContract", "ServiceKind", "ServiceOrder", "ServiceRecord", "Unit"]
