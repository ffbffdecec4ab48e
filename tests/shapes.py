"""Correct departments of the common shapes, as the template's typed cells (workbook.content).

Each is consistent by construction, as a real approved budget is: what a unit spends by source adds
up to the income of 表二; the 一般公共预算 part is broken down by function (表六) and, for basic
spending, by economic 款 (表七); 社保 lines agree; 表十二's projects add up to 项目支出. A correct
workbook of any of them must check without a single error.

- `admin`: the reference office (临夏市人民政府办公室 2024) with the project table it lacks;
- `institutions`: a county education bureau: a 行政 office and three 事业单位 (two schools, a training
  centre) with 事业收入 and 上年结转;
- `funds`: a housing bureau with 政府性基金 (表十) and 国有资本经营 (表十一) money, a 参公 centre;
- `civil`: an office whose two units are both 参照公务员法管理 (参公).
"""
from __future__ import annotations

from decimal import Decimal

from workbook import example
from workbook.content import Content, Indicator, NamedRow, Project, Whole

D = Decimal
SHAPES = ("admin", "institutions", "funds", "civil")


def _indicators(total: Decimal) -> list[Indicator]:
    return [Indicator("成本指标", "经济成本指标", "资金额度", f"≤{total}万元"),
            Indicator("产出指标", "数量指标", "完成项目数", "≥1个"),
            Indicator("效益指标", "社会效益指标", "服务保障水平", "提高"),
            Indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥95%")]


def _project(name: str, unit: str, current="0", carry="0", other="0") -> Project:
    funds = {"current": D(current), "carry": D(carry), "other": D(other)}
    return Project(name=name, unit=unit, funds=funds, goal=f"完成{name}各项任务。",
                   indicators=_indicators(sum(funds.values())))


def _whole(dept: str) -> Whole:
    return Whole(dept_name=dept, goal="完成年度各项工作任务。",
                 indicators=[Indicator("部门管理", "资金投入", "预算执行率", "≥95%"),
                             Indicator("履职效果", "部门履职", "重点工作完成率", "≥95%"),
                             Indicator("能力建设", "长效管理", "管理制度健全性", "健全")])


def _codes(rows: list[tuple]) -> list[NamedRow]:
    """(code, name, figures) with figures "basic=1 project=2"; parents carry none."""
    out = []
    for code, name, *figures in rows:
        values = {k: D(v) for k, v in (pair.split("=") for pair in (figures[0].split() if figures else ()))}
        out.append(NamedRow(name, values, code))
    return out


def _items(used: dict[str, str]) -> list[NamedRow]:
    """表九: the standard items, with the 机关运行经费 基本支出 given, 0.00 elsewhere."""
    from workbook.spec import RUNNING_COST_ITEMS

    items = dict(RUNNING_COST_ITEMS)
    extra = {code: name for code, name in (("30216", "培训费"),) if code in used}
    return [NamedRow(name, {"basic": D(used.get(code, "0"))}, code) for code, name in {**items, **extra}.items()]


def _empty(year: int, what: str) -> str:
    return f"备注：本部门{year}年无{what}，故本表为空表。"


def admin() -> Content:
    """The reference department, with the ninth project the narrative names (20.00): its only
    error in the bundled example is the missing project table."""
    content = example.reference()
    content.projects.append(_project("2024年度政府网站集约化建设费", content.dept, current="20.00"))
    return content


def institutions() -> Content:
    dept, year = "某县教育局", 2025
    c = Content(dept, year)
    office, middle, primary, centre = "某县教育局机关", "某县第一中学", "某县实验小学", "某县教师培训中心"
    types = {office: "行政", middle: "事业", primary: "事业", centre: "事业"}
    c.lines.update({("T2", "in.general"): D("1990.00"), ("T2", "in.business"): D("280.00"),
                    ("T2", "in.carry"): D("40.00"), ("T2", "in.surplus"): D("0"), ("T1", "exp.carry_next"): D("0")})
    # 表一's 类 lines are typed (money besides 财政拨款): all sources, 上年结转 included
    c.lines.update({("T1", "exp.205"): D("1930.00"), ("T1", "exp.208"): D("200.00"),
                    ("T1", "exp.210"): D("80.00"), ("T1", "exp.221"): D("100.00")})
    spend = {office: ("300", "100", "0"), middle: ("1000", "50", "30"), primary: ("600", "60", "0"),
             centre: ("100", "60", "10")}
    c.rows["T3"] = [NamedRow(u, {"basic": D(b), "project": D(p), "carry": D(k)}, texts={"unit_type": types[u]})
                    for u, (b, p, k) in spend.items()]
    fiscal = {office: ("300", "100"), middle: ("800", "50"), primary: ("600", "40"), centre: ("100", "0")}
    c.rows["T5"] = [NamedRow(u, {"gp_basic": D(b), "gp_project": D(p)}) for u, (b, p) in fiscal.items()]
    c.rows["T6"] = _codes([
        ("205", "教育支出"), ("20501", "教育管理事务"), ("2050101", "行政运行", "basic=240"),
        ("20502", "普通教育"), ("2050202", "小学教育", "basic=460 project=40"),
        ("2050203", "初中教育", "basic=620 project=50"), ("2050299", "其他普通教育支出", "project=100"),
        ("20508", "进修及培训"), ("2050803", "培训支出", "basic=100"),
        ("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "basic=150"),
        ("2080506", "机关事业单位职业年金缴费支出", "basic=50"),
        ("210", "卫生健康支出"), ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗", "basic=20"),
        ("2101102", "事业单位医疗", "basic=60"),
        ("221", "住房保障支出"), ("22102", "住房改革支出"), ("2210201", "住房公积金", "basic=100"),
    ])
    c.rows["T7"] = _codes([
        ("301", "工资福利支出"), ("30101", "基本工资", "total=500"), ("30102", "津贴补贴", "total=300"),
        ("30107", "绩效工资", "total=400"), ("30108", "机关事业单位基本养老保险缴费", "total=150"),
        ("30109", "职业年金缴费", "total=50"), ("30110", "职工基本医疗保险缴费", "total=80"),
        ("30113", "住房公积金", "total=100"),
        ("302", "商品和服务支出"), ("30201", "办公费", "total=40"), ("30205", "水费", "total=10"),
        ("30206", "电费", "total=20"), ("30211", "差旅费", "total=20"), ("30215", "会议费", "total=5"),
        ("30216", "培训费", "total=10"), ("30217", "公务接待费", "total=3"), ("30228", "工会经费", "total=20"),
        ("30229", "福利费", "total=15"), ("30231", "公务用车运行维护费", "total=7"),
        ("303", "对个人和家庭的补助"), ("30302", "退休费", "total=50"),
        ("310", "资本性支出"), ("31002", "办公设备购置", "total=20"),
    ])
    c.rows["T8"] = [NamedRow(office, {"reception": D("3"), "car_run": D("7"), "meeting": D("5"),
                                      "training": D("10"), "abroad": D("0"), "car_buy": D("0")})]
    # 机关运行经费: the 行政 office only (the schools and the centre are 事业单位)
    c.rows["T9"] = _items({"30201": "10", "30205": "2", "30206": "5", "30211": "8", "30215": "5",
                           "30229": "4", "30231": "7", "31002": "5"})
    c.notes.update(T10=_empty(year, "政府性基金预算支出"), T11=_empty(year, "国有资本经营预算支出"))
    c.whole = _whole(dept)
    # 表七 is the 一般公共预算 basic spending only (1,800.00): with 事业收入 in basic spending
    # (第一中学 200.00) 人员经费 and 公用经费 of all sources are typed
    c.whole_budget = {"personnel": D("1780.00"), "public": D("220.00")}
    c.projects = [_project("教育信息化建设", office, current="100"),
                  _project("第一中学校舍维修", middle, current="50", carry="30"),
                  _project("实验小学课后服务", primary, current="40", other="20"),
                  _project("教师能力提升培训", centre, other="60", carry="10")]
    return c


def funds() -> Content:
    dept, year = "某县住房和城乡建设局", 2025
    c = Content(dept, year)
    office, centre = "某县住房和城乡建设局机关", "某县城市建设服务中心"
    c.lines.update({("T2", "in.general"): D("350.00"), ("T2", "in.gov_fund"): D("300.00"),
                    ("T2", "in.state_capital"): D("80.00"), ("T2", "in.carry"): D("0"),
                    ("T2", "in.surplus"): D("0"), ("T1", "exp.carry_next"): D("0")})
    c.rows["T3"] = [NamedRow(office, {"basic": D("200"), "project": D("350"), "carry": D("0")},
                             texts={"unit_type": "行政"}),
                    NamedRow(centre, {"basic": D("100"), "project": D("80"), "carry": D("0")},
                             texts={"unit_type": "参公"})]
    c.rows["T5"] = [NamedRow(office, {"gp_basic": D("200"), "gp_project": D("50"), "gf_project": D("300")}),
                    NamedRow(centre, {"gp_basic": D("100"), "sc_project": D("80")})]
    c.rows["T6"] = _codes([
        ("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "basic=30"),
        ("210", "卫生健康支出"), ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗", "basic=15"),
        ("212", "城乡社区支出"), ("21201", "城乡社区管理事务"), ("2120101", "行政运行", "basic=230"),
        ("2120102", "一般行政管理事务", "project=50"),
        ("221", "住房保障支出"), ("22102", "住房改革支出"), ("2210201", "住房公积金", "basic=25"),
    ])
    c.rows["T7"] = _codes([
        ("301", "工资福利支出"), ("30101", "基本工资", "total=120"), ("30102", "津贴补贴", "total=60"),
        ("30108", "机关事业单位基本养老保险缴费", "total=30"), ("30110", "职工基本医疗保险缴费", "total=15"),
        ("30113", "住房公积金", "total=25"),
        ("302", "商品和服务支出"), ("30201", "办公费", "total=20"), ("30211", "差旅费", "total=10"),
        ("30231", "公务用车运行维护费", "total=5"),
        ("303", "对个人和家庭的补助"), ("30302", "退休费", "total=15"),
    ])
    c.rows["T8"] = [NamedRow(office, {"car_run": D("5"), "abroad": D("0"), "reception": D("0"),
                                      "car_buy": D("0"), "meeting": D("0"), "training": D("0")})]
    c.rows["T9"] = _items({"30201": "20", "30211": "10", "30231": "5"})  # 行政 + 参公: equal to 表七
    c.rows["T10"] = _codes([("212", "城乡社区支出"), ("21208", "国有土地使用权出让收入安排的支出"),
                            ("2120803", "城市建设支出", "amount=300")])
    c.rows["T11"] = _codes([("223", "国有资本经营预算支出"), ("22301", "解决历史遗留问题及改革成本支出"),
                            ("2230105", "国有企业退休人员社会化管理补助支出", "amount=80")])
    c.whole = _whole(dept)
    c.projects = [_project("城市道路维护", office, current="50"),
                  _project("城市建设（土地出让收入）", office, current="300"),
                  _project("改制企业退休人员管理补助", centre, current="80")]
    return c


def civil() -> Content:
    """The reference office's money shared by two 参公 units (a 参公 department: 表九 = 表七)."""
    content = admin()
    content.dept = "临夏市人民政府办公室"
    halves = {}
    for tid in ("T3", "T5", "T8"):
        [unit] = content.rows[tid]
        first = {k: (v / 2).quantize(D("0.01")) for k, v in unit.values.items()}
        second = {k: v - first[k] for k, v in unit.values.items()}
        halves[tid] = [NamedRow(unit.name, first, texts={"unit_type": "参公"}),
                       NamedRow("临夏市政务服务中心", second, texts={"unit_type": "参公"})]
    content.rows.update(halves)
    return content


def build(shape: str) -> Content:
    return {"admin": admin, "institutions": institutions, "funds": funds, "civil": civil}[shape]()


def narrated(shape: str) -> Content:
    """The shape with every input of its 情况说明 given on the 基本情况 sheet: the example's texts
    (its 绩效 paragraphs without their project count), last year's figure 1.00 of each compared figure
    and 项, and a reason for every change, so that the text it gets is finished."""
    from workbook.info import COMPARED, item_key
    from workbook.narrative.reference import reference

    content = build(shape)
    info = reference()
    info.values["performance"] = "（一）预算绩效管理工作情况\n绩效目标随部门预算一并编制、审核和公开。"
    info.values["other"] = "本部门无其他重要事项。"
    info.values["buy.note"] = "政府采购按规定预留中小企业份额。"  # figures of free text cannot be placed
    info.values["assets.note"] = "国有资产按规定管理。"
    info.values["date"] = info.values["date"].replace(year=content.year)
    info.prior = {c.key: D("1.00") for c in COMPARED if c.prior}
    info.reasons = {c.key: "工作任务调整" for c in COMPARED if c.reason}
    info.items = [(row.code, row.name) for row in content.rows["T6"] if row.values]
    for code, _ in info.items:
        info.prior[item_key(code)] = D("1.00")
        info.reasons[item_key(code)] = "工作任务调整"
    content.info = info
    return content
