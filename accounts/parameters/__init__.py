"""The city administrator's settings pages: parameters (core.params) and the working-day calendar
(core.workdays). The ground floor keeps the machinery and the audited writes; the role check lives here,
one floor up, where the roles are known. The urls keep the namespace "core" (jiuzhu/urls.py)."""
