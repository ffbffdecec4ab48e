"""The sheet 填表说明 at the front of every template: what the colours mean and the order of work."""
from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from . import styles

SHEET = "填表说明"

_STEPS = (
    ("颜色", None),
    ("浅蓝色单元格", "由您填写：单位名称、科目编码和名称、各项金额、绩效目标等。"),
    ("浅灰色单元格", "合计、总计等由 budgetbook 自动计算（“填充合计”或 budgetbook fill），工作表已保护，"
                 "Excel 会拒绝在灰色单元格中直接输入；如确需修改，请先在“审阅”中撤消工作表保护（无密码）。"),
    ("红色、黄色底色", "“校验并标记”发现的错误（红）和警告（黄），批注中写明原因；“清除标记”可一次去除，原有底色和批注会恢复。"),
    ("填表顺序", None),
    ("1. 表二", "填写各项收入、上年结转和上年结余。"),
    ("2. 表三、表五、表八", "每个单位一行（需要时插入行），填写基本支出、项目支出、上年结转，"
                       "表三最右侧“单位类型”选择“行政”“参公”“事业”或“其他”（决定表九机关运行经费的校验方式）。"),
    ("3. 表六、表七、表十、表十一", "按科目编码（文本格式）逐行填写类、款、项，金额填在最末一级；预留行不够时插入行，"
                              "未用的预留行可留空，导出时会去掉。"),
    ("4. 表九", "机关运行经费：标准项目已列出，用到其他经济分类科目时插入一行，写成“[30216]培训费”。"),
    ("5. 表十二", "部门整体和每个项目的绩效目标；指标行不够时在块内插入行，新增项目可复制一个项目块。"),
    ("6. 填充合计", "计算所有灰色单元格；有事业收入、上年结转等非财政拨款资金时，表一各功能分类支出行和表十二的"
                "人员经费、公用经费会改为浅蓝色，由您按预算系统填写后再次填充合计。"),
    ("7. 校验并标记", "逐项检查表内、表间关系和科目编码，问题单元格标色并列入“校验结果”表。"),
    ("8. 导出", "没有错误后导出公开用的表格（.xlsx、PDF）和邮件草稿。"),
    ("注意", None),
    ("金额单位", "全部为万元，保留两位小数；没有金额的合计填 0.00 而不是留空（填充合计会自动写 0.00）。"),
    ("空表", "无内容的表也要公开，请在表下备注中写明原因，例如“本部门2024年无政府性基金预算支出，故本表为空表。”"),
    ("备注行以下", "不要在备注行下面填写数字：那里的数字不计入任何合计，校验会报告。"),
)


def write(sheet: Worksheet) -> None:
    sheet["A1"] = "填表说明"
    sheet["A1"].font = Font(name=styles.FONT, size=16, bold=True)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 100
    row = 3
    for head, text in _STEPS:
        sheet.cell(row, 1, head)
        if text is None:  # a section heading
            sheet.cell(row, 1).font = Font(name=styles.FONT, size=12, bold=True)
            sheet.cell(row, 1).fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
            row += 1
            continue
        sheet.cell(row, 1).font = Font(name=styles.FONT, size=10, bold=True)
        sheet.cell(row, 2, text).font = Font(name=styles.FONT, size=10)
        sheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row, 1).alignment = Alignment(vertical="top")
        if head == "浅蓝色单元格":
            sheet.cell(row, 1).fill = PatternFill("solid", start_color=styles.INPUT_FILL, end_color=styles.INPUT_FILL)
        if head == "浅灰色单元格":
            sheet.cell(row, 1).fill = PatternFill("solid", start_color=styles.DERIVED_FILL,
                                                  end_color=styles.DERIVED_FILL)
        sheet.row_dimensions[row].height = 14 * max(1, -(-len(text) // 48)) + 4
        row += 1
    sheet.sheet_view.showGridLines = False
