from audit.models.complaints import Complaint, ComplaintStep
from audit.models.relatives import StaffMember, StaffRelative
from audit.models.spotchecks import SpotCheck, SpotCheckItem

__all__ = ["Complaint", "ComplaintStep", "SpotCheck", "SpotCheckItem", "StaffMember", "StaffRelative"]
