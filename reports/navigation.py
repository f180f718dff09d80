from core.navigation import Entry
from reports.views import READERS, STATS_READERS

G = "统计分析"
ENTRIES = [
    Entry("三个兜底指标", "reports:aims", actions=READERS, group=G, order=10),
    Entry("统计月报", "reports:monthly", actions=STATS_READERS, group=G, order=20),
    Entry("趋势图表", "reports:charts", actions=READERS, group=G, order=30),
]
