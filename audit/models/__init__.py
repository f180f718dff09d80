from audit.models.complaints import Complaint, ComplaintStep
from audit.models.relatives import StaffMember, StaffRelative

__all__ = ["Complaint", "ComplaintStep", "StaffMember", "StaffRelative"]
