"""Real .xlsx work-order exports for the M-5 tests, written with openpyxl (reusable by the journey tests).

``hotline_export`` is the file of SPEC §1's Monday: last week's 37 hotline work orders, 4 about enforcement, one
of them (``DUPLICATE_REF``) a duplicate of a matter a 法治监督员 reported on Friday.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HOTLINE_HEADERS = ("序号", "工单编号", "受理时间", "诉求标题", "诉求内容", "来电人", "联系电话", "事发地址", "承办单位",
                   "诉求类型")
HOTLINE_TITLE = "江山市12345政务服务热线工单导出（贺村镇，2026-03-16 至 2026-03-20）"
DUPLICATE_REF = "ZJ12345-20260319-0031"
FIRST_DAY = date(2026, 3, 16)  # Monday of the week before the journey's Monday (2026-03-23)


@dataclass(frozen=True)
class Order:
    ref: str
    received: Any  # a datetime cell by default; tests put text, serial numbers or junk here
    title: str
    content: str
    name: str = "张三"
    phone: Any = "13812345678"
    address: str = "贺村镇贺村大道"
    unit: str = "贺村镇人民政府"
    category: str = "投诉"


ENFORCEMENT = [
    Order("", None, "流动摊贩三轮车被暂扣未开具清单",
          "来电人反映3月16日上午在贺村镇菜市场门口摆摊，镇综合行政执法队队员暂扣其三轮车及货物，未当场开具暂扣物品清单，"
          "也未告知如何取回。", "刘建国", "13905701234", "贺村镇菜市场门口", "贺村镇综合行政执法队", "投诉"),
    Order("", None, "占道经营罚款未告知陈述申辩权",
          "来电人称其在贺村大道经营水果摊，被处以200元罚款，执法人员未告知其有陈述、申辩的权利。", "陈美华",
          "13757012345", "贺村大道与淤头路交叉口", "贺村镇综合行政执法队", "投诉"),
    Order("", None, "投诉执法人员检查时态度恶劣",
          "来电人反映市场监管所工作人员检查其店铺时态度恶劣，未出示执法证件。", "王丽", "15105709876", "贺村镇新街12号",
          "江山市市场监督管理局贺村市场监督管理所", "投诉"),
    Order(DUPLICATE_REF, None, "违建拆除决定未送达即强制拆除",
          "来电人反映其家附房被认定为违法建筑，未收到拆除决定书即被强制拆除。", "周志强", "18857001122", "贺村镇耕读村",
          "贺村镇村镇建设管理办公室", "举报"),
]

ORDINARY = [
    ("路灯不亮", "贺村大道南段路灯连续一周不亮，夜间出行不便，希望尽快修复。", "贺村镇村镇建设管理办公室", "求助"),
    ("自来水水压偏低", "耕读村自来水水压偏低，高层住户用水困难。", "贺村镇人民政府", "求助"),
    ("道路坑洼积水", "淤头路多处坑洼，下雨后积水严重，电动车通行危险。", "贺村镇村镇建设管理办公室", "投诉"),
    ("生活垃圾清运不及时", "小区门口垃圾桶已满三天无人清运，气味难闻。", "贺村镇社会事务管理办公室", "投诉"),
    ("公交班次太少", "贺村至江山城区公交班次少，早高峰等车时间长。", "贺村镇人民政府", "建议"),
    ("社保卡补办咨询", "咨询社保卡遗失后补办需要带哪些材料。", "贺村镇社会事务管理办公室", "咨询"),
    ("医保报销咨询", "咨询异地就医的医保报销比例和办理流程。", "贺村镇社会事务管理办公室", "咨询"),
    ("小区频繁停电", "新街小区本月已停电四次，影响正常生活。", "贺村镇人民政府", "投诉"),
    ("子女入学咨询", "咨询外地户籍子女在贺村小学入学需要的证明材料。", "贺村镇社会事务管理办公室", "咨询"),
    ("夜间施工噪声扰民", "工地夜间十一点后仍在施工，噪声很大，影响休息。", "贺村镇村镇建设管理办公室", "投诉"),
    ("宅基地政策咨询", "咨询农村宅基地申请条件和审批流程。", "江山市自然资源和规划局贺村自然资源所", "咨询"),
    ("养老金发放时间咨询", "咨询本月城乡居民养老金发放时间。", "贺村镇社会事务管理办公室", "咨询"),
    ("河道漂浮物较多", "贺村溪河道漂浮物较多，希望安排清理。", "贺村镇人民政府", "建议"),
    ("燃气管道报修", "家中燃气管道接口有异味，请求上门检修。", "贺村镇人民政府", "求助"),
    ("拖欠务工工资", "在某工地务工两个月，工资一直未结清。", "贺村镇人民政府", "求助"),
]

NAMES = ("李强", "王芳", "赵敏", "孙伟", "吴静", "郑浩", "冯雪", "何平", "许娟", "韩冰", "杨帆")


def order_time(n: int, first_day: date = FIRST_DAY) -> datetime:
    """Working-hour times spread over the five working days of the week."""
    return datetime.combine(first_day + timedelta(days=n % 5), time(8 + n % 9, (n * 7) % 60, (n * 13) % 60))


def hotline_orders(count: int = 37, enforcement: int = 4, first_day: date = FIRST_DAY,
                   duplicate_ref: str | None = DUPLICATE_REF) -> list[Order]:
    """``count`` orders of which ``enforcement`` (spread evenly) are about enforcement; the last enforcement order
    carries ``duplicate_ref`` when that is given."""
    step = max(count // max(enforcement, 1), 1)
    slots = {step * k + step // 2: k for k in range(enforcement)}
    out = []
    for n in range(count):
        when = order_time(n, first_day)
        ref = f"ZJ12345-{when:%Y%m%d}-{n + 1:04d}"
        if n in slots:
            template = ENFORCEMENT[slots[n] % len(ENFORCEMENT)]
            is_dup = slots[n] == enforcement - 1 and duplicate_ref is not None
            out.append(replace(template, ref=duplicate_ref if is_dup else ref, received=when))
        else:
            title, content, unit, category = ORDINARY[n % len(ORDINARY)]
            out.append(Order(ref, when, title, content, NAMES[n % len(NAMES)], f"139{n:08d}",
                             f"贺村镇第{n % 12 + 1}村", unit, category))
    return out


def write_sheet(path: Path, header: Sequence[Any], rows: Iterable[Sequence[Any]], title: str | None = HOTLINE_TITLE,
                above: Sequence[Sequence[Any]] = (), merges: Sequence[str] = (), sheet_name: str = "工单列表",
                date_format: str | None = "yyyy-mm-dd hh:mm:ss") -> Path:
    """A sheet as the platforms export it: a merged title row, optional extra rows, the header, the rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name
    if title is not None:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(header), 1))
    for extra in above:
        sheet.append(list(extra))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for merged in merges:
        sheet.merge_cells(merged)
    if date_format:
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = date_format
    book.save(path)
    return path


def order_cells(n: int, order: Order) -> list[Any]:
    return [n + 1, *astuple(order)]


def write_orders(path: Path, orders: Sequence[Order], **kw: Any) -> Path:
    return write_sheet(path, HOTLINE_HEADERS, (order_cells(n, o) for n, o in enumerate(orders)), **kw)


def hotline_export(path: Path, count: int = 37, enforcement: int = 4, duplicate_ref: str | None = DUPLICATE_REF,
                   **kw: Any) -> Path:
    return write_orders(path, hotline_orders(count, enforcement, duplicate_ref=duplicate_ref), **kw)


def supervisor_matter_input(unit_id: int) -> dict[str, Any]:
    """The matter a 法治监督员 reported on Friday 2026-03-20, carrying the hotline order's number (MatterInput kwargs)."""
    return dict(received_on=date(2026, 3, 20), source="supervisor", title="违建拆除决定送达程序存疑",
                category="legality", unit_ids=[unit_id], source_ref=DUPLICATE_REF,
                facts="法治监督员反映耕读村一处附房拆除前未依法送达拆除决定书。")
